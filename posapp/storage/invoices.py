"""Issued invoices in the database: gapless number allocation, bulk storing of invoices with
every derived amount, loading them back as domain `Invoice` values, outbox rows and audit
rows. All functions work inside the caller's transaction (Session). The history lists are
queried in `storage.invoice_history`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from posapp.domain.access import Actor
from posapp.domain.invoice import (
    Charge,
    ChargeKind,
    Discount,
    DiscountKind,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
)
from posapp.domain.money import ZERO
from posapp.domain.sync import (
    OPERATION_FOR_KIND,
    OutboxOperation,
    OutboxState,
    outbox_key,
    synced_payment_positions,
)
from posapp.storage import counters, journal, sales_rollup
from posapp.storage.bulk import executemany, insert_rows
from posapp.storage.models import (
    AuditRow,
    ChargeRow,
    InvoiceLineRow,
    InvoiceRow,
    NumberCounterRow,
    OutboxRow,
    PaymentRow,
    ProductRow,
    RemoteLinkRow,
)
from posapp.storage.snapshots import party_from_json, party_to_json
from posapp.storage.types import Quantity


def allocate_sequences(session: Session, till: str, series: str, count: int = 1) -> int:
    """Reserve `count` consecutive sequences for (till, series) and return the first; a
    rollback gives them back, so numbers are never skipped (see `posapp.storage.counters`)."""
    return counters.reserve(session, NumberCounterRow.__table__, {"till": till, "series": series},
                            "last_sequence", count)


def _credit_of(invoice: Invoice) -> Decimal:
    return sum((p.amount for p in invoice.payments if p.method is PaymentMethod.CREDIT), ZERO)


def _totals_columns(invoice: Invoice) -> dict[str, object]:
    totals = invoice.totals
    return {
        "status": invoice.status.value,
        "gross": totals.gross, "line_discount": totals.line_discount,
        "invoice_discount": totals.invoice_discount, "net": totals.net, "tax": totals.tax,
        "additions": totals.additions, "deductions": totals.deductions, "payable": totals.payable,
        "paid": totals.paid, "settled": totals.settled, "change": totals.change,
        "balance_due": totals.balance_due, "credit": _credit_of(invoice),
    }


def _invoice_values(invoice: Invoice, sequence: int, shift_id: int | None) -> dict[str, object]:
    assert invoice.number is not None
    assert invoice.issued_at is not None
    return {
        "user_id": invoice.cashier_id, "shift_id": shift_id,
        "number": invoice.number, "till": invoice.till, "series": invoice.series,
        "sequence": sequence, "kind": invoice.kind.value, "customer_id": invoice.customer_id,
        "seller_json": party_to_json(invoice.seller),
        "buyer_json": party_to_json(invoice.buyer) if invoice.buyer else None,
        "buyer_name": invoice.buyer.name if invoice.buyer else "",
        "created_at": invoice.created_at, "issued_at": invoice.issued_at,
        "cancelled_at": invoice.cancelled_at, "cancel_reason": invoice.cancel_reason,
        "notes": invoice.notes, "cashier": invoice.cashier,
        "original_number": invoice.original_number, "tax_id": invoice.tax_id,
        "payment_link": invoice.payment_link,
        "discount_kind": invoice.invoice_discount.kind.value,
        "discount_value": invoice.invoice_discount.value,
        **_totals_columns(invoice),
    }


def stock_movements(invoice: Invoice) -> dict[int, Decimal]:
    """How each product's stock changes through this invoice: sales take out, returns put back;
    reductions correct prices and leave stock alone."""
    sign = {InvoiceKind.SALE: -1, InvoiceKind.RETURN: 1, InvoiceKind.REDUCTION: 0}[invoice.kind]
    moves: dict[int, Decimal] = defaultdict(Decimal)
    if sign:
        for line in invoice.lines:
            if line.product_id is not None:
                moves[line.product_id] += sign * line.quantity
    return moves


_PRODUCTS = ProductRow.__table__
_MOVE_STOCK = (update(_PRODUCTS).where(_PRODUCTS.c.id == bindparam("product_id"))
               .values(stock=_PRODUCTS.c.stock + bindparam("delta", type_=Quantity())))


def apply_stock_movements(session: Session, moves: dict[int, Decimal]) -> None:
    if not moves:
        return
    executemany(session, _MOVE_STOCK,
                [{"product_id": pid, "delta": delta} for pid, delta in sorted(moves.items()) if delta])


def store_issued(
    session: Session,
    invoices: Sequence[tuple[Invoice, int, Sequence[str]]],
    actor: str = "",
    shift_ids: Sequence[int | None] | None = None,
) -> list[int]:
    """Insert issued invoices (each with its sequence and the providers it is queued for) with
    lines, charges, payments, stock movements, the report rollups, one outbox row per provider, an audit row and,
    last, one journal record each (with its fingerprint and its payments at issue); each
    invoice and its payments belong to the shift at the same index of `shift_ids`.
    Returns the new ids in order."""
    if not invoices:
        return []
    shifts = list(shift_ids) if shift_ids is not None else [None] * len(invoices)
    invoice_rows = [_invoice_values(inv, seq, shift) for (inv, seq, _), shift in zip(invoices, shifts, strict=True)]
    insert_rows(session, InvoiceRow.__table__, invoice_rows)
    ids = ids_by_number(session, [inv.number or "" for inv, _, _ in invoices])
    line_rows: list[dict[str, object]] = []
    payment_rows: list[dict[str, object]] = []
    charge_rows: list[dict[str, object]] = []
    outbox_rows: list[dict[str, object]] = []
    audit_rows: list[dict[str, object]] = []
    moves: dict[int, Decimal] = defaultdict(Decimal)
    now = datetime.now(UTC)
    entries: list[journal.Entry] = []
    for (invoice, _, providers), invoice_id, values in zip(invoices, ids, invoice_rows, strict=True):
        assert invoice.number is not None
        assert invoice.issued_at is not None
        first_line = len(line_rows)
        first_charge = len(charge_rows)
        for position, (line, totals) in enumerate(zip(invoice.lines, invoice.totals.lines, strict=True)):
            line_rows.append({
                "invoice_id": invoice_id, "position": position, "description": line.description,
                "quantity": line.quantity, "unit": line.unit, "unit_price": line.unit_price,
                "tax_rate": line.tax_rate, "discount_kind": line.discount.kind.value,
                "discount_value": line.discount.value, "product_id": line.product_id,
                "product_code": line.product_code, "origin_line": line.origin_line,
                "goods_code": line.goods_code, "unit_code": line.unit_code,
                "gross": totals.gross, "line_discount": totals.line_discount,
                "invoice_discount": totals.invoice_discount, "net": totals.net,
                "tax": totals.tax, "total": totals.total,
            })
        payment_rows.extend(
            _payment_values(invoice_id, position, payment, invoice.issued_at, invoice.cashier_id,
                            values["shift_id"])  # type: ignore[arg-type]
            for position, payment in enumerate(invoice.payments)
        )
        charge_rows.extend(
            {"invoice_id": invoice_id, "position": position, "label": c.label, "amount": c.amount,
             "is_deduction": c.is_deduction, "kind": c.kind.value}
            for position, c in enumerate(invoice.charges)
        )
        entries.append((invoice.till, Actor(invoice.cashier_id, invoice.cashier),
                        f"invoice.{invoice.kind.value}", invoice.number, {
                            "kind": invoice.kind.value, "original": invoice.original_number,
                            "payable": invoice.totals.payable, "shift_id": values["shift_id"],
                            "fingerprint": journal.invoice_fingerprint(
                                values, line_rows[first_line:], charge_rows[first_charge:]),
                            "payments": [payment_fields(p) for p in invoice.payments],
                        }))
        operation = OPERATION_FOR_KIND[invoice.kind]
        outbox_rows.extend(_outbox_values(p, invoice_id, operation, invoice.number, now) for p in providers)
        outbox_rows.extend(
            _outbox_values(p, invoice_id, OutboxOperation.PAYMENT, invoice.number, now, position)
            for position in synced_payment_positions(invoice) for p in providers)
        audit_rows.append({
            "at": now, "actor": actor or invoice.cashier, "action": f"invoice.{operation.value}",
            "subject": invoice.number,
            "details": f"payable={invoice.totals.payable} lines={len(invoice.lines)}",
        })
        for product_id, delta in stock_movements(invoice).items():
            moves[product_id] += delta
    insert_rows(session, InvoiceLineRow.__table__, line_rows)
    insert_rows(session, PaymentRow.__table__, payment_rows)
    insert_rows(session, ChargeRow.__table__, charge_rows)
    insert_rows(session, OutboxRow.__table__, outbox_rows)
    insert_rows(session, AuditRow.__table__, audit_rows)
    apply_stock_movements(session, moves)
    sales_rollup.record_issued(session, [invoice for invoice, _, _ in invoices])
    journal.append_many(session, entries)
    return ids


def payment_fields(payment: Payment) -> dict[str, object]:
    """What the journal keeps of a payment (and `audit verify` compares with its row)."""
    return {"method": payment.method.value, "amount": payment.amount, "reference": payment.reference}


def providers_knowing(session: Session, invoice_id: int) -> set[str]:
    """Providers that hold (or were queued) invoice `invoice_id`: its own outbox row, or a
    remote record such as a payment link made at the counter. Its corrections and later
    payments go to them, whatever the provider's scope says today."""
    queued = session.scalars(select(OutboxRow.provider).where(
        OutboxRow.invoice_id == invoice_id,
        OutboxRow.operation.in_([op.value for op in OPERATION_FOR_KIND.values()])))
    linked = session.scalars(select(RemoteLinkRow.provider).where(RemoteLinkRow.invoice_id == invoice_id))
    return set(queued) | set(linked)


