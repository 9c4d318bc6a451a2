"""Pay by link at the counter: create a provider's payment link for a sale, refuse any link that
is not https on that provider's known host, and poll until the customer has paid.

Qt-free; every call blocks on the network, so the GUI runs them through its background helper.
The sale is issued (on disk, queued for sync) before a link is made, so a customer who walks away
or a crash while waiting never loses it: the invoice stays open with its balance due, and a
later payment is recorded by `poll()` here (the counter's dialog asks on a timer) or by the
sync engine's status pull.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice, InvoiceStatus
from posapp.domain.money import RIAL_PER_TOMAN, ZERO
from posapp.domain.payment_links import KNOWN_PAYMENT_HOSTS, PaymentLinkRefused, check_payment_link
from posapp.providers.base import Capability, PaymentLink, Provider, RemoteInvoice, RemoteState
from posapp.providers.errors import DuplicateError
from posapp.providers.ratelimit import buckets_from
from posapp.services.changes import OUTBOX_CHANGED, writes
from posapp.services.shared_rate import database_buckets
from posapp.settings.shop import PAYMENT_LINK_PROVIDER, enabled_sync_providers
from posapp.settings.store import SettingsStore
from posapp.storage import outbox
from posapp.storage.engine import Database

if TYPE_CHECKING:
    from posapp.services.context import AppServices

NO_LINK_PROVIDER = "none"
"""The stored choice that turns pay-by-link off at the counter."""


def counter_link_provider(store: SettingsStore) -> str | None:
    """The provider whose link the counter's "pay by link" makes: the shop's choice, or else
    the first enabled sync provider that makes payment links; None when pay-by-link is off."""
    chosen = store.get(PAYMENT_LINK_PROVIDER).strip().lower()
    if chosen == NO_LINK_PROVIDER:
        return None
    if chosen:
        return chosen if chosen in KNOWN_PAYMENT_HOSTS else None
    return next((name for name in enabled_sync_providers(store) if name in KNOWN_PAYMENT_HOSTS), None)


PAID = RemoteState.PAID.value


class PaymentLinkUnavailable(DomainError):
    """No link can be made for this sale (provider without links, offline, nothing due)."""


AWAITING_PAYMENT = frozenset({InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID})
"""The invoice states a payment link is made and waited for in."""


def nothing_to_pay() -> PaymentLinkUnavailable:
    return PaymentLinkUnavailable("این فاکتور مبلغی برای پرداخت ندارد", "this invoice has nothing left to pay")


def check_link_amount(provider: str, asked: Decimal, due: Decimal) -> None:
    """Refuse a link that asks the customer for more than the balance due: the providers' links
    ask for their whole invoice, so after a part payment at the till they would charge twice.
    Less than one Toman over is the provider's rounding and is allowed."""
    if asked - due >= RIAL_PER_TOMAN:
        raise PaymentLinkRefused(
            f"لینک سامانه «{provider}» مبلغ {asked} ریال را می‌خواهد، اما مانده فاکتور {due} ریال است؛ "
            "لینک نمایش داده نمی‌شود. مانده را به روش دیگری بگیرید",
            f"{provider}'s link asks for {asked} Rial but only {due} Rial is due; the link is not "
            "shown. Take the rest another way",
        )


@dataclass(frozen=True)
class CounterLink:
    """A link the customer can pay, for the QR at the counter and on the receipt."""

    provider: str
    invoice_number: str
    url: str
    amount: Decimal
    remote_id: str


@dataclass(frozen=True)
class LinkPayment:
    """The result of one poll: whether the link was paid and the invoice as it is now."""

    paid: bool
    invoice: Invoice
    amount: Decimal = ZERO
    reference: str = ""

    @property
    def awaiting(self) -> bool:
        """Unpaid, and the invoice still waits for payment (not cancelled or paid another way)."""
        return not self.paid and self.invoice.status in AWAITING_PAYMENT


def delivered_copy(db: Database, provider: str, invoice: Invoice) -> RemoteInvoice | None:
    """The document the sync already delivered to `provider` for `invoice`, if any, so a link is
    made for it rather than for a second copy: the sale's current copy, under the key it was
    sent with (a re-issued copy has its own, `remote_links.remote_key`)."""
    stored = outbox.remote_link(db, provider, invoice.id or 0)
    if stored is None or not stored.remote_id:
        return None
    try:
        state = RemoteState(stored.remote_state)
    except ValueError:
        state = RemoteState.OPEN
    return RemoteInvoice(provider=provider, remote_id=stored.remote_id, key=stored.remote_key or invoice.number or "",
                         number=invoice.number or "", payable=invoice.totals.payable, state=state,
                         link=stored.link or None)


def link_for(client: Provider, invoice: Invoice, key: str, existing: RemoteInvoice | None) -> PaymentLink:
    """The provider's payment link for `invoice`: for `existing` (the copy already delivered),
    else for a new document; a provider refusing a key it already holds has that one looked up."""
    try:
        return client.create_payment_link(invoice, key, existing=existing)
    except DuplicateError:
        found = client.find_invoice(key) if client.supports(Capability.FIND_INVOICE) else None
        if found is None:
            raise
        return client.create_payment_link(invoice, key, existing=found)


class PaymentLinkService:
    """Creates and polls counter payment links. `provider_factory(name)` builds a client."""

    def __init__(self, services: AppServices, provider_factory: Callable[[str], Provider], *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.services = services
        self._db = services.database
        self.provider_factory = provider_factory
        self.clock = clock

    def _client(self, provider: str) -> Provider:
        """A client whose rate limit is shared with every sync process on this database."""
        with buckets_from(database_buckets(self._db)):
            return self.provider_factory(provider)

    @writes(OUTBOX_CHANGED)
    def create(self, invoice_number: str, provider: str) -> CounterLink:
        """A payment link for the balance due on an issued invoice; checked before it is stored."""
        invoice: Invoice = self.services.invoicing.get_by_number(invoice_number)
        if invoice.status not in AWAITING_PAYMENT:
            raise nothing_to_pay()
        with self._client(provider) as client:
            if not client.supports(Capability.PAYMENT_LINK):
                raise PaymentLinkUnavailable(
                    f"سامانه «{provider}» لینک پرداخت نمی‌سازد",
                    f"provider {provider!r} cannot create payment links",
                )
            link = link_for(client, invoice, invoice_number, delivered_copy(self._db, provider, invoice))
        url = check_payment_link(provider, link.url)
        check_link_amount(provider, link.amount, invoice.totals.balance_due)
        outbox.save_link(self._db, provider, invoice.id or 0, self.clock(),
                             remote_id=link.remote_id, link=url,
                             remote_state=RemoteState.OPEN.value, printed_link=True)
        return CounterLink(provider, invoice_number, url, link.amount, link.remote_id)

    def poll(self, link: CounterLink) -> LinkPayment:
        """Ask the provider once whether the link was paid; record the payment locally if so."""
        with self._client(link.provider) as client:
            status = client.payment_status(link.remote_id)
        if not status.paid:
            invoice: Invoice = self.services.invoicing.get_by_number(link.invoice_number)
            return LinkPayment(False, invoice)
        reference = status.reference or f"{link.provider}:{link.remote_id}"
        invoice = self.services.invoicing.record_link_payment(link.invoice_number, status.amount, reference)
        outbox.save_link(self._db, link.provider, invoice.id or 0, self.clock(), remote_state=PAID)
        self._db.changes.publish(OUTBOX_CHANGED)  # only when paid: a poll that found nothing wrote nothing
        return LinkPayment(True, invoice, status.amount, reference)
