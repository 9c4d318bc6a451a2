"""The outbox and remote-link tables: the sync engine's claim, lease, settle, retry and skip, and
the queries the sync pane, the history and the payment pull ask of them.

Every function takes the storage `Database` and runs one short transaction, so the engine keeps
no state of its own between calls: a restarted process picks up exactly where the last one was.

Claiming is a compare-and-set on (id, state, attempts), so two workers (threads or processes)
never hold the same row; a claimed row is `in_flight` with `next_attempt_at` as its lease expiry.
A row whose lease ran out (its worker crashed mid-send) is claimable again, and because its
`attempts` is above zero the engine asks the provider before sending it a second time.

`attempts` is also the row's fencing token: every claim raises it, so a worker whose lease was
taken over sees a different number. `check_lease` (before each request to a provider) and
`renew_leases` (a heartbeat while rows are worked on) extend a lease only while the token is
still the worker's own, and `settle` writes an outcome only under the same token.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, or_, select, true, update
from sqlalchemy.orm import Session

from posapp.domain.invoice import InvoiceKind
from posapp.domain.sync import (
    DUE_STATES,
    SETTLED_STATES,
    OutboxItem,
    OutboxOperation,
    OutboxState,
    ProviderCounts,
)
from posapp.storage.engine import Database
from posapp.storage.models import AuditRow, InvoiceRow, OutboxRow, RemoteLinkRow

_TABLE = OutboxRow.__table__
_DUE = [state.value for state in DUE_STATES]
_SETTLED = [state.value for state in SETTLED_STATES]


@dataclass(frozen=True)
class RemoteLink:
    provider: str
    invoice_id: int
    remote_id: str
    link: str
    remote_state: str
    updated_at: datetime
    remote_key: str = ""
    """The provider's key of the document that stands for the invoice now, when it is not the
    invoice's own number (Pod's new copy of a sale after a cancel and re-issue)."""


def _item(row: OutboxRow | Row[Any], number: str) -> OutboxItem:
    return OutboxItem(
        id=row.id, provider=row.provider, invoice_id=row.invoice_id, invoice_number=number,
        operation=OutboxOperation(row.operation), idempotency_key=row.idempotency_key,
        state=OutboxState(row.state), attempts=row.attempts, next_attempt_at=row.next_attempt_at,
        last_error=row.last_error or "", created_at=row.created_at, updated_at=row.updated_at,
        retried_from=row.retried_from or 0,
    )


def _link(row: RemoteLinkRow) -> RemoteLink:
    return RemoteLink(row.provider, row.invoice_id, row.remote_id, row.link, row.remote_state,
                      row.updated_at, row.remote_key or "")


def _families(session: Session, invoice_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Each invoice with the original it corrects (a return or reduction points at its sale) and
    that original's other corrections: they change the same remote document (Pod's copy of the
    sale follows its returns, a reduction lowers what they left), so they go out one after
    another, in outbox order."""
    ids = set(invoice_ids)
    rows = session.execute(
        select(InvoiceRow.id, InvoiceRow.original_number).where(InvoiceRow.id.in_(ids))
    ).all()
    originals = {number for _, number in rows if number}
    by_number = dict(session.execute(
        select(InvoiceRow.number, InvoiceRow.id).where(InvoiceRow.number.in_(originals))
    ).all()) if originals else {}
    corrections: dict[str, set[int]] = {}
    if originals:
        for correction_id, original_number in session.execute(
                select(InvoiceRow.id, InvoiceRow.original_number).where(InvoiceRow.original_number.in_(originals))):
            corrections.setdefault(original_number or "", set()).add(correction_id)
    families: dict[int, frozenset[int]] = {}
    for invoice_id, original_number in rows:
        original_id = by_number.get(original_number) if original_number else None
        members = {invoice_id} if original_id is None else {invoice_id, original_id}
        families[invoice_id] = frozenset(members | corrections.get(original_number or "", set()))
    return families


def _numbers(session: Session, invoice_ids: Iterable[int]) -> dict[int, str]:
    ids = set(invoice_ids)
    if not ids:
        return {}
    return dict(session.execute(
        select(InvoiceRow.id, InvoiceRow.number).where(InvoiceRow.id.in_(ids))
    ).all())


