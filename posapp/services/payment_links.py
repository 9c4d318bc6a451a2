"""Pay by link at the counter: create a provider's payment link for a sale, refuse any link that
is not https on that provider's known host, and poll until the customer has paid.

Qt-free; every call blocks on the network, so the GUI runs them through its background helper.
The sale is issued (on disk, queued for sync) before a link is made, so a customer who walks away
or a crash while waiting never loses it: the invoice stays open with its balance due, and a
later payment is recorded by `poll()` here or by the sync engine's status pull.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice, InvoiceStatus, Payment, PaymentMethod
from posapp.domain.money import RIAL_PER_TOMAN, ZERO
from posapp.providers.base import Capability, Provider, RemoteState
from posapp.providers.errors import ProviderError
from posapp.services import sync_store
from posapp.settings.shop import PAYMENT_LINK_PROVIDER, enabled_sync_providers
from posapp.settings.store import SettingsStore

KNOWN_PAYMENT_HOSTS: Mapping[str, frozenset[str]] = {
    "pod": frozenset({"pay.pod.ir", "pay.pod.land", "sandbox.pod.ir", "sandbox.pod.land"}),
    "hesabfa": frozenset({"app.hesabfa.com", "hesabfa.com", "www.hesabfa.com"}),
    "hesabit": frozenset({"www.hesabit.com", "hesabit.com"}),
    "payping": frozenset({"api.payping.ir", "payping.ir", "www.payping.ir"}),
}
"""Where each provider's customers pay (CONTRACTS.md §1.1, §2.4, §3, §5). Sepidar has none."""

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


SANDBOX_PORTS: Mapping[str, int] = {"sandbox.pod.ir": 1033, "sandbox.pod.land": 1033}
"""Pod's sandbox pay pages listen on their own port; every other host must use 443."""

MAX_LINK_LENGTH = 2048

PAID = RemoteState.PAID.value


class PaymentLinkRefused(DomainError):
    """A provider answered with a link posapp will not show to a customer."""


class PaymentLinkUnavailable(DomainError):
    """No link can be made for this sale (provider without links, offline, nothing due)."""


def check_payment_link(provider: str, url: str) -> str:
    """`url` if it is an https link on `provider`'s known payment host; otherwise
    PaymentLinkRefused with a clear message. Checked before any link is stored or shown."""
    hosts = KNOWN_PAYMENT_HOSTS.get(provider)
    shown = url if len(url) <= 120 else url[:117] + "..."
    if hosts is None:
        raise PaymentLinkRefused(
            f"سامانه «{provider}» لینک پرداخت ندارد",
            f"provider {provider!r} has no payment links",
        )
    if not url or len(url) > MAX_LINK_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise PaymentLinkRefused(
            f"لینک پرداخت نامعتبر است و نمایش داده نمی‌شود: {shown}",
            f"the payment link is not a valid URL and will not be shown: {shown}",
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise PaymentLinkRefused(
            f"لینک پرداخت نامعتبر است و نمایش داده نمی‌شود: {shown}",
            f"the payment link is not a valid URL and will not be shown: {shown}",
        ) from None
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme != "https":
        raise PaymentLinkRefused(
            f"لینک پرداخت امن (https) نیست و نمایش داده نمی‌شود: {shown}",
            f"the payment link is not https and will not be shown: {shown}",
        )
    allowed_port = SANDBOX_PORTS.get(host)
    if (host not in hosts or parts.username is not None or parts.password is not None
            or port not in (None, 443, allowed_port)):
        known = "، ".join(sorted(hosts))
        raise PaymentLinkRefused(
            f"لینک پرداخت روی نشانی شناخته‌شدهٔ این سامانه ({known}) نیست و نمایش داده نمی‌شود: {shown}",
            f"the payment link is not on {provider}'s known host ({', '.join(sorted(hosts))}) "
            f"and will not be shown: {shown}",
        )
    return url


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


def record_link_payment(invoicing: Any, number: str, amount: Decimal, reference: str) -> Invoice:
    """Record a paid link on the local invoice once: a payment with the same reference already
    recorded (an earlier poll that crashed before noting it) is not recorded again, and never
    more than the balance due is recorded."""
    invoice: Invoice = invoicing.get_by_number(number)
    if reference and any(p.method is PaymentMethod.LINK and p.reference == reference
                         for p in invoice.payments):
        return invoice
    if invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID):
        return invoice
    due = invoice.totals.balance_due
    to_record = min(amount, due) if amount > ZERO else due
    if to_record <= ZERO:
        return invoice
    recorded: Invoice = invoicing.record_payment(
        number, Payment(PaymentMethod.LINK, to_record, reference), confirmed_by_provider=True)
    return recorded


