"""Moadian's tax-ID serial counter per fiscal memory and the documents numbered under it.

A serial is taken in the transaction that issues the document, so it commits with the invoice or
not at all, and the counter row's lock (BEGIN IMMEDIATE on SQLite, the UPDATE's row lock
elsewhere) keeps two tills from ever taking the same one. A serial is never given back: a
refused document is corrected by a new document with a new serial.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from posapp.storage.bulk import insert_rows
from posapp.storage.models import MoadianDocumentRow, MoadianSerialRow


@dataclass(frozen=True)
class MoadianDocumentRecord:
    invoice_id: int
    subject: int
    tax_id: str
    referenced_tax_id: str
    issued_at: datetime


def allocate_serials(session: Session, memory_id: str, count: int = 1) -> int:
    """Reserve `count` consecutive serials under `memory_id` and return the first (serials
    start at 1)."""
    serials = MoadianSerialRow.__table__
    if session.connection().dialect.name == "postgresql":
        upsert = pg_insert(serials).values(memory_id=memory_id, last_serial=count)
        last = session.execute(
            upsert.on_conflict_do_update(
                index_elements=[serials.c.memory_id],
                set_={"last_serial": serials.c.last_serial + count},
            ).returning(serials.c.last_serial)
        ).scalar_one()
        return int(last) - count + 1
    last = session.execute(
        update(serials).where(serials.c.memory_id == memory_id)
        .values(last_serial=serials.c.last_serial + count)
        .returning(serials.c.last_serial)
    ).scalar_one_or_none()
    if last is None:
        session.execute(insert(serials).values(memory_id=memory_id, last_serial=count))
        last = count
    return int(last) - count + 1


def add_documents(session: Session, records: Sequence[MoadianDocumentRecord]) -> None:
    insert_rows(session, MoadianDocumentRow.__table__, [
        {"invoice_id": r.invoice_id, "subject": r.subject, "tax_id": r.tax_id,
         "referenced_tax_id": r.referenced_tax_id, "issued_at": r.issued_at}
        for r in records
    ])


def documents_of(session: Session, invoice_ids: Sequence[int]) -> list[MoadianDocumentRecord]:
    """The Moadian documents of `invoice_ids`, oldest first."""
    if not invoice_ids:
        return []
    rows = session.execute(
        select(MoadianDocumentRow).where(MoadianDocumentRow.invoice_id.in_(list(invoice_ids)))
        .order_by(MoadianDocumentRow.id)
    ).scalars()
    return [MoadianDocumentRecord(r.invoice_id, r.subject, r.tax_id, r.referenced_tax_id, r.issued_at)
            for r in rows]
