"""The journal in the database: the only code that writes it, and only by appending.

There is one chain for the whole shop. `append` locks the single `journal_head` row (SELECT
... FOR UPDATE on PostgreSQL; on SQLite every write transaction already holds the database's
write lock from BEGIN IMMEDIATE), numbers the record after the head and moves the head, all in
the caller's transaction: the record commits with the change it describes, or neither does,
and two tills can never append two records with the same predecessor. Append last in a
transaction, after every other row lock, so the head lock is held briefly and always taken in
the same order. No function here updates or deletes a journal record.

Invoices are journaled by fingerprint: the SHA-256 of the columns that never change after
issue (number, amounts, lines, charges, user and shift), so a changed total shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from posapp.domain.access import Actor
from posapp.domain.journal import (
    GENESIS_HASH,
    JournalRecord,
    canonical_decimal,
    canonical_json,
    digest,
    record_hash,
)
from posapp.storage.bulk import insert_rows
from posapp.storage.models import (
    ChargeRow,
    InvoiceLineRow,
    InvoiceRow,
    JournalHeadRow,
    JournalRow,
)

START_ACTION = "journal.start"

INVOICE_FIELDS = (
    "number", "till", "series", "sequence", "kind", "customer_id", "buyer_name", "issued_at",
    "original_number", "discount_kind", "discount_value", "gross", "line_discount",
    "invoice_discount", "net", "tax", "additions", "deductions", "payable", "cashier", "user_id",
    "shift_id",
)
"""Invoice columns a fingerprint covers: all that are fixed at issue (status, paid and balance
change through journaled payments and cancellations)."""
LINE_FIELDS = (
    "position", "description", "quantity", "unit", "unit_price", "tax_rate", "discount_kind",
    "discount_value", "product_code", "origin_line", "gross", "line_discount", "invoice_discount",
    "net", "tax", "total",
)
"""Line columns a fingerprint covers (not product_id, which a deleted product sets to NULL)."""
CHARGE_FIELDS = ("position", "label", "amount", "is_deduction", "kind")


def _fields(row: Mapping[Any, Any], names: tuple[str, ...]) -> dict[str, object]:
    """`names` of `row`, Decimals already as their canonical text (the JSON is the same as when
    the encoder converts them, without calling back into Python for each one)."""
    fields: dict[str, object] = {}
    for name in names:
        value = row[name]
        fields[name] = canonical_decimal(value) if type(value) is Decimal else value
    return fields


def invoice_fingerprint(invoice: Mapping[Any, Any], lines: Sequence[Mapping[Any, Any]],
                        charges: Sequence[Mapping[Any, Any]]) -> str:
    """The fingerprint of an invoice from its column values (as inserted or as read back)."""
    return digest({
        "invoice": _fields(invoice, INVOICE_FIELDS),
        "lines": [_fields(line, LINE_FIELDS) for line in sorted(lines, key=lambda line: line["position"])],
        "charges": [_fields(charge, CHARGE_FIELDS)
                    for charge in sorted(charges, key=lambda charge: charge["position"])],
    })


def _row_values(record: JournalRecord) -> dict[str, object]:
    return {
        "seq": record.seq, "at": record.at, "till": record.till, "user_id": record.user_id,
        "user_name": record.user_name, "approver_id": record.approver_id,
        "approver_name": record.approver_name, "action": record.action, "subject": record.subject,
        "payload": record.payload, "prev_hash": record.prev_hash, "hash": record.hash,
    }


def _sealed(seq: int, at: datetime, till: str, actor: Actor, action: str, subject: str,
            payload: Mapping[str, object], prev_hash: str) -> JournalRecord:
    unsealed = JournalRecord(seq, at, till, actor.user_id, actor.name, actor.approver_id,
                             actor.approver_name, action, subject[:200], canonical_json(payload),
                             prev_hash, "")
    return JournalRecord(**{**unsealed.__dict__, "hash": record_hash(unsealed)})


def start_record(at: datetime, invoices_before: int, payments_before: int) -> dict[str, object]:
    """The chain's first record (written by the migration that creates the journal): which
    invoice and payment ids existed before it, and so are outside what the journal proves."""
    return _row_values(_sealed(
        1, at, "", Actor(None, ""), START_ACTION, "",
        {"invoices_before": invoices_before, "payments_before": payments_before}, GENESIS_HASH))


Entry = tuple[str, Actor, str, str, Mapping[str, object]]
"""(till, actor, action, subject, payload) of one record to append."""


def append(session: Session, till: str, actor: Actor, action: str, subject: str,
           payload: Mapping[str, object]) -> JournalRecord:
    """Append one record in the caller's transaction; see the module docstring."""
    return append_many(session, [(till, actor, action, subject, payload)])[-1]