def providers_with_work(db: Database, now: datetime) -> list[str]:
    """Providers that have an outbox row due now (pending, or in flight with an expired lease)."""
    with db.read() as session:
        return list(session.scalars(
            select(OutboxRow.provider).where(
                OutboxRow.state.in_(_DUE),
                OutboxRow.next_attempt_at <= now,
            ).distinct().order_by(OutboxRow.provider)
        ))


def next_due_at(db: Database) -> datetime | None:
    """When the earliest pending or leased row becomes due; None when nothing waits."""
    with db.read() as session:
        return session.scalar(
            select(func.min(OutboxRow.next_attempt_at)).where(
                OutboxRow.state.in_(_DUE),
            )
        )


def claim_due(
    db: Database, provider: str, now: datetime, lease_until: datetime, limit: int,
    exclude: Iterable[int] = (),
) -> list[OutboxItem]:
    """Claim up to `limit` due rows of `provider` whose earlier rows for the same invoice (or the
    original it corrects) are settled, in outbox order. Claimed rows are `in_flight` until
    `lease_until`, their `attempts` one higher. Rows in `exclude` are left alone.

    One UPDATE ... RETURNING re-checks each row's state and lease, so of two workers racing for
    a row exactly one gets it (SQLite serialises writers; PostgreSQL re-evaluates the WHERE on
    the locked row)."""
    excluded = set(exclude)
    table = _TABLE
    with db.write() as session:
        due = session.execute(
            select(table.c.id, table.c.invoice_id).where(
                table.c.provider == provider, table.c.state.in_(_DUE),
                table.c.next_attempt_at <= now,
                table.c.id.not_in(excluded) if excluded else true(),
            ).order_by(table.c.id).limit(limit * 4)
        ).all()
        if not due:
            return []
        families = _families(session, (invoice_id for _, invoice_id in due))
        related_ids = set().union(*families.values())
        first_unsettled: dict[int, int] = {}
        for row_id, invoice_id in session.execute(
            select(table.c.id, table.c.invoice_id).where(
                table.c.provider == provider, table.c.invoice_id.in_(related_ids),
                table.c.state.not_in(_SETTLED))
        ):
            first_unsettled[invoice_id] = min(row_id, first_unsettled.get(invoice_id, row_id))
        eligible = [
            row_id for row_id, invoice_id in due
            if all(first_unsettled.get(member, row_id) >= row_id
                   for member in families.get(invoice_id, frozenset({invoice_id})))
        ][:limit]
        if not eligible:
            return []
        claimed = session.execute(
            update(table)
            .where(table.c.id.in_(eligible), table.c.state.in_(_DUE),
                   table.c.next_attempt_at <= now)
            .values(state=OutboxState.IN_FLIGHT.value, attempts=table.c.attempts + 1,
                    next_attempt_at=lease_until, updated_at=now)
            .returning(*table.c)
        ).all()
        numbers = _numbers(session, (row.invoice_id for row in claimed))
        return sorted((_item(row, numbers.get(row.invoice_id, "")) for row in claimed),
                      key=lambda item: item.id)


class Lease(StrEnum):
    """What `check_lease` found."""

    HELD = "held"
    LAPSED = "lapsed"
    """Still ours, but it had run out before this check: another worker could have looked at
    the row meanwhile, so what the provider holds must be asked again."""
    LOST = "lost"
    """Another worker claimed the row (or it was settled): send nothing more for it."""


def check_lease(db: Database, item: OutboxItem, now: datetime, lease_until: datetime) -> Lease:
    """The fence before a request: whether `item`'s claim (its attempts number) still holds,
    extending it to `lease_until` when it does."""
    table = _TABLE
    with db.write() as session:
        expiry = session.scalar(
            select(table.c.next_attempt_at).where(
                table.c.id == item.id, table.c.attempts == item.attempts,
                table.c.state == OutboxState.IN_FLIGHT.value).with_for_update())
        if expiry is None:
            return Lease.LOST
        session.execute(update(table).where(table.c.id == item.id)
                        .values(next_attempt_at=max(expiry, lease_until)))
        return Lease.LAPSED if expiry < now else Lease.HELD