def queued_keys(session: Session, provider: str, invoice_id: int) -> set[str]:
    """The idempotency keys of every outbox row of `provider` for invoice `invoice_id`."""
    return set(session.scalars(select(OutboxRow.idempotency_key).where(
        OutboxRow.provider == provider, OutboxRow.invoice_id == invoice_id)))


def ids_by_number(session: Session, numbers: Sequence[str]) -> list[int]:
    """Invoice ids for `numbers`, in the same order (a multi-row INSERT ... RETURNING cannot
    promise row order on every database, so ids are read back by their unique number)."""
    found: dict[str, int] = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        found.update(session.execute(
            select(InvoiceRow.number, InvoiceRow.id).where(InvoiceRow.number.in_(chunk))
        ).all())
    return [found[number] for number in numbers]


def _payment_values(invoice_id: int, position: int, payment: Payment, at: datetime,
                    user_id: int | None, shift_id: int | None) -> dict[str, object]:
    return {"invoice_id": invoice_id, "position": position, "method": payment.method.value,
            "amount": payment.amount, "reference": payment.reference, "recorded_at": at,
            "user_id": user_id, "shift_id": shift_id}


def _outbox_values(
    provider: str, invoice_id: int, operation: OutboxOperation, number: str, now: datetime,
    payment_position: int | None = None,
) -> dict[str, object]:
    return {
        "provider": provider, "invoice_id": invoice_id, "operation": operation.value,
        "idempotency_key": outbox_key(provider, operation, number, payment_position),
        "state": OutboxState.PENDING.value, "attempts": 0, "next_attempt_at": now,
        "last_error": "", "created_at": now, "updated_at": now, "retried_from": 0,
    }


