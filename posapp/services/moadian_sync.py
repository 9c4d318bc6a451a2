"""Delivery of numbered documents to Moadian through the outbox: send in batches, then poll for
the tax administration's verdict.

Rows (provider `moadian`, written with the document in the issuing transaction) are claimed with
the same lease and fencing machinery as every provider's (`posapp.storage.outbox`), so the
app's worker and `posapp sync --once` may run together. For each claimed row:

1. A document that has a packet uid was (perhaps) sent before: it is inquired first, never
   sent again blindly (by its receipt's reference, else by its uid, and when neither is found
   by its tax ID: `_inquired`). SUCCESS settles the row done (accepted); FAILED settles it
   failed with Moadian's errors in Persian kept on the document and the row for the cashier;
   IN_PROGRESS or PENDING puts the row back to be polled again; a packet Moadian does not know
   under any of the three never arrived, so it is sent again under the same uid and tax ID; a
   packet that ended TIMEOUT, its tax ID not held, goes out again under a new uid.
2. A document without a uid is mapped to Moadian's JSON (a line lacking its goods or unit code
   refuses the row, naming the product); its new uid is stored (fenced on the row's claim)
   BEFORE the batch is posted. The POST only acknowledges receipt: the row goes back to wait
   for the verdict. A lost answer leaves the uid stored, so the next run inquires.

A rejected document is corrected with `correct()`: a new tax ID (new serial, same date), a new
uid, sent again. A cancellation of a document Moadian never accepted has nothing to cancel and
is settled without sending. Qt-free and blocking: run it from the sync worker or the CLI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from posapp.domain.errors import DomainError, LifecycleError
from posapp.domain.invoice import Invoice, InvoiceLine
from posapp.domain.moadian import make_tax_id, parse_tax_id
from posapp.domain.moadian_invoice import (
    GoodsCode,
    InvoiceSubject,
    MoadianDocument,
    cancellation_document,
    correction_document,
    return_document,
    sale_document,
    unit_code_for,
)
from posapp.domain.sync import OutboxItem, OutboxOperation, OutboxState
from posapp.providers.errors import AuthenticationError, NetworkError, ProviderError
from posapp.services.changes import OUTBOX_CHANGED
from posapp.services.error_text import error_text, scrubbed
from posapp.services.moadian_tax import verified_documents
from posapp.settings.moadian import NAME, active_memory_id
from posapp.settings.shop import SHOP_ECONOMIC_CODE
from posapp.storage import invoices as store
from posapp.storage import moadian as moadian_store
from posapp.storage import outbox
from posapp.storage.moadian import DocumentStatus, MoadianDocumentRecord

if TYPE_CHECKING:
    from posapp.providers.moadian import InquiryResult
    from posapp.services.sync.engine import SyncServices

log = logging.getLogger(__name__)

INQUIRY_MARGIN = timedelta(hours=1)
"""The inquiry window opens this long before the packet was sent: the till's clock and the tax
administration's may differ."""

SUBJECT_FOR_OPERATION = {
    OutboxOperation.ISSUE: InvoiceSubject.ORIGINAL,
    OutboxOperation.RETURN: InvoiceSubject.RETURN_FROM_SALE,
    OutboxOperation.REDUCE: InvoiceSubject.CORRECTION,
    OutboxOperation.CANCEL: InvoiceSubject.CANCELLATION,
}


HOW_TO_CORRECT = ("اصلاح: علت را برطرف کنید و «تلاش دوباره» را بزنید؛ با شماره مالیاتی تازه فرستاده می‌شود / "
                  "to correct: fix the cause and press Retry; it is sent under a new tax ID")
"""The last line of a refused row's message: the correction path (docs/moadian.md has the
whole of it, a buyer's wrong codes included)."""


@dataclass(frozen=True)
class MoadianPolicy:
    batch_size: int = 500
    """Rows claimed (and packets posted) at a time; Moadian takes at most 1,000 per POST."""
    lease_seconds: float = 120.0
    poll_seconds: float = 20.0
    """How soon a sent packet is inquired again while Moadian has no verdict."""
    retry_seconds: float = 60.0
    """How soon a row is tried again after Moadian could not be reached."""
    warn_days_before: int = 2
    """A document not accepted this close to its deadline is listed by `posapp sync status`."""