def renew_leases(db: Database, items: Iterable[OutboxItem], now: datetime,
                 lease_until: datetime) -> set[int]:
    """The heartbeat: extend the leases of rows still being worked on, and return the ids
    renewed. A lease that already ran out is left for `check_lease` to notice, so the work is
    re-checked with the provider."""
    held = list(items)
    if not held:
        return set()
    table = _TABLE
    with db.write() as session:
        session.execute(
            update(table).where(table.c.id == bindparam("row_id"),
                                table.c.attempts == bindparam("token"),
                                table.c.state == OutboxState.IN_FLIGHT.value,
                                table.c.next_attempt_at >= now)
            .values(next_attempt_at=lease_until),
            [{"row_id": item.id, "token": item.attempts} for item in held])
        tokens = {item.id: item.attempts for item in held}
        return {row_id for row_id, attempts, expiry in session.execute(
            select(table.c.id, table.c.attempts, table.c.next_attempt_at).where(
                table.c.id.in_(tokens), table.c.state == OutboxState.IN_FLIGHT.value))
                if tokens[row_id] == attempts and expiry == lease_until}


@dataclass(frozen=True)
class LinkUpdate:
    """Remote facts to store with a settled item: the invoice it concerns and what changed."""

    invoice_id: int
    remote_id: str | None = None
    link: str | None = None
    remote_state: str | None = None
    printed_link: bool = False
    """`link` is a checked payment link for the customer: it goes on the invoice itself, so
    every printed copy (receipt, A4) carries its QR."""
    remote_key: str | None = None


@dataclass(frozen=True)
class Settlement:
    """How one claimed row ends this attempt: its new state (done, failed, or pending again
    until `retry_at`), the message kept for the cashier, and the remote facts learnt."""

    item: OutboxItem
    state: OutboxState
    message: str = ""
    retry_at: datetime | None = None
    links: tuple[LinkUpdate, ...] = ()
    unreached: bool = False
    """The provider could not be reached at all (no connection): its tries start again from
    here, so a shop that was offline for a while does not find its rows failed."""


def settle(db: Database, settlements: Sequence[Settlement], now: datetime) -> list[bool]:
    """Write many outcomes in one transaction (one disk sync for a whole batch). A row whose
    lease was lost to another worker (its state or attempt count moved on) is left alone and
    reported False, its links unstored."""
    if not settlements:
        return []
    table = _TABLE
    with db.write() as session:
        current = dict(session.execute(
            select(table.c.id, table.c.attempts).where(
                table.c.id.in_([s.item.id for s in settlements]),
                table.c.state == OutboxState.IN_FLIGHT.value)
            .with_for_update()
        ).all())
        stored = [current.get(s.item.id) == s.item.attempts for s in settlements]
        ours = [s for s, ok in zip(settlements, stored, strict=True) if ok]
        if ours:
            session.execute(
                update(table).where(table.c.id == bindparam("row_id")),
                [{"row_id": s.item.id, "state": s.state.value, "last_error": s.message,
                  "updated_at": now,
                  "next_attempt_at": s.retry_at if s.retry_at is not None else s.item.next_attempt_at,
                  "retried_from": s.item.attempts if s.unreached else s.item.retried_from}
                 for s in ours],
            )
            _store_links(session, [(s.item.provider, link) for s in ours for link in s.links], now)
    return stored


def _store_links(session: Session, updates: Sequence[tuple[str, LinkUpdate]], now: datetime) -> None:
    """Upsert many remote links with two queries and a bulk insert."""
    if not updates:
        return
    keys = {(provider, link.invoice_id) for provider, link in updates}
    existing = {
        (row.provider, row.invoice_id): row for row in session.scalars(
            select(RemoteLinkRow).where(
                RemoteLinkRow.invoice_id.in_({invoice_id for _, invoice_id in keys})))
        if (row.provider, row.invoice_id) in keys
    }
    for provider, link in updates:
        row = existing.get((provider, link.invoice_id))
        if row is None:
            row = RemoteLinkRow(provider=provider, invoice_id=link.invoice_id, remote_id="", link="",
                                remote_state="", remote_key="", updated_at=now)
            session.add(row)
            existing[(provider, link.invoice_id)] = row
        if link.remote_id is not None:
            row.remote_id = link.remote_id
        if link.link is not None:
            row.link = link.link
        if link.remote_state is not None:
            row.remote_state = link.remote_state
        if link.remote_key is not None:
            row.remote_key = link.remote_key
        row.updated_at = now
        if link.printed_link and link.link:
            session.execute(update(InvoiceRow).where(InvoiceRow.id == link.invoice_id)
                            .values(payment_link=link.link))