def add_outbox(
    session: Session, providers: Iterable[str], invoice_id: int, operation: OutboxOperation, number: str,
    payment_position: int | None = None,
) -> None:
    """One row per provider; a PAYMENT row names its payment by `payment_position`."""
    now = datetime.now(UTC)
    insert_rows(session, OutboxRow.__table__,
                [_outbox_values(p, invoice_id, operation, number, now, payment_position) for p in providers])


def add_audit(session: Session, action: str, subject: str, details: str = "", actor: str = "") -> None:
    session.add(AuditRow(at=datetime.now(UTC), actor=actor, action=action, subject=subject, details=details))


def _discount(kind: str, value: Decimal) -> Discount:
    return Discount(DiscountKind(kind), value)


def load_invoice(session: Session, invoice_id: int) -> Invoice | None:
    row = session.get(InvoiceRow, invoice_id)
    return None if row is None else _to_invoice(session, row)


def load_invoice_by_number(session: Session, number: str, *, for_update: bool = False) -> Invoice | None:
    """The invoice numbered `number`. With `for_update`, its row stays locked until the caller's
    transaction ends (SELECT ... FOR UPDATE; SQLite needs none, its writers are serialised), so
    two tills deciding about the same sale (return, cancel, payment) take turns and the second
    sees what the first stored."""
    statement = select(InvoiceRow).where(InvoiceRow.number == number)
    if for_update:
        statement = statement.with_for_update()
    row = session.execute(statement).scalar_one_or_none()
    return None if row is None else _to_invoice(session, row)