@dataclass
class MoadianSummary:
    accepted: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """(invoice number, message) of documents refused by Moadian or by the mapping."""
    sent: int = 0
    waiting: int = 0
    error: str = ""

    def text(self) -> str:
        line = (f"moadian: accepted {len(self.accepted)}, rejected {len(self.rejected)}, "
                f"sent {self.sent}, awaiting verdict {self.waiting}")
        if self.error:
            line += f" — {self.error}"
        return "\n".join([line, *(f"  {number}: {message}" for number, message in self.rejected)])


@dataclass(frozen=True)
class DeadlineWarning:
    invoice_number: str
    tax_id: str
    status: str
    deadline: datetime


@dataclass(frozen=True)
class _Outcome:
    """How one claimed row ends this run, and what its document becomes."""

    item: OutboxItem
    document_id: int | None
    document_status: str | None
    state: OutboxState
    message: str
    retry_at: datetime | None = None
    refused: bool = False
    """Moadian or the mapping refused the document: the row also says how to correct it."""

    @property
    def row_message(self) -> str:
        return f"{self.message}\n{HOW_TO_CORRECT}" if self.refused else self.message


def utc_now() -> datetime:
    return datetime.now(UTC)


def _inquired(client: Any, documents: Sequence[MoadianDocumentRecord]) -> list[InquiryResult | None]:
    """Moadian's verdict on each document that has gone (or may have gone) out, or None for one
    Moadian never received, which alone may be sent again. Asked by the receipt's reference
    when it was recorded, else (or when the reference finds nothing) by the packet uid stored
    before sending; a document neither finds, or whose packet ended TIMEOUT (final for the
    official Java SDK, unexplained elsewhere), is finally looked up by its tax ID, which Moadian
    holds whatever packet carried it: a packet that went out but falls outside the inquiry's
    window or reading is never sent a second time, and a TIMEOUT one whose tax ID Moadian does
    not hold comes back as TIMEOUT, to go out again under a new uid."""
    if not documents:
        return []
    from posapp.providers.moadian import InquiryResult, Message, ProcessingStatus

    since = min(d.sent_at or d.issued_at for d in documents) - INQUIRY_MARGIN
    found: dict[int, InquiryResult] = {}
    for ask, key in ((client.inquire_by_reference, "reference_number"), (client.inquire_by_uid, "uid")):
        asking = [d for d in documents if d.id not in found and getattr(d, key)]
        if asking:
            for document, verdict in zip(asking, ask([getattr(d, key) for d in asking], since=since), strict=True):
                if verdict.status is not ProcessingStatus.NOT_FOUND:
                    found[document.id] = verdict
    unknown = [d for d in documents if d.id not in found or found[d.id].status is ProcessingStatus.TIMEOUT]
    held = client.invoice_statuses([d.tax_id for d in unknown]) if unknown else {}
    for document in unknown:
        if document.tax_id in held:
            note = (f"سامانه مؤدیان این شماره مالیاتی را پذیرفته است (وضعیت {held[document.tax_id]}) / "
                    f"Moadian holds this tax ID (status {held[document.tax_id]})")
            found[document.id] = InquiryResult(document.uid, document.reference_number, ProcessingStatus.SUCCESS,
                                               warnings=(Message("", note),))
    return [found.get(d.id) for d in documents]


