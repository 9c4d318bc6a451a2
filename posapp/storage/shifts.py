"""Shifts in the database: the open shift of a till (locked for sharing by sales, for update
by the close), numbering, cash movements and the figures an X, Z or day report adds up.

Serialising the close against sales: on PostgreSQL a sale, return or payment takes a FOR
SHARE lock on its till's open shift row inside its own transaction, and the close takes FOR
UPDATE on the same row; so the close waits for every sale already under way, and a sale that
starts while the close holds the row waits, then re-reads the row, finds it closed and is
refused. On SQLite every write transaction holds the database's write lock from BEGIN
IMMEDIATE, which serialises the same way. A sale therefore always belongs to exactly one shift
and its Z report. All functions work inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from posapp.domain.invoice import InvoiceKind, PaymentMethod
from posapp.domain.money import ZERO
from posapp.storage.models import (
    CashMovementRow,
    InvoiceLineRow,
    InvoiceRow,
    PaymentRow,
    ShiftRow,
    UserRow,
)
from posapp.storage.replacements import replaced_sale


def open_shift(session: Session, till: str, *, lock: str | None = None) -> ShiftRow | None:
    """The till's open shift; `lock` "share" (a sale) or "update" (the close) locks its row
    until the caller's transaction ends (PostgreSQL; SQLite's writers are serialised anyway)."""
    statement = select(ShiftRow).where(ShiftRow.till == till, ShiftRow.closed_at.is_(None))
    if lock == "share":
        statement = statement.with_for_update(read=True)
    elif lock == "update":
        statement = statement.with_for_update()
    return session.execute(statement).scalar_one_or_none()


def next_number(session: Session, till: str) -> int:
    last = session.execute(select(func.max(ShiftRow.number)).where(ShiftRow.till == till)).scalar_one()
    return int(last or 0) + 1


@dataclass
class Figures:
    """Sums over a set of shifts, straight from the rows (see `figures`)."""

    sales_count: int = 0
    sales_amount: Decimal = ZERO
    first_number: str = ""
    last_number: str = ""
    returns_count: int = 0
    returns_amount: Decimal = ZERO
    reductions_count: int = 0
    reductions_amount: Decimal = ZERO
    cancellations_count: int = 0
    cancellations_amount: Decimal = ZERO
    discounts: Decimal = ZERO
    additions: Decimal = ZERO
    deductions: Decimal = ZERO
    vat: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)
    """(kind, rate, net, tax) per document kind and VAT rate."""
    payments: list[tuple[str, str, Decimal]] = field(default_factory=list)
    """(document kind, method, amount): money taken for sales, refunded for returns."""
    change_given: Decimal = ZERO
    cash_of_cancelled: Decimal = ZERO
    """Cash a cancelled sale had taken (given back) less cash a cancelled return had refunded."""
    paid_in: Decimal = ZERO
    paid_out: Decimal = ZERO
    cashiers: list[tuple[str, int, Decimal, int, Decimal]] = field(default_factory=list)
    """(name, sales count, sales amount, returns count, returns amount) per cashier."""


def _dec(value: object) -> Decimal:
    return ZERO if value is None else Decimal(value)  # type: ignore[arg-type]


def figures(session: Session, shift_ids: Sequence[int]) -> Figures:
    """Every figure of a shift report over `shift_ids`, each by one indexed aggregate query."""
    result = Figures()
    if not shift_ids:
        return result
    in_shifts = InvoiceRow.shift_id.in_(shift_ids)
    by_kind = session.execute(
        select(InvoiceRow.kind, func.count(), func.sum(InvoiceRow.payable),
               func.sum(InvoiceRow.line_discount + InvoiceRow.invoice_discount),
               func.sum(InvoiceRow.additions), func.sum(InvoiceRow.deductions),
               func.sum(InvoiceRow.change))
        .where(in_shifts).group_by(InvoiceRow.kind)
    ).all()
    for kind, number, amount, discounts, additions, deductions, change in by_kind:
        if kind == InvoiceKind.SALE.value:
            result.sales_count, result.sales_amount = int(number), _dec(amount)
            result.change_given += _dec(change)
        elif kind == InvoiceKind.RETURN.value:
            result.returns_count, result.returns_amount = int(number), _dec(amount)
        else:
            result.reductions_count, result.reductions_amount = int(number), _dec(amount)
            result.change_given += _dec(change)
        result.discounts += _dec(discounts) if kind != InvoiceKind.RETURN.value else ZERO
        result.additions += _dec(additions)
        result.deductions += _dec(deductions)
    bounds = session.execute(
        select(func.min(InvoiceRow.id), func.max(InvoiceRow.id))
        .where(in_shifts, InvoiceRow.kind == InvoiceKind.SALE.value)
    ).one()
    if bounds[0] is not None:
        numbers = dict(session.execute(select(InvoiceRow.id, InvoiceRow.number)
                                       .where(InvoiceRow.id.in_([bounds[0], bounds[1]]))).all())
        result.first_number, result.last_number = numbers[bounds[0]], numbers[bounds[1]]
    cancelled = session.execute(
        select(func.count(), func.sum(InvoiceRow.payable))
        .where(InvoiceRow.cancel_shift_id.in_(shift_ids))
    ).one()
    result.cancellations_count, result.cancellations_amount = int(cancelled[0]), _dec(cancelled[1])
    # a sale a reduction replaced is cancelled, but its cash stays in the drawer
    cancelled_cash = session.execute(
        select(InvoiceRow.kind, func.sum(PaymentRow.amount))
        .join(PaymentRow, PaymentRow.invoice_id == InvoiceRow.id)
        .where(InvoiceRow.cancel_shift_id.in_(shift_ids), PaymentRow.method == PaymentMethod.CASH.value,
               ~replaced_sale())
        .group_by(InvoiceRow.kind)
    ).all()
    cancelled_change = session.execute(
        select(func.sum(InvoiceRow.change)).where(InvoiceRow.cancel_shift_id.in_(shift_ids),
                                                  InvoiceRow.kind != InvoiceKind.RETURN.value, ~replaced_sale())
    ).scalar_one()
    for kind, amount in cancelled_cash:
        sign = -1 if kind == InvoiceKind.RETURN.value else 1
        result.cash_of_cancelled += sign * _dec(amount)
    result.cash_of_cancelled -= _dec(cancelled_change)
    result.vat = [
        (kind, str(Decimal(rate).normalize()), _dec(net), _dec(tax))
        for kind, rate, net, tax in session.execute(
            select(InvoiceRow.kind, InvoiceLineRow.tax_rate, func.sum(InvoiceLineRow.net),
                   func.sum(InvoiceLineRow.tax))
            .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
            .where(in_shifts).group_by(InvoiceRow.kind, InvoiceLineRow.tax_rate)
            .order_by(InvoiceRow.kind, InvoiceLineRow.tax_rate)
        ).all()
    ]
    result.payments = [
        (kind, method, _dec(amount))
        for kind, method, amount in session.execute(
            select(InvoiceRow.kind, PaymentRow.method, func.sum(PaymentRow.amount))
            .join(InvoiceRow, InvoiceRow.id == PaymentRow.invoice_id)
            .where(PaymentRow.shift_id.in_(shift_ids))
            .group_by(InvoiceRow.kind, PaymentRow.method).order_by(InvoiceRow.kind, PaymentRow.method)
        ).all()
    ]
    for kind, amount in session.execute(
        select(CashMovementRow.kind, func.sum(CashMovementRow.amount))
        .where(CashMovementRow.shift_id.in_(shift_ids)).group_by(CashMovementRow.kind)
    ).all():
        if kind == "in":
            result.paid_in = _dec(amount)
        else:
            result.paid_out = _dec(amount)
    user = aliased(UserRow)
    name = func.coalesce(user.name, InvoiceRow.cashier)
    is_sale = InvoiceRow.kind != InvoiceKind.RETURN.value
    result.cashiers = [
        (str(cashier or ""), int(sales or 0), _dec(sold), int(returns or 0), _dec(returned))
        for cashier, sales, sold, returns, returned in session.execute(
            select(name, func.sum(case((is_sale, 1), else_=0)),
                   func.sum(case((is_sale, InvoiceRow.payable), else_=0)),
                   func.sum(case((is_sale, 0), else_=1)),
                   func.sum(case((is_sale, 0), else_=InvoiceRow.payable)))
            .select_from(InvoiceRow).outerjoin(user, and_(user.id == InvoiceRow.user_id))
            .where(in_shifts).group_by(name).order_by(name)
        ).all()
    ]
    return result