def _audit(session: Session, now: datetime, actor: str, action: str, item: OutboxRow,
           details: dict[str, object]) -> None:
    session.add(AuditRow(at=now, actor=actor, action=action,
                         subject=f"outbox:{item.id}:{item.provider}:{item.operation}",
                         details=json.dumps(details, ensure_ascii=False)))


def reopen(db: Database, item_id: int, now: datetime, actor: str = "") -> OutboxItem | None:
    """The cashier's "retry": a failed, skipped or waiting row becomes due now. Its error text
    stays until the next attempt replaces it. None when the row does not exist."""
    with db.write() as session:
        row = session.get(OutboxRow, item_id)
        if row is None:
            return None
        if row.state in (OutboxState.FAILED.value, OutboxState.SKIPPED.value, OutboxState.PENDING.value):
            _audit(session, now, actor, "sync.retry", row, {"from_state": row.state})
            row.state = OutboxState.PENDING.value
            row.retried_from = row.attempts
            row.next_attempt_at = now
            row.updated_at = now
        session.flush()
        return _item(row, _numbers(session, [row.invoice_id]).get(row.invoice_id, ""))


def skip(db: Database, item_id: int, now: datetime, actor: str = "", reason: str = "") -> OutboxItem | None:
    """The cashier's "skip": a failed or waiting row is settled without sending. A row in flight
    is left alone (its outcome is not known yet). None when the row does not exist."""
    with db.write() as session:
        row = session.get(OutboxRow, item_id)
        if row is None:
            return None
        if row.state in (OutboxState.FAILED.value, OutboxState.PENDING.value):
            _audit(session, now, actor, "sync.skip", row,
                   {"from_state": row.state, "reason": reason, "last_error": row.last_error})
            row.state = OutboxState.SKIPPED.value
            row.last_error = reason or row.last_error
            row.updated_at = now
        session.flush()
        return _item(row, _numbers(session, [row.invoice_id]).get(row.invoice_id, ""))


def get_item(db: Database, item_id: int) -> OutboxItem | None:
    with db.read() as session:
        row = session.get(OutboxRow, item_id)
        if row is None:
            return None
        return _item(row, _numbers(session, [row.invoice_id]).get(row.invoice_id, ""))


def items(db: Database, *, states: Iterable[OutboxState] | None = None, provider: str | None = None,
          invoice_id: int | None = None, limit: int = 500) -> list[OutboxItem]:
    """Outbox rows, newest problems first: for the sync pane and an invoice's sync state."""
    query = select(OutboxRow)
    if states is not None:
        query = query.where(OutboxRow.state.in_([state.value for state in states]))
    if provider is not None:
        query = query.where(OutboxRow.provider == provider)
    if invoice_id is not None:
        query = query.where(OutboxRow.invoice_id == invoice_id)
    with db.read() as session:
        rows = session.scalars(query.order_by(OutboxRow.id).limit(limit)).all()
        numbers = _numbers(session, (row.invoice_id for row in rows))
        return [_item(row, numbers.get(row.invoice_id, "")) for row in rows]


def latest_states(db: Database, invoice_ids: Iterable[int]) -> dict[int, dict[str, OutboxState]]:
    """Invoice id -> provider -> the state of its latest outbox row, for a page of the history
    (one indexed query for the whole page)."""
    ids = set(invoice_ids)
    if not ids:
        return {}
    states: dict[int, dict[str, OutboxState]] = {}
    with db.read() as session:
        rows = session.execute(
            select(OutboxRow.invoice_id, OutboxRow.provider, OutboxRow.state)
            .where(OutboxRow.invoice_id.in_(ids)).order_by(OutboxRow.id)
        ).all()
    for invoice_id, provider, state in rows:
        states.setdefault(invoice_id, {})[provider] = OutboxState(state)
    return states


def remote_link(db: Database, provider: str, invoice_id: int) -> RemoteLink | None:
    with db.read() as session:
        row = session.scalars(
            select(RemoteLinkRow).where(RemoteLinkRow.provider == provider,
                                        RemoteLinkRow.invoice_id == invoice_id)
        ).one_or_none()
        return None if row is None else _link(row)


def remote_links(db: Database, invoice_id: int) -> list[RemoteLink]:
    with db.read() as session:
        rows = session.scalars(
            select(RemoteLinkRow).where(RemoteLinkRow.invoice_id == invoice_id)
            .order_by(RemoteLinkRow.provider)
        ).all()
        return [_link(row) for row in rows]