class MoadianSync:
    """One shop's Moadian delivery over its database; `client_factory` builds a ready
    `MoadianClient` (from the stored settings and keyring in the app)."""

    def __init__(self, services: SyncServices, client_factory: Callable[[], Any], *,
                 policy: MoadianPolicy | None = None, clock: Callable[[], datetime] = utc_now) -> None:
        self.services = services
        self.db = services.database
        self.client_factory = client_factory
        self.policy = policy or MoadianPolicy()
        self.clock = clock

    # -- the run ---------------------------------------------------------------------------------

    def run_once(self) -> MoadianSummary:
        """Deliver and poll every due row once; rows waiting for a verdict come back later."""
        summary = MoadianSummary()
        if NAME not in outbox.providers_with_work(self.db, self.clock()):
            return summary
        try:
            client = self.client_factory()
        except (ProviderError, DomainError) as error:
            summary.error = error_text(error)
            self._unreachable(summary.error)
            return summary
        done: set[int] = set()
        with client:
            while True:
                now = self.clock()
                lease = now + timedelta(seconds=self.policy.lease_seconds)
                items = outbox.claim_due(self.db, NAME, now, lease, self.policy.batch_size, exclude=done)
                if not items:
                    return summary
                self._announce()
                done.update(item.id for item in items)
                try:
                    self._work(client, items, summary)
                except ProviderError as error:
                    summary.error = error_text(error)
                    self._later(items, summary.error, self.policy.retry_seconds,
                                unreached=isinstance(error, NetworkError))
                    return summary

    def _unreachable(self, message: str) -> None:
        """No client (no key or certificate, a bad memory ID): the due rows say why and wait."""
        now = self.clock()
        items = outbox.claim_due(self.db, NAME, now, now + timedelta(seconds=self.policy.lease_seconds),
                                     self.policy.batch_size)
        self._later(items, message, self.policy.retry_seconds, unreached=True)

    def _work(self, client: Any, claimed: Sequence[OutboxItem], summary: MoadianSummary) -> None:
        documents: dict[int, MoadianDocumentRecord] = {}
        unreadable: list[_Outcome] = []
        with self.db.read() as session:  # the whole batch's documents in one transaction
            for item in claimed:
                try:
                    documents[item.id] = self._document(session, item)
                except DomainError as error:  # a damaged tax ID is never sent
                    unreadable.append(_Outcome(item, None, None, OutboxState.FAILED, error_text(error)))
        self._apply(unreadable, summary)
        items = [item for item in claimed if item.id in documents]
        for item in items:
            if documents[item.id].status == DocumentStatus.REJECTED and documents[item.id].uid:
                self._renumber(documents[item.id], actor="")
                with self.db.read() as session:
                    documents[item.id] = self._document(session, item)
        with_uid = [item for item in items if documents[item.id].uid]
        resend: list[OutboxItem] = []
        outcomes: list[_Outcome] = []
        verdicts = _inquired(client, [documents[item.id] for item in with_uid])
        timed_out: list[OutboxItem] = []
        from posapp.providers.moadian import ProcessingStatus

        for item, verdict in zip(with_uid, verdicts, strict=True):
            if verdict is None:
                resend.append(item)
            elif verdict.status is ProcessingStatus.TIMEOUT:
                timed_out.append(item)
            else:
                outcomes.append(self._verdict_outcome(item, documents[item.id], verdict))
        if timed_out:  # Moadian gave up on these packets and holds none of their tax IDs
            with self.db.write() as session:
                moadian_store.forget_uids(session, [(documents[i.id].id, documents[i.id].uid) for i in timed_out])
            for item in timed_out:
                documents[item.id] = replace(documents[item.id], uid="", reference_number="", sent_at=None)
        fresh = [item for item in items if not documents[item.id].uid]
        packets = self._prepared([*resend, *fresh], documents, outcomes)
        self._apply(outcomes, summary)
        if not packets:
            return
        from posapp.providers.moadian import new_uid

        new = [(item, doc, doc.uid or new_uid(), payload) for item, doc, payload in packets]
        with self.db.write() as session:
            stored = moadian_store.store_uids(session, [(item.id, item.attempts, doc.id, uid)
                                                        for item, doc, uid, _ in new if not doc.uid])
        sendable = [(item, doc, uid, payload) for item, doc, uid, payload in new
                    if doc.uid or doc.id in stored]
        if not sendable:
            return
        try:
            receipts = client.send([(uid, payload) for _, _, uid, payload in sendable])
        except ProviderError as error:
            if not error.retryable and not isinstance(error, (NetworkError, AuthenticationError)):
                log.warning("Moadian refused a batch: %s", error.message_en)
            raise
        by_uid = {receipt.uid: receipt.reference_number for receipt in receipts}
        now = self.clock()
        with self.db.write() as session:
            moadian_store.mark_sent(session, [(doc.id, by_uid[uid]) for _, doc, uid, _ in sendable], now)
        summary.sent += len(sendable)
        summary.waiting += len(sendable)
        self._later([item for item, *_ in sendable], "", self.policy.poll_seconds)

    @staticmethod
    def _document(session: Session, item: OutboxItem) -> MoadianDocumentRecord:
        subject = SUBJECT_FOR_OPERATION[item.operation]
        return next(r for r in verified_documents(session, item.invoice_id) if r.subject == subject)

    def _prepared(self, items: Sequence[OutboxItem], documents: dict[int, MoadianDocumentRecord],
                  outcomes: list[_Outcome]) -> list[tuple[OutboxItem, MoadianDocumentRecord, MoadianDocument]]:
        """The documents mapped to Moadian's JSON; the refused and the needless end in `outcomes`."""
        prepared = []
        for item in items:
            document = documents[item.id]
            try:
                if document.subject == InvoiceSubject.CANCELLATION and not self._accepted(document.referenced_tax_id):
                    outcomes.append(_Outcome(item, document.id, DocumentStatus.NOT_NEEDED, OutboxState.DONE,
                                             "سامانه مؤدیان سند ابطال‌شده را نپذیرفته بود؛ چیزی برای ابطال نیست / "
                                             "Moadian never accepted the cancelled document; nothing to cancel"))
                    continue
                prepared.append((item, document, self._payload(item, document)))
            except DomainError as error:
                outcomes.append(_Outcome(item, document.id, DocumentStatus.REJECTED, OutboxState.FAILED,
                                         error_text(error), refused=True))
        return prepared

    def _accepted(self, tax_id: str) -> bool:
        with self.db.read() as session:
            record = moadian_store.document_by_tax_id(session, tax_id)
        return record is not None and record.status == DocumentStatus.ACCEPTED

    def _payload(self, item: OutboxItem, document: MoadianDocumentRecord) -> MoadianDocument:
        invoicing = self.services.invoicing
        invoice = invoicing.get(item.invoice_id)
        # The shop's economic code as registered with its fiscal memory now (a typo fixed in the
        # settings fixes every document not accepted yet), else the one printed on the invoice.
        economic_code = self.services.settings.get(SHOP_ECONOMIC_CODE).strip() or invoice.seller.economic_code.strip()
        if document.subject == InvoiceSubject.CANCELLATION:
            return cancellation_document(invoice, tax_id=document.tax_id, cancelled_tax_id=document.referenced_tax_id,
                                         seller_economic_code=economic_code, at=document.issued_at)
        if document.subject == InvoiceSubject.ORIGINAL:
            return sale_document(invoice, tax_id=document.tax_id, seller_economic_code=economic_code,
                                 codes=self._codes(invoice.lines))
        sale = invoicing.get_by_number(invoice.original_number or "")
        if document.subject == InvoiceSubject.CORRECTION:
            return correction_document(sale, invoice, tax_id=document.tax_id,
                                       referenced_tax_id=document.referenced_tax_id,
                                       seller_economic_code=economic_code, codes=self._codes(invoice.lines),
                                       at=document.issued_at)
        return return_document(sale, self._returns_until(sale, invoice), tax_id=document.tax_id, referenced_tax_id=document.referenced_tax_id,
                               seller_economic_code=economic_code, codes=self._codes(sale.lines),
                               at=document.issued_at)

    def _returns_until(self, sale: Invoice, this_return: Invoice) -> list[Invoice]:
        """The sale's returns not cancelled, up to and including `this_return`."""
        with self.db.read() as session:
            ids = moadian_store.standing_return_ids(session, sale.number or "", this_return.id or 0)
        return [self.services.invoicing.get(invoice_id) for invoice_id in ids]

    def _codes(self, lines: Sequence[InvoiceLine]) -> list[GoodsCode | None]:
        """Each line's codes as copied at issue; a line issued without them takes its product's
        codes from the catalogue now (the first time it is sent)."""
        missing = [line.product_id for line in lines if not line.goods_code and line.product_id is not None]
        products = {p.id: p for p in self.services.catalog.get_many(missing)} if missing else {}
        codes: list[GoodsCode | None] = []
        for line in lines:
            goods, unit = line.goods_code, line.unit_code
            product = products.get(line.product_id) if not goods and line.product_id is not None else None
            if product is not None:
                goods, unit = product.goods_code, unit or product.moadian_unit_code
            unit = unit or unit_code_for(line.unit, "")
            codes.append(GoodsCode(goods, unit) if goods else None)
        return codes

    # -- outcomes --------------------------------------------------------------------------------

    def _verdict_outcome(self, item: OutboxItem, document: MoadianDocumentRecord,
                         verdict: InquiryResult) -> _Outcome:
        from posapp.providers.moadian import ProcessingStatus

        if verdict.status is ProcessingStatus.SUCCESS:
            warnings = scrubbed("\n".join(f"{m.code}: {m.text}" for m in verdict.warnings))
            return _Outcome(item, document.id, DocumentStatus.ACCEPTED, OutboxState.DONE, warnings)
        if verdict.status is ProcessingStatus.FAILED:
            messages = scrubbed("\n".join(f"{m.code}: {m.text}" for m in verdict.errors + verdict.warnings))
            return _Outcome(item, document.id, DocumentStatus.REJECTED, OutboxState.FAILED,
                            messages or "رد شد / rejected", refused=True)
        return _Outcome(item, None, None, OutboxState.PENDING, "",
                        self.clock() + timedelta(seconds=self.policy.poll_seconds))

    def _apply(self, outcomes: Sequence[_Outcome], summary: MoadianSummary) -> None:
        """The verdicts on the documents first (a fact from Moadian, safe to write twice), then
        the rows settled under their claims, each in one transaction for the whole batch."""
        if not outcomes:
            return
        with self.db.write() as session:
            for outcome in outcomes:
                if outcome.document_id is not None and outcome.document_status is not None:
                    moadian_store.set_verdict(session, outcome.document_id, outcome.document_status,
                                              outcome.message)
        stored = outbox.settle(self.db, [
            outbox.Settlement(o.item, o.state, o.row_message, retry_at=o.retry_at) for o in outcomes],
            self.clock())
        self._announce()
        for outcome, ours in zip(outcomes, stored, strict=True):
            if not ours:
                continue
            if outcome.state is OutboxState.FAILED:
                summary.rejected.append((outcome.item.invoice_number, outcome.message))
            elif outcome.state is OutboxState.PENDING:
                summary.waiting += 1
            elif outcome.document_status == DocumentStatus.ACCEPTED:
                summary.accepted.append(outcome.item.invoice_number)

    def _later(self, items: Sequence[OutboxItem], message: str, seconds: float, *,
               unreached: bool = False) -> None:
        at = self.clock() + timedelta(seconds=seconds)
        outbox.settle(self.db, [outbox.Settlement(item, OutboxState.PENDING, message, retry_at=at,
                                                          unreached=unreached) for item in items], self.clock())
        if items:
            self._announce()

    def _announce(self) -> None:
        """Rows claimed or settled: say so on the database's feed (the sync pane follows)."""
        self.db.changes.publish(OUTBOX_CHANGED)

    # -- the cashier's tools ---------------------------------------------------------------------

    def correct(self, invoice_number: str, actor: str = "") -> str:
        """Send a rejected document again under a new tax ID (the old one is never reused), once
        its cause is fixed (a goods code added to the product, the buyer's codes corrected), and
        return the new tax ID. The sync pane's "retry" on a rejected Moadian row does the same
        when the row is next sent."""
        invoice = self.services.invoicing.get_by_number(invoice_number)
        with self.db.read() as session:
            rejected = [d for d in verified_documents(session, invoice.id or 0)
                        if d.status == DocumentStatus.REJECTED]
        if not rejected:
            raise LifecycleError(f"سند ردشده‌ای از فاکتور {invoice_number} در سامانه مؤدیان نیست",
                                 f"invoice {invoice_number} has no document Moadian rejected")
        document = rejected[-1]
        tax_id = self._renumber(document, actor) if document.uid else document.tax_id
        operation = next(op for op, subject in SUBJECT_FOR_OPERATION.items() if subject == document.subject)
        for item in outbox.items(self.db, provider=NAME, invoice_id=invoice.id):
            if item.operation is operation:
                outbox.reopen(self.db, item.id, self.clock(), actor)
        self._announce()
        return tax_id

    def _renumber(self, document: MoadianDocumentRecord, actor: str) -> str:
        """A new serial under the document's own memory ID and date: the refused tax ID went to
        Moadian and is never used again."""
        memory_id = parse_tax_id(document.tax_id).memory_id
        with self.db.write() as session:
            tax_id = make_tax_id(memory_id, document.issued_at, moadian_store.allocate_serials(session, memory_id))
            moadian_store.renumber(session, document.id, tax_id)
            store.add_audit(session, "moadian.renumber", document.tax_id, f"-> {tax_id}", actor)
        return tax_id

    def near_deadline(self, deadline_days: int) -> list[DeadlineWarning]:
        """Documents not accepted yet whose deadline (issue + `deadline_days`) is within
        `warn_days_before` days, or past."""
        horizon = self.clock() + timedelta(days=self.policy.warn_days_before)
        with self.db.read() as session:
            waiting = moadian_store.unaccepted(session)
        warnings = []
        for record, number in waiting:
            deadline = record.issued_at + timedelta(days=deadline_days)
            if deadline <= horizon:
                warnings.append(DeadlineWarning(number, record.tax_id, record.status, deadline))
        return warnings