class PaymentLinkService:
    """Creates and polls counter payment links. `provider_factory(name)` builds a client."""

    def __init__(self, services: Any, provider_factory: Callable[[str], Provider], *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.services = services
        self.db = services.database
        self.provider_factory = provider_factory
        self.clock = clock
        self.sleep = sleep

    def create_for_draft(self, draft: Invoice, provider: str) -> CounterLink:
        """Issue the draft (so the sale is safe on disk and queued for sync) and make its link."""
        issued: Invoice = self.services.invoicing.issue(draft)
        return self.create(issued.number or "", provider)

    def create(self, invoice_number: str, provider: str) -> CounterLink:
        """A payment link for the balance due on an issued invoice; checked before it is stored."""
        invoice: Invoice = self.services.invoicing.get_by_number(invoice_number)
        if invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID):
            raise PaymentLinkUnavailable(
                "این فاکتور مبلغی برای پرداخت ندارد", "this invoice has nothing left to pay",
            )
        with self.provider_factory(provider) as client:
            if not client.supports(Capability.PAYMENT_LINK):
                raise PaymentLinkUnavailable(
                    f"سامانه «{provider}» لینک پرداخت نمی‌سازد",
                    f"provider {provider!r} cannot create payment links",
                )
            link = client.create_payment_link(invoice, invoice_number)
        url = check_payment_link(provider, link.url)
        check_link_amount(provider, link.amount, invoice.totals.balance_due)
        sync_store.save_link(self.db, provider, invoice.id or 0, self.clock(),
                             remote_id=link.remote_id, link=url,
                             remote_state=RemoteState.OPEN.value, printed_link=True)
        return CounterLink(provider, invoice_number, url, link.amount, link.remote_id)

    def poll(self, link: CounterLink) -> LinkPayment:
        """Ask the provider once whether the link was paid; record the payment locally if so."""
        with self.provider_factory(link.provider) as client:
            status = client.payment_status(link.remote_id)
        if not status.paid:
            invoice: Invoice = self.services.invoicing.get_by_number(link.invoice_number)
            return LinkPayment(False, invoice)
        reference = status.reference or f"{link.provider}:{link.remote_id}"
        invoice = record_link_payment(self.services.invoicing, link.invoice_number,
                                      status.amount, reference)
        stored = self.services.invoicing.get_by_number(link.invoice_number)
        sync_store.save_link(self.db, link.provider, stored.id or 0, self.clock(),
                             remote_state=PAID)
        return LinkPayment(True, invoice, status.amount, reference)

    def wait_until_paid(self, link: CounterLink, *, timeout: float = 600.0, interval: float = 3.0,
                        cancel: threading.Event | None = None) -> LinkPayment:
        """Poll every `interval` seconds until paid, `timeout` passes or `cancel` is set. A
        network error while polling is tried again at the next interval (the link stays valid);
        the answer says whether the invoice was paid and how it stands now."""
        deadline = time.monotonic() + timeout
        stop = cancel or threading.Event()
        while True:
            try:
                payment = self.poll(link)
            except ProviderError:
                payment = None
            if payment is not None and payment.paid:
                return payment
            if time.monotonic() >= deadline or stop.is_set():
                return payment or LinkPayment(
                    False, self.services.invoicing.get_by_number(link.invoice_number))
            if cancel is not None:
                cancel.wait(interval)
            else:
                self.sleep(interval)