def save_link(db: Database, provider: str, invoice_id: int, now: datetime, *,
              remote_id: str | None = None, link: str | None = None,
              remote_state: str | None = None, printed_link: bool = False) -> None:
    """Store what a provider said about an invoice outside the outbox (payment links, status)."""
    with db.write() as session:
        _store_links(session, [(provider, LinkUpdate(invoice_id, remote_id, link, remote_state,
                                                     printed_link))], now)


def links_awaiting_payment(db: Database, paid_states: Iterable[str], ended_states: Iterable[str],
                           open_statuses: Iterable[str]) -> list[tuple[RemoteLink, str]]:
    """Remote copies whose payment posapp must still learn, with the invoice number: the local
    invoice is open and unpaid, and the provider holds a payment link not known to be paid yet,
    or holds the invoice as paid already (learnt by any path: the issue row found it paid, a
    lookup after a crash) while the till has not recorded that payment. Sales only: a return
    or reduction shares its sale's remote copy and takes no payment from it."""
    paid = list(paid_states)
    with db.read() as session:
        rows = session.execute(
            select(RemoteLinkRow, InvoiceRow.number)
            .join(InvoiceRow, InvoiceRow.id == RemoteLinkRow.invoice_id)
            .where(RemoteLinkRow.remote_id != "",
                   InvoiceRow.kind == InvoiceKind.SALE.value,
                   InvoiceRow.status.in_(list(open_statuses)),
                   or_(and_(RemoteLinkRow.link != "",
                            RemoteLinkRow.remote_state.not_in([*paid, *ended_states])),
                       RemoteLinkRow.remote_state.in_(paid)))
            .order_by(RemoteLinkRow.id)
        ).all()
        return [(_link(row), number) for row, number in rows]


def counts(db: Database, providers: Iterable[str] = ()) -> list[ProviderCounts]:
    """Pending / in-flight / failed / done / skipped counts per provider, with the last success
    and the last error. `providers` adds names with no rows yet (enabled but idle)."""
    with db.read() as session:
        by_state: dict[str, dict[str, int]] = {}
        for provider, state, count in session.execute(
            select(OutboxRow.provider, OutboxRow.state, func.count()).group_by(
                OutboxRow.provider, OutboxRow.state)
        ):
            by_state.setdefault(provider, {})[state] = count
        for name in providers:
            by_state.setdefault(name, {})
        result = []
        for provider in sorted(by_state):
            states = by_state[provider]
            last_success = session.scalar(
                select(func.max(OutboxRow.updated_at)).where(
                    OutboxRow.provider == provider, OutboxRow.state == OutboxState.DONE.value)
            )
            last_error_row = session.execute(
                select(OutboxRow.last_error, OutboxRow.updated_at).where(
                    OutboxRow.provider == provider, OutboxRow.last_error != "",
                    OutboxRow.state.in_((OutboxState.PENDING.value, OutboxState.FAILED.value,
                                         OutboxState.IN_FLIGHT.value)),
                ).order_by(OutboxRow.updated_at.desc()).limit(1)
            ).first()
            result.append(ProviderCounts(
                provider=provider,
                pending=states.get(OutboxState.PENDING.value, 0),
                in_flight=states.get(OutboxState.IN_FLIGHT.value, 0),
                failed=states.get(OutboxState.FAILED.value, 0),
                done=states.get(OutboxState.DONE.value, 0),
                skipped=states.get(OutboxState.SKIPPED.value, 0),
                blocked=_blocked_count(session, provider),
                last_success_at=last_success,
                last_error=last_error_row[0] if last_error_row else "",
                last_error_at=last_error_row[1] if last_error_row else None,
            ))
        return result


def _blocked_count(session: Session, provider: str) -> int:
    """Pending rows that wait behind a failed row of the same invoice (a rejected sale blocks
    its cancellation)."""
    failed = _TABLE.alias("failed_row")
    return session.scalar(
        select(func.count()).select_from(OutboxRow).where(
            OutboxRow.provider == provider,
            OutboxRow.state == OutboxState.PENDING.value,
            select(failed.c.id).where(
                and_(failed.c.provider == provider, failed.c.invoice_id == OutboxRow.invoice_id,
                     failed.c.id < OutboxRow.id, failed.c.state == OutboxState.FAILED.value),
            ).exists(),
        )
    ) or 0