def _to_invoice(session: Session, row: InvoiceRow) -> Invoice:
    lines = session.execute(
        select(InvoiceLineRow).where(InvoiceLineRow.invoice_id == row.id).order_by(InvoiceLineRow.position)
    ).scalars()
    payments = session.execute(
        select(PaymentRow).where(PaymentRow.invoice_id == row.id).order_by(PaymentRow.position)
    ).scalars()
    charges = session.execute(
        select(ChargeRow).where(ChargeRow.invoice_id == row.id).order_by(ChargeRow.position)
    ).scalars()
    return Invoice(
        seller=party_from_json(row.seller_json),
        buyer=party_from_json(row.buyer_json) if row.buyer_json else None,
        customer_id=row.customer_id,
        kind=InvoiceKind(row.kind),
        status=InvoiceStatus(row.status),
        id=row.id,
        number=row.number,
        till=row.till,
        series=row.series,
        created_at=row.created_at,
        issued_at=row.issued_at,
        invoice_discount=_discount(row.discount_kind, row.discount_value),
        lines=tuple(
            InvoiceLine(
                description=line.description, quantity=line.quantity, unit_price=line.unit_price,
                unit=line.unit, tax_rate=line.tax_rate,
                discount=_discount(line.discount_kind, line.discount_value),
                product_id=line.product_id, product_code=line.product_code,
                origin_line=line.origin_line, goods_code=line.goods_code, unit_code=line.unit_code,
            )
            for line in lines
        ),
        charges=tuple(
            Charge(c.label, c.amount, c.is_deduction, ChargeKind(c.kind)) for c in charges
        ),
        payments=tuple(Payment(PaymentMethod(p.method), p.amount, p.reference, recorded_at=p.recorded_at)
                       for p in payments),
        notes=row.notes,
        cashier=row.cashier,
        cashier_id=row.user_id,
        original_number=row.original_number,
        cancel_reason=row.cancel_reason,
        cancelled_at=row.cancelled_at,
        tax_id=row.tax_id,
        payment_link=row.payment_link,
    )


def update_after_change(session: Session, invoice: Invoice, cancelled_by: int | None = None,
                        cancel_shift_id: int | None = None) -> None:
    """Store a lifecycle change of an issued invoice (status, cancellation with who cancelled it
    in which shift, derived totals)."""
    assert invoice.id is not None
    cancellation = ({"cancelled_by": cancelled_by, "cancel_shift_id": cancel_shift_id}
                    if invoice.status is InvoiceStatus.CANCELLED else {})
    if invoice.status is InvoiceStatus.CANCELLED and session.execute(
            select(InvoiceRow.status).where(InvoiceRow.id == invoice.id)).scalar_one() != InvoiceStatus.CANCELLED.value:
        sales_rollup.record_cancelled(session, invoice)
    session.execute(
        update(InvoiceRow.__table__)
        .where(InvoiceRow.__table__.c.id == invoice.id)
        .values(cancelled_at=invoice.cancelled_at, cancel_reason=invoice.cancel_reason,
                **cancellation, **_totals_columns(invoice))
    )


def append_payment(session: Session, invoice: Invoice, payment: Payment, at: datetime,
                   user_id: int | None = None, shift_id: int | None = None) -> None:
    assert invoice.id is not None
    insert_rows(session, PaymentRow.__table__, [
        _payment_values(invoice.id, len(invoice.payments) - 1, payment, at, user_id, shift_id)])


def returned_quantities(session: Session, number: str) -> dict[int, Decimal]:
    """Original line index -> quantity already returned, over non-cancelled return invoices."""
    rows = session.execute(
        select(InvoiceLineRow.origin_line, func.sum(InvoiceLineRow.quantity))
        .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
        .where(
            InvoiceRow.original_number == number,
            InvoiceRow.kind == InvoiceKind.RETURN.value,
            InvoiceRow.status != InvoiceStatus.CANCELLED.value,
            InvoiceLineRow.origin_line.is_not(None),
        )
        .group_by(InvoiceLineRow.origin_line)
    ).all()
    return {int(index): Decimal(total) for index, total in rows if index is not None}


def take_over_returns(session: Session, sale_number: str) -> list[str]:
    """A reduction replacing sale `sale_number` has just been issued: its returns that stand are
    taken out of the sales rollups (the reduction's lines already leave their goods out, see
    `posapp.storage.replacements`); they stay valid documents. Returns their numbers."""
    ids = session.scalars(
        select(InvoiceRow.id).where(InvoiceRow.original_number == sale_number,
                                    InvoiceRow.kind == InvoiceKind.RETURN.value,
                                    InvoiceRow.status != InvoiceStatus.CANCELLED.value)
        .order_by(InvoiceRow.id)).all()
    numbers = []
    for invoice_id in ids:
        taken = load_invoice(session, invoice_id)
        assert taken is not None
        sales_rollup.record_cancelled(session, taken)
        numbers.append(taken.number or "")
    return numbers
