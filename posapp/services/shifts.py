"""Shifts and cash: opening with a float, paid-in and paid-out, closing with the counted cash
(by notes if wanted), and the X, Z and day reports.

A till sells only inside its open shift once the shop has users (see `shift_for_change`, which
invoicing calls inside its own transaction); a shop without users works as before, outside
shifts. The Z report is built inside the closing transaction, after the shift row is locked, so
it holds exactly the sales committed before the close, and is stored as JSON: reprinting reads
it back, never recomputes it. Thread-safe: each call opens its own session.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from posapp.domain.access import Actor, Permission
from posapp.domain.cash import check_cash_amount, counted_total, expected_cash
from posapp.domain.errors import DomainError, NotFoundError, ValidationError
from posapp.domain.invoice import InvoiceKind, PaymentMethod
from posapp.domain.jalali import format_jalali_date, iran_day_start
from posapp.domain.journal import digest
from posapp.domain.money import ZERO
from posapp.domain.shift_report import (
    CashierRow,
    NoteCount,
    PaymentRow,
    ReportKind,
    ShiftReport,
    VatRow,
)
from posapp.services._common import optional_text
from posapp.services.access import TillSession, has_users, require_in, signed_in_actor
from posapp.services.changes import SHIFT, writes
from posapp.storage import journal
from posapp.storage import shifts as store
from posapp.storage.engine import Database
from posapp.storage.models import CashMovementRow, ShiftRow, UserRow


class NoOpenShiftError(DomainError):
    def __init__(self, till: str) -> None:
        super().__init__(f"شیفت صندوق {till} باز نیست؛ نخست شیفت را باز کنید",
                         f"till {till} has no open shift; open a shift first")


class ShiftAlreadyOpenError(DomainError):
    def __init__(self, till: str) -> None:
        super().__init__(f"صندوق {till} همین حالا یک شیفت باز دارد",
                         f"till {till} already has an open shift")


@dataclass(frozen=True)
class ShiftView:
    id: int
    till: str
    number: int
    opened_at: datetime
    opened_by: str
    opening_float: Decimal
    closed_at: datetime | None


def shift_for_change(session: Session, till: str, actor: Actor) -> int | None:
    """The id of the till's open shift for a sale, return, cancellation or payment being
    written in `session` (its row share-locked until commit, so a close waits for it); None in
    a shop without users. Refuses when users exist and no one is signed in or no shift is open."""
    if not has_users(session):
        return None
    signed_in_actor(session, actor)
    shift = store.open_shift(session, till, lock="share")
    if shift is None:
        raise NoOpenShiftError(till)
    return shift.id


def open_shift_id(session: Session, till: str) -> int | None:
    """The till's open shift (share-locked like a sale's), or None when it has none."""
    shift = store.open_shift(session, till, lock="share")
    return None if shift is None else shift.id


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(UserRow.id, UserRow.name).where(UserRow.id.in_(wanted))).all())


def _view(session: Session, row: ShiftRow) -> ShiftView:
    names = _names(session, {row.opened_by})
    return ShiftView(row.id, row.till, row.number, row.opened_at, names.get(row.opened_by or 0, ""),
                     row.opening_float, row.closed_at)


class ShiftService:
    def __init__(self, database: Database, till: str = "1", session: TillSession | None = None) -> None:
        self._db = database
        self.till = till
        self.session = session or TillSession()
        """Who is signed in here: the actor of calls that name none."""

    def current(self, till: str | None = None) -> ShiftView | None:
        with self._db.read() as session:
            row = store.open_shift(session, till or self.till)
            return None if row is None else _view(session, row)

    @writes(SHIFT)
    def open(self, opening_float: Decimal, actor: Actor | None = None, till: str | None = None,
             at: datetime | None = None) -> ShiftView:
        """Open the till's next shift with `opening_float` in the drawer."""
        actor = actor or self.session.actor
        till = till or self.till
        check_cash_amount(opening_float, "opening_float")
        try:
            with self._db.write() as session:
                signed_in_actor(session, actor)
                if store.open_shift(session, till) is not None:
                    raise ShiftAlreadyOpenError(till)
                row = ShiftRow(till=till, number=store.next_number(session, till),
                               opened_at=at or datetime.now(UTC), opened_by=actor.user_id,
                               opening_float=opening_float, counted_notes="")
                session.add(row)
                session.flush()
                journal.append(session, till, actor, "shift.open", f"{till}/{row.number}",
                               {"shift_id": row.id, "number": row.number, "float": opening_float})
                return _view(session, row)
        except IntegrityError as exc:  # another process opened it between our check and insert
            raise ShiftAlreadyOpenError(till) from exc

    @writes(SHIFT)
    def move_cash(self, kind: str, amount: Decimal, reason: str, actor: Actor | None = None,
                  till: str | None = None) -> None:
        """Paid-in (`in`) or paid-out (`out`) cash with its reason; needs CASH_IN_OUT."""
        actor = actor or self.session.actor
        till = till or self.till
        if kind not in ("in", "out"):
            raise ValueError(kind)
        check_cash_amount(amount, "amount")
        if amount == 0:
            raise ValidationError("amount", "مبلغ را وارد کنید", "enter the amount")
        reason = optional_text(reason, field="reason", label_fa="دلیل", label_en="reason", max_length=500)
        if not reason:
            raise ValidationError("reason", "دلیل را بنویسید", "give a reason")
        with self._db.write() as session:
            require_in(session, actor, Permission.CASH_IN_OUT)
            shift_id = shift_for_change(session, till, actor)
            if shift_id is None:
                raise NoOpenShiftError(till)
            now = datetime.now(UTC)
            session.add(CashMovementRow(shift_id=shift_id, kind=kind, amount=amount, reason=reason,
                                        user_id=actor.user_id, approver_id=actor.approver_id, at=now))
            session.flush()
            journal.append(session, till, actor, f"cash.{kind}", str(shift_id),
                           {"shift_id": shift_id, "amount": amount, "reason": reason})

    @writes(SHIFT)
    def close(self, counted: Decimal | None = None, actor: Actor | None = None, *,
              notes: Mapping[Decimal, int] | None = None, till: str | None = None,
              at: datetime | None = None) -> ShiftReport:
        """Close the till's open shift with the counted cash (or a count by notes) and return
        its Z report, stored with the shift. Needs CLOSE_SHIFT."""
        actor = actor or self.session.actor
        till = till or self.till
        if notes:
            total = counted_total(notes)
            if counted is not None and counted != total:
                raise ValidationError("counted", "جمع اسکناس‌ها با مبلغ شمرده‌شده برابر نیست",
                                      "the notes do not add up to the counted amount")
            counted = total
        if counted is None:
            raise ValidationError("counted", "نقد شمرده‌شده را وارد کنید", "enter the counted cash")
        check_cash_amount(counted, "counted")
        with self._db.write() as session:
            require_in(session, actor, Permission.CLOSE_SHIFT)
            signed_in_actor(session, actor)
            row = store.open_shift(session, till, lock="update")
            if row is None:
                raise NoOpenShiftError(till)
            closed_at = at or datetime.now(UTC)
            seq, chain_hash = journal.head(session)
            counted_notes = tuple(NoteCount(note, count) for note, count in
                                  sorted((notes or {}).items(), reverse=True) if count)
            report = self._report(session, ReportKind.Z, [row], closed_at, actor.name, closed_at,
                                  counted, counted_notes, seq, chain_hash)
            row.closed_at = closed_at
            row.closed_by = actor.user_id
            row.expected_cash = report.cash_expected
            row.counted_cash = counted
            row.counted_notes = json.dumps({str(n.note): n.count for n in counted_notes})
            row.z_report = report.to_json()
            session.flush()
            journal.append(session, till, actor, "shift.close", f"{till}/{row.number}", {
                "shift_id": row.id, "expected": report.cash_expected, "counted": counted,
                "z_report": digest(report.to_dict())})
            return report

    # -- reports ---------------------------------------------------------------------------

    def x_report(self, till: str | None = None) -> ShiftReport:
        till = till or self.till
        with self._db.read() as session:
            row = store.open_shift(session, till)
            if row is None:
                raise NoOpenShiftError(till)
            seq, chain_hash = journal.head(session)
            return self._report(session, ReportKind.X, [row], None, "", datetime.now(UTC), None, (),
                                seq, chain_hash)

    def z_report(self, number: int | None = None, till: str | None = None) -> ShiftReport:
        """The stored Z report of shift `number` of the till (default: the last closed one)."""
        till = till or self.till
        with self._db.read() as session:
            statement = select(ShiftRow.z_report).where(ShiftRow.till == till, ShiftRow.closed_at.is_not(None))
            if number is not None:
                statement = statement.where(ShiftRow.number == number)
            text = session.execute(statement.order_by(ShiftRow.number.desc()).limit(1)).scalar_one_or_none()
        if text is None:
            raise NotFoundError(
                f"شیفت بسته‌شده{' ' + str(number) if number else ''} در صندوق {till} پیدا نشد",
                f"no closed shift{' ' + str(number) if number else ''} on till {till}")
        return ShiftReport.from_dict(json.loads(text))

    def day_report(self, day: date) -> ShiftReport:
        """Every shift opened on Tehran day `day`, on every till."""
        start, end = iran_day_start(day), iran_day_start(day + timedelta(days=1))
        with self._db.read() as session:
            rows = list(session.execute(select(ShiftRow).where(
                ShiftRow.opened_at >= start, ShiftRow.opened_at < end).order_by(ShiftRow.till, ShiftRow.number)
            ).scalars())
            seq, chain_hash = journal.head(session)
            closed = [row.closed_at for row in rows]
            counted = (sum((row.counted_cash or ZERO for row in rows), ZERO)
                       if rows and all(c is not None for c in closed) else None)
            return self._report(session, ReportKind.DAY, rows, None, "", datetime.now(UTC), counted, (),
                                seq, chain_hash, day=format_jalali_date(day, persian_digits=False))

    @staticmethod
    def _report(session: Session, kind: ReportKind, rows: list[ShiftRow], closed_at: datetime | None,
                closed_by: str, generated_at: datetime, counted: Decimal | None,
                notes: tuple[NoteCount, ...], seq: int, chain_hash: str, day: str = "") -> ShiftReport:
        figures = store.figures(session, [row.id for row in rows])
        names = _names(session, {row.opened_by for row in rows} | {row.closed_by for row in rows})
        cash = {(k, m): a for k, m, a in figures.payments if m == PaymentMethod.CASH.value}
        cash_sales = (cash.get((InvoiceKind.SALE.value, PaymentMethod.CASH.value), ZERO)
                      + cash.get((InvoiceKind.REDUCTION.value, PaymentMethod.CASH.value), ZERO)
                      - figures.change_given)
        cash_refunds = (cash.get((InvoiceKind.RETURN.value, PaymentMethod.CASH.value), ZERO)
                        + figures.cash_of_cancelled)
        opening_float = sum((row.opening_float for row in rows), ZERO)
        single = rows[0] if len(rows) == 1 else None
        if kind is ReportKind.DAY:
            closed_at, closed_by = None, ""
        elif single is not None and single.closed_at is not None:
            closed_at, closed_by = single.closed_at, names.get(single.closed_by or 0, "")
        return ShiftReport(
            kind=kind, tills=tuple(sorted({row.till for row in rows})),
            shift_numbers=tuple(row.number for row in rows),
            opened_at=single.opened_at if single else None,
            opened_by=names.get(single.opened_by or 0, "") if single else "",
            closed_at=closed_at, closed_by=closed_by, day=day, generated_at=generated_at,
            first_number=figures.first_number, last_number=figures.last_number,
            sales_count=figures.sales_count, sales_amount=figures.sales_amount,
            returns_count=figures.returns_count, returns_amount=figures.returns_amount,
            reductions_count=figures.reductions_count, reductions_amount=figures.reductions_amount,
            cancellations_count=figures.cancellations_count,
            cancellations_amount=figures.cancellations_amount,
            discounts=figures.discounts, additions=figures.additions, deductions=figures.deductions,
            vat=tuple(VatRow(k, Decimal(r), n, t) for k, r, n, t in figures.vat),
            payments=tuple(PaymentRow(k, m, a) for k, m, a in figures.payments),
            opening_float=opening_float, cash_sales=cash_sales, cash_refunds=cash_refunds,
            paid_in=figures.paid_in, paid_out=figures.paid_out,
            cash_expected=expected_cash(opening_float, cash_sales, cash_refunds, figures.paid_in,
                                        figures.paid_out),
            cash_counted=counted, counted_notes=notes,
            cashiers=tuple(CashierRow(*row) for row in figures.cashiers),
            journal_seq=seq, journal_hash=chain_hash,
        )


def report_pdf(report: ShiftReport, paper: str = "80", shop_name: str = "") -> bytes:
    """The report as PDF on "A4", "80" or "58" mm paper (reportlab is imported on first use)."""
    from posapp.render.shift_report import render_shift_report

    return render_shift_report(report, paper, shop_name)