def build_moadian_sync(services: SyncServices, *, transport: Any = None) -> MoadianSync:
    """Delivery as the app and `posapp sync` run it: the client from the stored settings and
    the keyring."""
    from posapp.settings.moadian import build_client

    return MoadianSync(services, lambda: build_client(services.settings, transport=transport))


def run_if_enabled(services: SyncServices, *, transport: Any = None) -> MoadianSummary | None:
    """One delivery run when Moadian is switched on (None when it is off): the step the app's
    sync worker and `posapp sync --once` call after the providers' drain."""
    if not active_memory_id(services.settings):
        return None
    return build_moadian_sync(services, transport=transport).run_once()


def errors_of(summary: MoadianSummary | None) -> list[tuple[str, str]]:
    """A run's failure to reach Moadian (no key or certificate, a refused token, the network)
    as the (provider, message) pair the sync pane's unreachable line shows; none when it ran."""
    return [(NAME, summary.error)] if summary is not None and summary.error else []


def deadline_days(services: SyncServices) -> int:
    from posapp.settings import providers as provider_settings

    return int(getattr(provider_settings.load_config(services.settings, NAME), "deadline_days", 12))


def deadline_warnings(services: SyncServices) -> list[DeadlineWarning]:
    """Documents Moadian has yet to accept that are close to their deadline or past it (for
    `posapp sync status` and the sync pane); none while Moadian is off."""
    if not active_memory_id(services.settings):
        return []
    return MoadianSync(services, lambda: None).near_deadline(deadline_days(services))


def status_text(services: SyncServices) -> str:
    """The Moadian lines of `posapp sync status`: documents close to their deadline."""
    warnings = deadline_warnings(services)
    days = deadline_days(services)
    if not warnings:
        return ""
    lines = [f"moadian: {len(warnings)} document(s) not accepted close to or past the {days}-day "
             f"deadline / صورتحساب‌های نزدیک به مهلت ارسال"]
    lines += [f"  {w.invoice_number} {w.tax_id} {w.status}: deadline {w.deadline:%Y-%m-%d %H:%M} UTC"
              for w in warnings]
    return "\n".join(lines)
