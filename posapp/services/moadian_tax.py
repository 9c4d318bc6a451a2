"""Tax IDs for the documents a shop reports to Moadian, taken in the issuing transaction.

When Moadian is enabled (`posapp.settings.moadian`), every sale it covers (all sales, or only
sales to identified buyers), every return of such a sale and every cancellation of such a
document gets a 22-character tax ID from the database's serial counter for the shop's fiscal
memory (`posapp.storage.moadian`), dated by the document's own time. Serials are never reused:
not across tills, not after a refusal (a corrected document takes a new one). The sale's and the
return's tax IDs are printed on them (`invoices.tax_id`); each document is also kept in
`moadian_documents` with the tax ID it cancels or replaces, and queued in the outbox for
`posapp.services.moadian_sync` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.domain.invoice import Invoice, InvoiceKind, InvoiceStatus
from posapp.domain.moadian import make_tax_id, parse_tax_id
from posapp.domain.moadian_invoice import InvoiceSubject, InvoiceType, invoice_type
from posapp.domain.sync import OPERATION_FOR_KIND, OutboxOperation
from posapp.settings.moadian import NAME, MoadianScope, active_memory_id, moadian_scope
from posapp.settings.store import SettingsStore
from posapp.storage import invoices as store
from posapp.storage import moadian as moadian_store
from posapp.storage.moadian import MoadianDocumentRecord
from posapp.storage.models import InvoiceRow, MoadianDocumentRow


@dataclass(frozen=True)
class TaxIdAssignment:
    """What a new document is numbered under, before its invoice has an id."""

    tax_id: str
    subject: InvoiceSubject
    referenced_tax_id: str
    at: datetime


class MoadianTaxIds:
    """Numbers documents for Moadian inside the caller's transaction (nothing when disabled)."""

    def __init__(self, settings: SettingsStore | None) -> None:
        self._settings = settings

    def _memory_id(self) -> str:
        return active_memory_id(self._settings) if self._settings is not None else ""

    def for_new(self, session: Session, drafts: Sequence[Invoice],
                times: Sequence[datetime]) -> list[TaxIdAssignment | None]:
        """One assignment per draft about to be issued at `times` (None when it is not
        reported): sales the scope covers, and returns and reductions of reported sales (a
        reduction is sent as a corrective invoice replacing the sale's standing document: the
        sale, or its latest return, since the reduction states what the customer still holds
        after every return)."""
        memory_id = self._memory_id()
        if not memory_id:
            return [None] * len(drafts)
        planned: list[tuple[int, InvoiceSubject, str]] = []
        for index, draft in enumerate(drafts):
            if draft.kind is InvoiceKind.SALE and self._covers(draft):
                planned.append((index, InvoiceSubject.ORIGINAL, ""))
            elif draft.kind is InvoiceKind.RETURN:
                head = current_document(session, draft.original_number or "")
                if head is not None:
                    planned.append((index, InvoiceSubject.RETURN_FROM_SALE, head))
            elif draft.kind is InvoiceKind.REDUCTION:
                head = current_document(session, draft.original_number or "")
                if head is not None:
                    planned.append((index, InvoiceSubject.CORRECTION, head))
        result: list[TaxIdAssignment | None] = [None] * len(drafts)
        if not planned:
            return result
        first = moadian_store.allocate_serials(session, memory_id, len(planned))
        for offset, (index, subject, referenced) in enumerate(planned):
            result[index] = TaxIdAssignment(make_tax_id(memory_id, times[index], first + offset), subject,
                                            referenced, times[index])
        return result

    def _covers(self, sale: Invoice) -> bool:
        assert self._settings is not None
        return (moadian_scope(self._settings) is MoadianScope.ALL
                or invoice_type(sale) is InvoiceType.IDENTIFIED_BUYER)

    @staticmethod
    def record(session: Session, assignments: Sequence[TaxIdAssignment | None], issued: Sequence[Invoice],
               ids: Sequence[int]) -> None:
        """Keep the numbered documents and queue each for Moadian, in the issuing transaction."""
        numbered = [(a, invoice, invoice_id)
                    for a, invoice, invoice_id in zip(assignments, issued, ids, strict=True) if a is not None]
        moadian_store.add_documents(session, [
            MoadianDocumentRecord(invoice_id, int(a.subject), a.tax_id, a.referenced_tax_id, a.at)
            for a, _, invoice_id in numbered
        ])
        for _, invoice, invoice_id in numbered:
            store.add_outbox(session, [NAME], invoice_id, OPERATION_FOR_KIND[invoice.kind],
                             invoice.number or "")

    def for_cancellation(self, session: Session, cancelled: Invoice) -> str | None:
        """Number and record the cancellation of `cancelled` when Moadian holds it (its own
        sale or return document); returns the cancellation's tax ID."""
        memory_id = self._memory_id()
        assert cancelled.id is not None
        if not memory_id or cancelled.status is not InvoiceStatus.CANCELLED:
            return None
        own = moadian_store.documents_of(session, [cancelled.id])
        if not own or any(d.subject == InvoiceSubject.CANCELLATION for d in own):
            return None
        at = cancelled.cancelled_at
        assert at is not None
        tax_id = make_tax_id(memory_id, at, moadian_store.allocate_serials(session, memory_id))
        moadian_store.add_documents(session, [MoadianDocumentRecord(
            cancelled.id, int(InvoiceSubject.CANCELLATION), tax_id, own[-1].tax_id, at)])
        store.add_outbox(session, [NAME], cancelled.id, OutboxOperation.CANCEL, cancelled.number or "")
        return tax_id


def current_document(session: Session, sale_number: str) -> str | None:
    """The tax ID of the document that stands for sale `sale_number` at Moadian now: its latest
    return not cancelled, else the sale itself; None when the sale was never reported."""
    invoices = InvoiceRow.__table__
    chain = select(invoices.c.id).where(
        ((invoices.c.number == sale_number) & (invoices.c.kind == InvoiceKind.SALE.value))
        | ((invoices.c.original_number == sale_number) & (invoices.c.kind == InvoiceKind.RETURN.value)
           & (invoices.c.status != InvoiceStatus.CANCELLED.value)))
    return session.execute(
        select(MoadianDocumentRow.tax_id)
        .where(MoadianDocumentRow.invoice_id.in_(chain),
               MoadianDocumentRow.subject != int(InvoiceSubject.CANCELLATION))
        .order_by(MoadianDocumentRow.id.desc()).limit(1)
    ).scalar_one_or_none()


def verified_documents(session: Session, invoice_id: int) -> list[MoadianDocumentRecord]:
    """The invoice's Moadian documents, each tax ID's shape and check digit verified as read
    (a damaged ID raises ValidationError instead of being sent)."""
    records = moadian_store.documents_of(session, [invoice_id])
    for record in records:
        parse_tax_id(record.tax_id)
        if record.referenced_tax_id:
            parse_tax_id(record.referenced_tax_id, field="irtaxid")
    return records