def append_many(session: Session, entries: Sequence[Entry]) -> list[JournalRecord]:
    """Append records in order, locking and moving the head once."""
    if not entries:
        return []
    head = session.execute(
        select(JournalHeadRow.last_seq, JournalHeadRow.last_hash)
        .where(JournalHeadRow.id == 1).with_for_update()
    ).one()
    seq, previous = int(head.last_seq), str(head.last_hash)
    now = datetime.now(UTC)
    records: list[JournalRecord] = []
    for till, actor, action, subject, payload in entries:
        seq += 1
        record = _sealed(seq, now, till, actor, action, subject, payload, previous)
        records.append(record)
        previous = record.hash
    insert_rows(session, JournalRow.__table__, [_row_values(r) for r in records])
    session.execute(update(JournalHeadRow).where(JournalHeadRow.id == 1)
                    .values(last_seq=seq, last_hash=previous))
    return records


def head(session: Session) -> tuple[int, str]:
    row = session.execute(select(JournalHeadRow.last_seq, JournalHeadRow.last_hash)
                          .where(JournalHeadRow.id == 1)).one()
    return int(row.last_seq), str(row.last_hash)


_RECORD_COLUMNS = tuple(JournalRow.__table__.c[name] for name in (
    "seq", "at", "till", "user_id", "user_name", "approver_id", "approver_name", "action", "subject",
    "payload", "prev_hash", "hash"))



def records(session: Session, batch_size: int = 5000) -> Iterator[list[JournalRecord]]:
    """Every record in stored order (by seq), in batches: a keyset walk, so a big journal is
    never held in memory at once."""
    last = 0
    while True:
        batch = [JournalRecord(*row) for row in session.execute(
            select(*_RECORD_COLUMNS).where(JournalRow.seq > last).order_by(JournalRow.seq).limit(batch_size))]
        if not batch:
            return
        yield batch
        last = batch[-1].seq



def invoice_fingerprints(session: Session, after_id: int, batch_size: int = 2000) -> Iterator[tuple[int, str, str]]:
    """(id, number, fingerprint) of every invoice with id above `after_id`, recomputed from the
    rows as they are now, in id order."""
    last = after_id
    invoice_columns = [InvoiceRow.__table__.c[name] for name in ("id", *INVOICE_FIELDS)]
    line_columns = [InvoiceLineRow.__table__.c[name] for name in ("invoice_id", *LINE_FIELDS)]
    charge_columns = [ChargeRow.__table__.c[name] for name in ("invoice_id", *CHARGE_FIELDS)]
    while True:
        invoices = session.execute(select(*invoice_columns).where(InvoiceRow.id > last)
                                   .order_by(InvoiceRow.id).limit(batch_size)).mappings().all()
        if not invoices:
            return
        first, last = invoices[0]["id"], invoices[-1]["id"]
        lines: dict[int, list[Mapping[Any, Any]]] = {}
        for line in session.execute(select(*line_columns).where(
                InvoiceLineRow.invoice_id.between(first, last))).mappings():
            lines.setdefault(line["invoice_id"], []).append(line)
        charges: dict[int, list[Mapping[Any, Any]]] = {}
        for charge in session.execute(select(*charge_columns).where(
                ChargeRow.invoice_id.between(first, last))).mappings():
            charges.setdefault(charge["invoice_id"], []).append(charge)
        for invoice in invoices:
            yield (invoice["id"], invoice["number"],
                   invoice_fingerprint(invoice, lines.get(invoice["id"], []), charges.get(invoice["id"], [])))
