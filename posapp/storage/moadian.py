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
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, select, update
from sqlalchemy.orm import Session

from posapp.domain.invoice import InvoiceKind, InvoiceStatus
from posapp.domain.moadian_invoice import InvoiceSubject
from posapp.domain.sync import OutboxState
from posapp.storage import counters
from posapp.storage.bulk import insert_rows
from posapp.storage.models import (
    InvoiceRow,
    MoadianDocumentRow,
    MoadianSerialRow,
    OutboxRow,
)


@dataclass(frozen=True)
class MoadianDocumentRecord:
    invoice_id: int
    subject: int
    tax_id: str
    referenced_tax_id: str
    issued_at: datetime
    uid: str = ""
    reference_number: str = ""
    status: str = "queued"
    messages: str = ""
    sent_at: datetime | None = None
    id: int = 0


class DocumentStatus:
    QUEUED = "queued"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NOT_NEEDED = "not-needed"
    """A cancellation of a document Moadian never accepted: nothing to send."""


def allocate_serials(session: Session, memory_id: str, count: int = 1) -> int:
    """Reserve `count` consecutive serials under `memory_id` and return the first (serials
    start at 1)."""
    return counters.reserve(session, MoadianSerialRow.__table__, {"memory_id": memory_id}, "last_serial", count)


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
    return [_record(r) for r in rows]


def _record(r: MoadianDocumentRow) -> MoadianDocumentRecord:
    return MoadianDocumentRecord(r.invoice_id, r.subject, r.tax_id, r.referenced_tax_id, r.issued_at,
                                 r.uid, r.reference_number, r.status, r.messages, r.sent_at, r.id)


def document_by_tax_id(session: Session, tax_id: str) -> MoadianDocumentRecord | None:
    row = session.scalars(select(MoadianDocumentRow).where(MoadianDocumentRow.tax_id == tax_id)).one_or_none()
    return None if row is None else _record(row)


def _held(session: Session, fenced: Sequence[tuple[int, int]]) -> set[int]:
    """Which (outbox row id, attempts) claims still hold, their rows locked till commit."""
    tokens = dict(fenced)
    current = session.execute(
        select(OutboxRow.id, OutboxRow.attempts).where(
            OutboxRow.id.in_(list(tokens)), OutboxRow.state == OutboxState.IN_FLIGHT.value)
        .with_for_update()).all()
    return {row_id for row_id, attempts in current if tokens.get(row_id) == attempts}


def store_uids(session: Session, uids: Sequence[tuple[int, int, int, str]]) -> set[int]:
    """Give documents their packet uids before sending: (outbox row id, its attempts token,
    document id, uid). Only where the claim still holds and the document has no uid yet;
    returns the document ids that got theirs."""
    if not uids:
        return set()
    held = _held(session, [(row_id, token) for row_id, token, _, _ in uids])
    stored: set[int] = set()
    for row_id, _, document_id, uid in uids:
        if row_id not in held:
            continue
        done = cast("CursorResult[Any]", session.execute(update(MoadianDocumentRow).where(
            MoadianDocumentRow.id == document_id, MoadianDocumentRow.uid == "").values(uid=uid)))
        if done.rowcount:
            stored.add(document_id)
    return stored


def forget_uids(session: Session, uids: Sequence[tuple[int, str]]) -> None:
    """(document id, uid) of packets Moadian gave up on (TIMEOUT) and never registered: the
    documents go out again under new uids, same tax IDs. A uid another worker already replaced
    is left alone."""
    for document_id, uid in uids:
        session.execute(update(MoadianDocumentRow).where(
            MoadianDocumentRow.id == document_id, MoadianDocumentRow.uid == uid)
            .values(uid="", reference_number="", status=DocumentStatus.QUEUED, sent_at=None))


def mark_sent(session: Session, receipts: Sequence[tuple[int, str]], at: datetime) -> None:
    """(document id, reference number) of packets Moadian acknowledged."""
    if receipts:
        session.execute(
            update(MoadianDocumentRow.__table__).where(MoadianDocumentRow.__table__.c.id == bindparam("doc_id"))
            .values(reference_number=bindparam("reference"), status=DocumentStatus.SENT, sent_at=at),
            [{"doc_id": doc_id, "reference": reference} for doc_id, reference in receipts])


def set_verdict(session: Session, document_id: int, status: str, messages: str) -> None:
    session.execute(update(MoadianDocumentRow).where(MoadianDocumentRow.id == document_id)
                    .values(status=status, messages=messages))


def renumber(session: Session, document_id: int, tax_id: str) -> None:
    """A rejected document under a new tax ID (its old one is never used again), to be sent
    afresh under a new uid; a sale's or return's printed tax ID follows, and so do the documents
    not sent yet that refer to it (a return or cancellation waiting behind it)."""
    row = session.get(MoadianDocumentRow, document_id)
    assert row is not None
    session.execute(update(MoadianDocumentRow).where(
        MoadianDocumentRow.referenced_tax_id == row.tax_id, MoadianDocumentRow.uid == "")
        .values(referenced_tax_id=tax_id))
    row.tax_id, row.uid, row.reference_number, row.status, row.sent_at = tax_id, "", "", DocumentStatus.QUEUED, None
    if row.subject != InvoiceSubject.CANCELLATION:
        session.execute(update(InvoiceRow).where(InvoiceRow.id == row.invoice_id).values(tax_id=tax_id))


def unaccepted(session: Session, limit: int = 500) -> list[tuple[MoadianDocumentRecord, str]]:
    """Documents Moadian has yet to accept (queued, sent or rejected), oldest first, with the
    invoice number."""
    rows = session.execute(
        select(MoadianDocumentRow, InvoiceRow.number)
        .join(InvoiceRow, InvoiceRow.id == MoadianDocumentRow.invoice_id)
        .where(MoadianDocumentRow.status.not_in([DocumentStatus.ACCEPTED, DocumentStatus.NOT_NEEDED]))
        .order_by(MoadianDocumentRow.issued_at, MoadianDocumentRow.id).limit(limit)).all()
    return [(_record(row), number) for row, number in rows]


def standing_return_ids(session: Session, sale_number: str, up_to_id: int) -> list[int]:
    """Ids of the returns of sale `sale_number` not cancelled, up to invoice id `up_to_id`."""
    return list(session.scalars(
        select(InvoiceRow.id).where(InvoiceRow.original_number == sale_number,
                                    InvoiceRow.kind == InvoiceKind.RETURN.value,
                                    InvoiceRow.status != InvoiceStatus.CANCELLED.value,
                                    InvoiceRow.id <= up_to_id).order_by(InvoiceRow.id)))
