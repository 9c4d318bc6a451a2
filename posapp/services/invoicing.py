"""Selling: drafts, lines priced from the catalogue, issuing with gapless numbers, held sales,
history, payments, cancellations and returns.

Every mutating call is one transaction: the number, the invoice with all its parts and derived
amounts, the stock movements, the sync outbox rows and the audit row commit together or not at
all. Thread-safe: each call opens its own session. Returned invoices are immutable snapshots.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from posapp.domain import invoice as domain
from posapp.domain.access import SYSTEM, Actor, Permission
from posapp.domain.errors import DomainError, LifecycleError, NotFoundError, ValidationError
from posapp.domain.invoice import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Party,
    Payment,
    PaymentMethod,
)
from posapp.domain.jalali import iran_day_start, iran_today
from posapp.domain.numbering import format_invoice_number
from posapp.domain.sync import (
    OPERATION_FOR_KIND,
    OutboxOperation,
    outbox_key,
    scope_accepts,
    synced_payment_positions,
)
from posapp.domain.tax import DEFAULT_VAT_TABLE, VatTable, tax_rate_for_product
from posapp.services._common import Progress, decimal_places
from posapp.services.access import TillSession, require_in
from posapp.services.catalog import ProductView
from posapp.services.changes import (
    HELD_SALES,
    INVOICE_WRITTEN,
    OUTBOX_CHANGED,
    PAYMENT_RECORDED,
    SALE_AT_TILL,
    writes,
)
from posapp.services.moadian_tax import MoadianTaxIds
from posapp.services.shifts import open_shift_id, shift_for_change
from posapp.settings.providers import enabled_sync_targets, invoice_scope
from posapp.settings.shop import SERIES_CODE, TILL_CODE, shop_party
from posapp.settings.store import SettingsStore
from posapp.storage import invoice_history, journal
from posapp.storage import invoices as store
from posapp.storage.engine import Database
from posapp.storage.models import HeldSaleRow
from posapp.storage.snapshots import draft_from_json, draft_to_json

ISSUE_BATCH = 1000
"""Invoices per transaction in `issue_many`."""


@dataclass(frozen=True)
class InvoiceSummary:
    """One row of an invoice history list."""

    id: int
    number: str
    kind: InvoiceKind
    status: InvoiceStatus
    issued_at: datetime
    customer_id: int | None
    customer_name: str
    payable: Decimal
    balance_due: Decimal


def summaries(rows: Iterable[Row[*tuple[Any, ...]]]) -> list[InvoiceSummary]:
    """Summaries from rows of `invoice_history.SUMMARY_COLUMNS`."""
    return [
        InvoiceSummary(
            id=row.id, number=row.number, kind=InvoiceKind(row.kind), status=InvoiceStatus(row.status),
            issued_at=row.issued_at, customer_id=row.customer_id, customer_name=row.buyer_name,
            payable=row.payable, balance_due=row.balance_due,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class HistoryFilter:
    """Invoice history filters. Dates are Tehran calendar days (the GUI converts from Jalali)."""

    date_from: date | None = None
    date_to: date | None = None
    status: InvoiceStatus | None = None
    customer_id: int | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    number_prefix: str = ""

    def to_query(self) -> invoice_history.HistoryQuery:
        return invoice_history.HistoryQuery(
            issued_from=iran_day_start(self.date_from) if self.date_from else None,
            issued_before=iran_day_start(self.date_to + timedelta(days=1)) if self.date_to else None,
            status=self.status.value if self.status else None,
            customer_id=self.customer_id,
            min_amount=self.min_amount,
            max_amount=self.max_amount,
            number_prefix=self.number_prefix.strip().upper(),
        )


@dataclass(frozen=True)
class HeldSale:
    id: int
    label: str
    created_at: datetime
    line_count: int
    payable: Decimal


def _refuse_cancel(session: Session, invoice: Invoice) -> None:
    domain.check_cancellable(invoice)
    if invoice.kind is InvoiceKind.SALE and any(store.returned_quantities(session, invoice.number or "").values()):
        raise LifecycleError("این فاکتور برگشتی دارد؛ ابطال ممکن نیست",
                             "this invoice has returns; it cannot be cancelled")
    if invoice.kind is InvoiceKind.RETURN:
        sale = store.load_invoice_by_number(session, invoice.original_number or "")
        if sale is not None and sale.status is InvoiceStatus.CANCELLED:
            raise LifecycleError(
                f"فروش {sale.number} با فاکتور کاهشی جایگزین شده و این برگشت در آن آمده است؛ ابطال ممکن نیست",
                f"sale {sale.number} was replaced by a reduction that takes this return into account; "
                "it cannot be cancelled")


def _drop_open_sale(session: Session, till: str) -> None:
    session.execute(delete(HeldSaleRow).where(HeldSaleRow.open_on_till == till))


def check_storable(draft: Invoice) -> None:
    """Refuse values the ledger cannot keep exactly: prices are whole Rial, discounts have at
    most three decimals, tax rates at most six (so nothing is rounded silently on save)."""
    for line in draft.lines:
        if line.unit_price != line.unit_price.to_integral_value():
            raise ValidationError("unit_price", f"قیمت «{line.description}» باید ریال کامل باشد",
                                  f"the price of '{line.description}' must be whole Rial")
        if decimal_places(line.tax_rate) > 6:
            raise ValidationError("tax_rate", "نرخ مالیات بیش از شش رقم اعشار دارد",
                                  "a tax rate takes at most six decimal places")
    for discount in (draft.invoice_discount, *(line.discount for line in draft.lines)):
        if decimal_places(discount.value) > 3:
            raise ValidationError("discount", "تخفیف حداکثر سه رقم اعشار می‌پذیرد",
                                  "a discount takes at most three decimal places")
    for amount in (*(c.amount for c in draft.charges), *(p.amount for p in draft.payments)):
        if amount != amount.to_integral_value():
            raise ValidationError("payment", "مبالغ باید ریال کامل باشند", "amounts must be whole Rial")


class UnsavedInvoiceError(DomainError):
    """The database refused the invoice (a product or customer on it was deleted meanwhile, or
    another till's change collided with it); nothing was saved and the draft is kept."""


FOREIGN_KEY_VIOLATION = "23503"
"""SQLSTATE of a foreign-key violation (PostgreSQL and the SQL standard)."""


def is_missing_reference(error: IntegrityError) -> bool:
    """Whether the database refused a row because something it refers to does not exist."""
    original = error.orig
    return (getattr(original, "sqlstate", None) == FOREIGN_KEY_VIOLATION
            or "FOREIGN KEY" in str(original).upper())


@contextmanager
def _missing_records_explained() -> Iterator[None]:
    """Numbers and keys are allocated inside the transaction, so an integrity failure while
    issuing means a referenced product or customer was deleted meanwhile, or (rarely) another
    till's change collided with this one; either way nothing was saved."""
    try:
        yield
    except IntegrityError as exc:
        if is_missing_reference(exc):
            raise UnsavedInvoiceError(
                "فاکتور ذخیره نشد: کالا یا مشتری آن دیگر وجود ندارد؛ ردیف‌ها را بررسی کنید",
                "the invoice was not saved: a product or customer on it no longer exists; check its lines",
            ) from exc
        raise UnsavedInvoiceError(
            "فاکتور ذخیره نشد: با تغییر هم‌زمان صندوق دیگری برخورد کرد؛ دوباره صادر کنید",
            "the invoice was not saved: it collided with another till's change at the same moment; "
            "issue it again",
        ) from exc


class InvoicingService:
    """Invoices from draft to issued and every correction after. `providers` (or, when None,
    the `sync.enabled_providers` setting) names who may get an outbox row: a sale goes to
    those whose invoice scope takes it, and everything after it to those that hold the sale."""

    def __init__(
        self,
        database: Database,
        settings: SettingsStore | None = None,
        *,
        vat_table: VatTable = DEFAULT_VAT_TABLE,
        providers: Sequence[str] | None = None,
        session: TillSession | None = None,
    ) -> None:
        self._db = database
        self.session = session or TillSession()
        """Who is signed in here: the actor of calls that name none, and a new draft's cashier."""
        self._settings = settings
        self.vat_table = vat_table
        self._providers = None if providers is None else tuple(providers)
        self._moadian = MoadianTaxIds(settings)

    @property
    def till(self) -> str:
        """This till's code: where cancellations and later payments are recorded."""
        return (self._settings.get(TILL_CODE).strip() or "1") if self._settings is not None else "1"

    @property
    def providers(self) -> tuple[str, ...]:
        if self._providers is not None:
            return self._providers
        return enabled_sync_targets(self._settings) if self._settings is not None else ()

    # -- drafts ----------------------------------------------------------------------------

    def new_draft(self, cashier: str = "", cashier_id: int | None = None) -> Invoice:
        """An empty sale draft with the shop as seller and this till's numbering series, started
        by `cashier` (by default the user signed in at this till)."""
        if cashier_id is None and self.session.user is not None:
            cashier, cashier_id = self.session.user.name, self.session.user.id
        if self._settings is None:
            return Invoice(seller=Party(name=""), cashier=cashier, cashier_id=cashier_id)
        return Invoice(
            seller=shop_party(self._settings), cashier=cashier, cashier_id=cashier_id,
            till=self._settings.get(TILL_CODE).strip() or "1",
            series=self._settings.get(SERIES_CODE).strip() or "A",
        )

    def line_for_product(
        self, product: ProductView, quantity: Decimal = Decimal(1), day: date | None = None,
    ) -> InvoiceLine:
        """A sale line copying the product's price, unit, tax rate for `day` (default today in
        Tehran) and Moadian codes, so later catalogue changes never rewrite this sale."""
        rate = tax_rate_for_product(self.vat_table, day or iran_today(), product.tax_rate_override,
                                    product.tax_exempt)
        return InvoiceLine(
            description=product.name, quantity=quantity, unit_price=product.price, unit=product.unit,
            tax_rate=rate, product_id=product.id, product_code=product.code,
            goods_code=product.goods_code, unit_code=product.moadian_unit_code,
        )

    # -- issuing ---------------------------------------------------------------------------

    @writes(SALE_AT_TILL)
    def issue(self, draft: Invoice, at: datetime | None = None) -> Invoice:
        """Issue `draft` in one transaction and return it with its id and number. If anything
        fails nothing is kept, not even the number. A reduction needs CANCEL_INVOICE of whoever
        acts at this till (it cancels the sale it replaces)."""
        if draft.kind is InvoiceKind.SALE and self._settings is not None:
            # the shop as it is now: a sale held or restored from before the profile was filled
            # (or changed) must not keep the old seller block
            draft = draft.with_changes(seller=shop_party(self._settings))
        with _missing_records_explained(), self._db.write() as session:
            if draft.kind is InvoiceKind.REDUCTION:
                # a reduction cancels the sale it replaces: the same right as cancelling
                require_in(session, self.session.actor, Permission.CANCEL_INVOICE)
            issued = self._issue_all(session, [draft], at)[0]
            _drop_open_sale(session, draft.till)
            return issued

    @writes(INVOICE_WRITTEN)
    def issue_many(
        self, drafts: Sequence[Invoice], progress: Progress | None = None, batch_size: int = ISSUE_BATCH,
    ) -> list[Invoice]:
        """Issue many drafts through the same path as `issue`, `batch_size` per transaction.
        Each draft keeps its own `issued_at` if set (demo data back-dates sales)."""
        issued: list[Invoice] = []
        for start in range(0, len(drafts), batch_size):
            with _missing_records_explained(), self._db.write() as session:
                issued.extend(self._issue_all(session, drafts[start:start + batch_size], None))
            if progress is not None:
                progress(len(issued), len(drafts))
        return issued

    def _issue_all(self, session: Session, drafts: Sequence[Invoice], at: datetime | None,
                   shift_till: str | None = None) -> list[Invoice]:
        """Issue `drafts` in `session`; each belongs to the open shift of its own till, or of
        `shift_till` (a return made at this till of a sale numbered at another)."""
        for draft in drafts:
            check_storable(draft)
            domain.check_seller_named(draft)
            if draft.kind is not InvoiceKind.SALE:
                self._check_correction(session, draft)
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, draft in enumerate(drafts):
            groups[(draft.till, draft.series)].append(index)
        sequences: dict[int, int] = {}
        for (till, series), indexes in groups.items():
            first = store.allocate_sequences(session, till, series, len(indexes))
            sequences.update((index, first + offset) for offset, index in enumerate(indexes))
        shifts: dict[str, int | None] = {}
        checked: set[tuple[str, int | None]] = set()
        for draft in drafts:
            if (draft.till, draft.cashier_id) not in checked:
                checked.add((draft.till, draft.cashier_id))
                shift = shift_for_change(session, shift_till or draft.till, Actor(draft.cashier_id, draft.cashier))
                shifts.setdefault(draft.till, shift)
        now = at or datetime.now(UTC)
        times = [draft.issued_at or now for draft in drafts]
        tax_ids = self._moadian.for_new(session, drafts, times)
        issued = [
            domain.issue(draft, format_invoice_number(draft.till, draft.series, sequences[i]), times[i],
                         assignment.tax_id if assignment else None)
            for i, (draft, assignment) in enumerate(zip(drafts, tax_ids, strict=True))
        ]
        ids = store.store_issued(session, [(inv, sequences[i], self._providers_for_new(session, inv))
                                           for i, inv in enumerate(issued)],
                                 shift_ids=[shifts[inv.till] for inv in issued])
        self._moadian.record(session, tax_ids, issued, ids)
        for invoice in issued:
            if invoice.kind is InvoiceKind.REDUCTION:
                self._cancel_replaced(session, invoice, shifts[invoice.till])
        return [domain.with_same_amounts(inv, id=invoice_id) for inv, invoice_id in zip(issued, ids, strict=True)]

    def _providers_for_new(self, session: Session, invoice: Invoice) -> tuple[str, ...]:
        """Who gets an issued document: a sale goes to each enabled provider whose scope (all,
        named customers, paid by link) takes it; a return or reduction follows its sale."""
        if invoice.kind is not InvoiceKind.SALE:
            [original_id] = store.ids_by_number(session, [invoice.original_number or ""])
            return self._providers_knowing(session, original_id)
        if self._settings is None:
            return self.providers
        return tuple(name for name in self.providers
                     if scope_accepts(invoice_scope(self._settings, name), invoice))

    def _providers_knowing(self, session: Session, invoice_id: int) -> tuple[str, ...]:
        """The enabled providers that hold invoice `invoice_id`: its cancellation, corrections and
        later payments go to them only."""
        knowing = store.providers_knowing(session, invoice_id)
        return tuple(name for name in self.providers if name in knowing)

    def _check_correction(self, session: Session, draft: Invoice) -> None:
        """A return or reduction must reference an open sale; a return cannot exceed what is
        left to return, and a reduction must state what the customer still holds after every
        return (both checked inside the issuing transaction, so two tills cannot both return
        the last item, nor a reduction miss a return made meanwhile)."""
        original = store.load_invoice_by_number(session, draft.original_number or "", for_update=True)
        if original is None:
            raise NotFoundError("فاکتور اصلی پیدا نشد", f"original invoice {draft.original_number} was not found")
        if draft.kind is InvoiceKind.RETURN:
            quantities: dict[int, Decimal] = defaultdict(Decimal)
            for line in draft.lines:
                if line.origin_line is None:
                    raise ValidationError("lines", "هر ردیف برگشتی باید به ردیفی از فاکتور اصلی اشاره کند",
                                          "every returned line must point at a line of the original")
                quantities[line.origin_line] += line.quantity
            domain.make_return(original, quantities, store.returned_quantities(session, original.number or ""))
        else:
            domain.check_reduction(original, draft, store.returned_quantities(session, original.number or ""))

    def _cancel_replaced(self, session: Session, reduction: Invoice, shift_id: int | None) -> None:
        original = store.load_invoice_by_number(session, reduction.original_number or "")
        assert original is not None
        cancelled = domain.cancel(original, f"جایگزین با فاکتور کاهشی {reduction.number}")
        store.update_after_change(session, cancelled, reduction.cashier_id, shift_id)
        taken_over = store.take_over_returns(session, original.number or "")
        store.add_audit(session, "invoice.replaced", original.number or "",
                        f"by reduction {reduction.number}", reduction.cashier)
        journal.append(session, reduction.till, Actor(reduction.cashier_id, reduction.cashier),
                       "invoice.replaced", original.number or "",
                       {"by": reduction.number, "shift_id": shift_id, "returns": taken_over})

    # -- reading ---------------------------------------------------------------------------

    def get(self, invoice_id: int) -> Invoice:
        with self._db.read() as session:
            invoice = store.load_invoice(session, invoice_id)
        if invoice is None:
            raise NotFoundError("فاکتور پیدا نشد", f"invoice {invoice_id} was not found")
        return invoice

    def get_by_number(self, number: str) -> Invoice:
        with self._db.read() as session:
            return self._by_number(session, number)

    @staticmethod
    def _by_number(session: Session, number: str, *, for_update: bool = False) -> Invoice:
        invoice = store.load_invoice_by_number(session, number.strip().upper(), for_update=for_update)
        if invoice is None:
            raise NotFoundError(f"فاکتور {number} پیدا نشد", f"invoice {number} was not found")
        return invoice

    def history(self, filters: HistoryFilter, offset: int = 0, limit: int = 100) -> list[InvoiceSummary]:
        """Newest first, paged in SQL."""
        with self._db.read() as session:
            return summaries(invoice_history.history_page(session, filters.to_query(), offset, limit))

    def history_count(self, filters: HistoryFilter) -> int:
        with self._db.read() as session:
            return invoice_history.history_count(session, filters.to_query())

    @writes(OUTBOX_CHANGED)
    def queue_earlier(self, provider: str, date_from: date | None = None, date_to: date | None = None,
                      batch_size: int = 500) -> int:
        """Queue for `provider` what was issued before it was enabled (between the Tehran days
        given), as if it had been enabled then: each sale its scope takes, with its payments,
        and the returns and reductions of the sales it then holds. A document cancelled
        meanwhile is left out (there is nothing to tell), and so is a sale replaced by a
        reduction (the provider never held the sale the reduction corrects). For a document it
        already holds, what happened while it was switched off is caught up: later payments and
        a cancellation. Nothing is queued twice, so running this again queues nothing. Returns
        how many documents got something queued."""
        if provider not in self.providers:
            raise LifecycleError(
                f"سامانه «{provider}» فعال نیست؛ نخست آن را فعال کنید",
                f"provider {provider!r} is not enabled; enable it first",
            )
        query = HistoryFilter(date_from=date_from, date_to=date_to).to_query()
        queued = 0
        last_id = 0
        while True:
            with self._db.write() as session:
                ids = invoice_history.ids_issued_between(session, query.issued_from, query.issued_before,
                                               last_id, batch_size)
                for invoice_id in ids:
                    invoice = store.load_invoice(session, invoice_id)
                    assert invoice is not None
                    if self._queue_earlier_one(session, provider, invoice):
                        queued += 1
            if not ids:
                return queued
            last_id = ids[-1]

    def _queue_earlier_one(self, session: Session, provider: str, invoice: Invoice) -> bool:
        assert invoice.id is not None
        assert invoice.number is not None
        if provider in store.providers_knowing(session, invoice.id):
            return self._catch_up(session, provider, invoice)
        if invoice.status is InvoiceStatus.CANCELLED:
            return False
        if provider not in self._providers_for_new(session, invoice):
            return False
        store.add_outbox(session, [provider], invoice.id, OPERATION_FOR_KIND[invoice.kind],
                         invoice.number)
        for position in synced_payment_positions(invoice):
            store.add_outbox(session, [provider], invoice.id, OutboxOperation.PAYMENT,
                             invoice.number, position)
        store.add_audit(session, "invoice.queue_earlier", invoice.number, provider)
        return True

    def _catch_up(self, session: Session, provider: str, invoice: Invoice) -> bool:
        """A document `provider` already holds: queue what happened to it while the provider
        was switched off (its later payments and its cancellation), each only once."""
        assert invoice.id is not None
        number = invoice.number or ""
        queued = store.queued_keys(session, provider, invoice.id)
        missing = [position for position in synced_payment_positions(invoice)
                   if outbox_key(provider, OutboxOperation.PAYMENT, number, position) not in queued]
        for position in missing:
            store.add_outbox(session, [provider], invoice.id, OutboxOperation.PAYMENT, number, position)
        cancel = (invoice.status is InvoiceStatus.CANCELLED
                  and outbox_key(provider, OutboxOperation.CANCEL, number) not in queued)
        if cancel:
            store.add_outbox(session, [provider], invoice.id, OutboxOperation.CANCEL, number)
        if not (missing or cancel):
            return False
        store.add_audit(session, "invoice.queue_earlier", number, f"{provider}: caught up")
        return True

    def draft_reduction(self, number: str, changes: Mapping[int, tuple[Decimal, Decimal]]) -> Invoice:
        """A draft reduction of sale `number` as it stands after its returns (see
        `posapp.domain.invoice.make_reduction`), signed by whoever is signed in here; `issue`
        checks it again against the returns then standing."""
        with self._db.read() as session:
            original = self._by_number(session, number)
            returned = store.returned_quantities(session, original.number or "")
        draft = domain.make_reduction(original, changes, returned=returned)
        user = self.session.user
        return draft if user is None else dataclasses.replace(draft, cashier=user.name, cashier_id=user.id)

    def returned_quantities(self, number: str) -> dict[int, Decimal]:
        """Original line index -> quantity already returned."""
        with self._db.read() as session:
            return store.returned_quantities(session, number.strip().upper())

    # -- held sales ------------------------------------------------------------------------

    @writes(HELD_SALES)
    def hold(self, draft: Invoice, label: str = "") -> int:
        """Park a draft (a customer went to fetch something); returns the held sale's id. It
        stops being its till's open sale in the same transaction."""
        if not draft.is_editable:
            raise LifecycleError("فقط پیش‌نویس نگه داشته می‌شود", "only a draft can be held")
        with self._db.write() as session:
            _drop_open_sale(session, draft.till)
            row = HeldSaleRow(
                label=label.strip(), created_at=datetime.now(UTC), line_count=len(draft.lines),
                payable=draft.totals.payable, snapshot=draft_to_json(draft),
            )
            session.add(row)
            session.flush()
            return row.id

    def held(self) -> list[HeldSale]:
        """The parked sales (not the sales open in a till's editor)."""
        with self._db.read() as session:
            rows = session.execute(
                select(HeldSaleRow).where(HeldSaleRow.open_on_till.is_(None))
                .order_by(HeldSaleRow.created_at, HeldSaleRow.id)).scalars()
            return [HeldSale(r.id, r.label, r.created_at, r.line_count, r.payable) for r in rows]

    @writes(HELD_SALES)
    def resume(self, held_id: int, till: str | None = None) -> Invoice:
        """The held draft back; it leaves the held list in the same transaction. With `till`,
        it becomes that till's open sale in that transaction (see `keep_open_sale`)."""
        with self._db.write() as session:
            row = session.get(HeldSaleRow, held_id)
            if row is None or row.open_on_till is not None:
                raise NotFoundError("فروش نگه‌داشته پیدا نشد (شاید در صندوق دیگری باز شده)",
                                    "the held sale was not found (another till may have resumed it)")
            draft = draft_from_json(row.snapshot)
            if till is None:
                session.execute(delete(HeldSaleRow).where(HeldSaleRow.id == held_id))
            else:
                _drop_open_sale(session, till)
                session.flush()
                row.open_on_till = till
            return draft

    # -- the sale open at a till -----------------------------------------------------------

    @writes(HELD_SALES)
    def keep_open_sale(self, draft: Invoice) -> None:
        """Write the sale being edited at `draft.till` to disk (a held-sale row marked as open on
        that till), or drop it when the draft has no lines; issuing or holding it drops it in
        their own transaction. `open_sale` reads it back after a crash or a restart."""
        if not draft.is_editable:
            raise LifecycleError("فقط پیش‌نویس نگه داشته می‌شود", "only a draft can be held")
        with self._db.write() as session:
            row = session.execute(
                select(HeldSaleRow).where(HeldSaleRow.open_on_till == draft.till)).scalar_one_or_none()
            if not draft.lines:
                if row is not None:
                    session.delete(row)
                return
            if row is None:
                row = HeldSaleRow(open_on_till=draft.till, label="", created_at=datetime.now(UTC))
                session.add(row)
            row.line_count = len(draft.lines)
            row.payable = draft.totals.payable
            row.snapshot = draft_to_json(draft)

    def open_sale(self, till: str) -> Invoice | None:
        """The sale left open at `till` (the app closed or the power went with it), or None."""
        with self._db.read() as session:
            snapshot = session.execute(
                select(HeldSaleRow.snapshot).where(HeldSaleRow.open_on_till == till)).scalar_one_or_none()
            return draft_from_json(snapshot) if snapshot is not None else None

    # -- after issue -----------------------------------------------------------------------

    def check_cancellable(self, number: str) -> None:
        """Raise the DomainError `cancel` would raise for invoice `number` whatever the reason
        (already cancelled, has returns), so the reason is asked for only when it can be used."""
        with self._db.read() as session:
            _refuse_cancel(session, self._by_number(session, number))

    @writes(INVOICE_WRITTEN)
    def cancel(self, number: str, reason: str, actor: Actor | None = None) -> Invoice:
        """Cancel an issued invoice with a reason: stock goes back, providers are told. Needs
        CANCEL_INVOICE; recorded in this till's open shift."""
        actor = actor or self.session.actor
        with self._db.write() as session:
            require_in(session, actor, Permission.CANCEL_INVOICE)
            invoice = self._by_number(session, number, for_update=True)
            _refuse_cancel(session, invoice)
            cancelled = domain.cancel(invoice, reason)
            shift_id = shift_for_change(session, self.till, actor)
            store.update_after_change(session, cancelled, actor.user_id, shift_id)
            store.apply_stock_movements(session, {pid: -q for pid, q in store.stock_movements(invoice).items()})
            assert cancelled.id is not None
            assert cancelled.number is not None
            store.add_outbox(session, self._providers_knowing(session, cancelled.id), cancelled.id,
                             OutboxOperation.CANCEL, cancelled.number)
            self._moadian.for_cancellation(session, cancelled)
            store.add_audit(session, "invoice.cancel", cancelled.number, cancelled.cancel_reason, invoice.cashier)
            journal.append(session, self.till, actor, "invoice.cancel", cancelled.number,
                           {"reason": cancelled.cancel_reason, "shift_id": shift_id})
            return cancelled

    @writes(INVOICE_WRITTEN)
    def create_return(
        self, number: str, quantities: Mapping[int, Decimal], payments: Sequence[Payment] = (),
        cashier: str = "", actor: Actor | None = None,
    ) -> Invoice:
        """Issue a return of `quantities` (original line index -> quantity) of sale `number`,
        refunded by `payments`; never more than is left to return. Needs MAKE_RETURN; made by
        `actor` (or, without one, the cashier named)."""
        actor = actor or self.session.actor
        if actor.user_id is None and cashier:
            actor = Actor(None, cashier)  # a shop without users names its cashier
        with self._db.write() as session:
            require_in(session, actor, Permission.MAKE_RETURN)
            original = self._by_number(session, number, for_update=True)
            already = store.returned_quantities(session, original.number or "")
            draft = domain.make_return(original, quantities, already)
            draft = dataclasses.replace(draft, payments=tuple(payments), cashier=actor.name,
                                        cashier_id=actor.user_id)
            return self._issue_all(session, [draft], None, shift_till=self.till)[0]

    @writes(PAYMENT_RECORDED)
    def record_payment(self, number: str, payment: Payment, actor: Actor | None = None, *,
                       confirmed_by_provider: bool = False) -> Invoice:
        """Record a payment received after issue (a paid link, a later card payment); the
        providers that keep receipts get it through the outbox, queued in the same commit. It
        belongs to this till's open shift. A payment the provider confirmed on its own (a link
        paid while the poller watched) is recorded by no user, in the open shift if there is
        one and otherwise in none: money that arrived must never be refused."""
        actor = SYSTEM if confirmed_by_provider else (actor or self.session.actor)
        with self._db.write() as session:
            invoice = self._by_number(session, number, for_update=True)
            return self._record_payment(session, invoice, payment, actor, confirmed_by_provider)

    @writes(PAYMENT_RECORDED)
    def record_link_payment(self, number: str, amount: Decimal, reference: str) -> Invoice:
        """Record what a provider says the customer paid on its own page, once: in the same
        transaction (the invoice row locked) nothing is recorded when a link payment with this
        `reference` is already there or the invoice is no longer open, and never more than the
        balance due. Two processes learning the same payment at once record it once. The provider
        confirmed it, so it is recorded by no user (see `record_payment`)."""
        with self._db.write() as session:
            invoice = self._by_number(session, number, for_update=True)
            if reference and any(p.method is PaymentMethod.LINK and p.reference == reference
                                 for p in invoice.payments):
                return invoice
            if invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID):
                return invoice
            due = invoice.totals.balance_due
            to_record = min(amount, due) if amount > 0 else due
            if to_record <= 0:
                return invoice
            return self._record_payment(session, invoice, Payment(PaymentMethod.LINK, to_record, reference),
                                        SYSTEM, True)

    def _record_payment(self, session: Session, invoice: Invoice, payment: Payment, actor: Actor,
                        confirmed_by_provider: bool) -> Invoice:
        paid = domain.record_payment(invoice, payment)
        check_storable(paid)
        shift_id = (open_shift_id(session, self.till) if confirmed_by_provider
                    else shift_for_change(session, self.till, actor))
        store.append_payment(session, paid, payment, datetime.now(UTC), actor.user_id, shift_id)
        store.update_after_change(session, paid)
        position = len(paid.payments) - 1
        if position in synced_payment_positions(paid):
            assert paid.id is not None
            store.add_outbox(session, self._providers_knowing(session, paid.id), paid.id,
                             OutboxOperation.PAYMENT, paid.number or "", position)
        store.add_audit(session, "invoice.payment", paid.number or "",
                        f"{payment.method.value} {payment.amount}", invoice.cashier)
        journal.append(session, self.till, actor, "invoice.payment", paid.number or "",
                       {"position": position, "shift_id": shift_id, "by_provider": confirmed_by_provider,
                        **store.payment_fields(payment)})
        return paid
