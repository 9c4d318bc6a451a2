"""The provider interface the sync engine drives, its frozen result types and shared mapping rules.

Every provider module (pod, hesabfa, hesabit, sepidar, payping) exposes a `Provider` subclass
built by its module-level `create()` (see `posapp.providers.registry`). The engine asks
`capabilities` before calling anything optional; an optional operation a provider lacks raises
`UnsupportedOperationError`.

Money crosses this interface as Decimal Rial. A provider that works in Toman converts with
`rial_to_provider_toman`, whose `TomanRounding` rule says what happens to an amount that is not a
whole number of Toman (refuse it by default, so no Rial is silently lost or invented).

Idempotency: every create takes an `idempotency_key` (Pod's billNumber, Hesabfa's invoice number,
Sepidar's GUID, ...). Pushing the same key twice must never create a second remote document: a
provider that sees its own duplicate error answers with the existing document instead.

Threading: a provider object may be used from one worker thread at a time; the HTTP layer below
it is thread-safe, so separate provider objects may run in parallel.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, ClassVar, Self

from posapp.domain.formatting import format_amount, format_quantity
from posapp.domain.invoice import Invoice, InvoiceLine, Party, Payment
from posapp.domain.money import RIAL_PER_TOMAN, ZERO
from posapp.providers.errors import (
    MalformedResponseError,
    ProviderError,
    ProviderValidationError,
    unsupported,
)
from posapp.providers.http import ClientConfig, check_ca_bundle, check_endpoint_url
from posapp.providers.ratelimit import RateLimit


class Capability(StrEnum):
    PUSH_INVOICE = "push_invoice"
    FIND_INVOICE = "find_invoice"
    PAYMENT_STATUS = "payment_status"
    CANCEL_INVOICE = "cancel_invoice"
    PUSH_RETURN = "push_return"
    REDUCE_INVOICE = "reduce_invoice"
    PAYMENT_LINK = "payment_link"
    RECORD_PAYMENT = "record_payment"
    PULL_CUSTOMERS = "pull_customers"
    PULL_PRODUCTS = "pull_products"
    VERIFY_PAID = "verify_paid"
    """A paid invoice waits for the seller's verification (Pod's three-step payment)."""
    CLOSE_PAID = "close_paid"
    """A paid invoice can be closed so it can no longer change (Pod's closeInvoice)."""
    REISSUE_INVOICE = "reissue_invoice"
    """No returns of its own: a correction changes the sale's own copy, which is cancelled and
    issued anew while unpaid and reduced once paid (Pod); see `current_copy`, `reissue_invoice`."""


class RemoteState(StrEnum):
    """A remote invoice's state, reduced to what the engine needs to know."""

    PENDING = "pending"
    """Not a real invoice yet (Pod's pre-invoice, a draft) or waiting for verification."""
    OPEN = "open"
    """Issued and not (fully) paid."""
    PAID = "paid"
    CLOSED = "closed"
    """Paid and settled; the provider allows no further change."""
    CANCELLED = "cancelled"
    REPLACED = "replaced"
    """Superseded by a corrected document (Pod's reduceInvoice)."""


@dataclass(frozen=True)
class RemoteInvoice:
    """An invoice as the provider holds it. `remote_id` is the provider's own id; `key` the
    idempotency key it was pushed under; `payable` in Rial."""

    provider: str
    remote_id: str
    key: str
    number: str
    payable: Decimal
    state: RemoteState
    link: str | None = None
    paid: Decimal = ZERO
    """Received so far, in Rial, as far as the answer tells."""
    replaces: str | None = None
    """For a corrected document: the remote id of the one it replaced."""


@dataclass(frozen=True)
class RemoteCopy:
    """The remote document that stands for a sale now, and the quantity of each of its items
    (`Provider.current_copy`)."""

    remote: RemoteInvoice
    quantities: tuple[Decimal, ...]


@dataclass(frozen=True)
class PaymentStatus:
    paid: bool
    amount: Decimal
    """Amount paid so far, in Rial."""
    paid_at: datetime | None = None
    reference: str = ""
    state: RemoteState = RemoteState.OPEN


@dataclass(frozen=True)
class PaymentLink:
    url: str
    remote_id: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class RemoteCustomer(Party):
    """A provider's contact: the party's fields plus where it lives remotely."""

    provider: str
    remote_id: str
    code: str
    email: str = ""
    active: bool = True


@dataclass(frozen=True)
class RemoteProduct:
    provider: str
    remote_id: str
    code: str
    name: str
    barcode: str = ""
    unit: str = ""
    price: Decimal | None = None
    """Selling price in Rial, when the provider keeps one."""
    is_service: bool = False
    active: bool = True


@dataclass(frozen=True)
class CheckResult:
    """One line of `posapp provider check`: what was tried and whether it worked."""

    name: str
    ok: bool
    message_fa: str
    message_en: str


SecretSink = Callable[[str, str], None]
"""Receives (secret name, value) for a secret a provider learns while it works (a refreshed
token, a registered device key). The settings layer wires it to the OS keyring; without one
the value lives in memory only."""


@dataclass(frozen=True)
class SecretSpec:
    """A secret a provider needs; stored only in the OS keyring under (provider, name)."""

    name: str
    label_fa: str
    label_en: str
    required: bool = True


def setting(default: Any, fa: str, en: str, *, choices: tuple[str, ...] = ()) -> Any:
    """A provider config field with the Persian and English help the CLI shows."""
    return field(default=default, metadata={"fa": fa, "en": en, "choices": choices})


@dataclass(frozen=True)
class ProviderConfig:
    """Non-secret settings shared by every provider; each module subclasses it.

    An empty `base_url` means the provider's documented address (production or sandbox).
    """

    base_url: str = setting("", "نشانی سرور (خالی = پیش‌فرض)", "server URL (empty = the provider's default)")
    timeout: float = setting(20.0, "حداکثر انتظار برای پاسخ (ثانیه)", "seconds to wait for an answer")
    max_retries: int = setting(3, "تعداد تلاش دوباره", "retries after network errors")
    ca_bundle: str = setting("", "فایل گواهی CA اضافه", "extra CA certificate file (TLS stays verified)")

    provider_name: ClassVar[str] = "provider"
    endpoint_fields: ClassVar[tuple[str, ...]] = ("base_url",)
    """The settings holding an address the provider's credentials are sent to."""

    def validate(self) -> None:
        """Refuse settings that would send credentials in clear text or name a missing CA file:
        ProviderValidationError with the reason in Persian and English (nothing is stored or sent)."""
        errors: dict[str, str] = {}
        for name in self.endpoint_fields:
            url = str(getattr(self, name)).strip()
            if url:
                try:
                    check_endpoint_url(url)
                except ValueError as error:
                    errors[name] = str(error)
        if self.ca_bundle.strip():
            try:
                check_ca_bundle(self.ca_bundle.strip())
            except ValueError as error:
                errors["ca_bundle"] = str(error)
        if errors:
            fa = "؛ ".join(text.split(" / ", 1)[0] for text in errors.values())
            en = "; ".join(text.split(" / ", 1)[-1] for text in errors.values())
            raise ProviderValidationError(self.provider_name, fa, en, field_errors=errors)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Self:
        """Build from stored settings, ignoring unknown keys (written by a newer version)."""
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for name, raw in values.items():
            spec = known.get(name)
            if spec is None or raw is None:
                continue
            kwargs[name] = coerce_setting(spec.type, raw)
        return cls(**kwargs)

    def to_mapping(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}

    def client_config(self, default_base_url: str, rate_limit: RateLimit | None = None) -> ClientConfig:
        """The HTTP layer's frozen config for these settings (validated first)."""
        self.validate()
        return ClientConfig(
            base_url=self.base_url.strip() or default_base_url,
            connect_timeout=min(self.timeout, 10.0),
            read_timeout=self.timeout,
            write_timeout=self.timeout,
            max_retries=self.max_retries,
            ca_bundle=self.ca_bundle.strip() or None,
            rate_limit=rate_limit,
        )


def coerce_setting(kind: Any, raw: Any) -> Any:
    """Turn a stored or typed value into the field's type (dataclass types are strings here)."""
    kind_name = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    if kind_name == "bool":
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in {"1", "true", "yes", "on"}
    if kind_name == "int":
        return int(raw)
    if kind_name == "float":
        return float(raw)
    if kind_name == "Decimal":
        return Decimal(str(raw))
    return str(raw)


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain text for a payload: no exponent, no trailing zeros ('1.5', '4500')."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class PricedQuantity:
    """A line as (quantity, unit price) whose product is exactly its rounded gross amount."""

    quantity: Decimal
    unit_price: Decimal
    description: str


def priced_quantity(description: str, quantity: Decimal, unit_price: Decimal, gross: Decimal) -> PricedQuantity:
    """Quantity and unit price to send so the provider's `quantity × price` equals posapp's gross
    (whole Rial). A weighed quantity whose product has a fraction of a Rial goes as a quantity of
    one at the rounded amount, with the real quantity and price kept in the description."""
    if quantity * unit_price == gross:
        return PricedQuantity(quantity, unit_price, description)
    detail = f"{description} ({decimal_text(quantity)} × {decimal_text(unit_price)})"
    return PricedQuantity(Decimal(1), gross, detail)


def folded_description(line: InvoiceLine) -> str:
    """A line's description when it is sent as one unit at its whole amount: the quantity and
    unit price stay readable ("شکر (۲٫۵ کیلوگرم × ۴۸۰٬۰۰۰)")."""
    return (f"{line.description} ({format_quantity(line.quantity)} {line.unit} × "
            f"{format_amount(line.unit_price, with_unit=False)})")


def to_decimal(value: Any, *, provider: str, field_name: str) -> Decimal:
    """An amount or quantity from a provider's answer, exactly: '109000', 109000, Decimal('1.0')
    and '1,090' all work; a float never reaches here when `decode_json` read the body."""
    if isinstance(value, bool) or value is None:
        raise MalformedResponseError(provider, f"مقدار «{field_name}» در پاسخ نیست",
                                     f"the answer has no number in {field_name!r}")
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace(",", "").replace("٬", "")
    try:
        number = Decimal(text)
    except ArithmeticError:
        raise MalformedResponseError(provider, f"مقدار «{field_name}» در پاسخ عدد نیست",
                                     f"{field_name!r} in the answer is not a number: {value!r}") from None
    if not number.is_finite():
        raise MalformedResponseError(provider, f"مقدار «{field_name}» در پاسخ عدد نیست",
                                     f"{field_name!r} in the answer is not a number: {value!r}")
    return number


def run_check(name: str, fa: str, en: str, action: Callable[[], object]) -> CheckResult:
    """Run one `check()` step and report it; a provider error becomes a failed result."""
    try:
        action()
    except ProviderError as error:
        return CheckResult(name, False, f"{fa}: {error.message_fa}", f"{en}: {error.message_en}")
    return CheckResult(name, True, f"{fa}: درست است", f"{en}: works")


def setting_labels(config_type: type[ProviderConfig], setting_name: str) -> tuple[str, str]:
    """A provider setting's Persian and English labels, as the settings show them."""
    spec = next(spec for spec in fields(config_type) if spec.name == setting_name)
    return str(spec.metadata["fa"]), str(spec.metadata["en"])


LISTED_CHOICES = 20
"""The most ids a failed `choice_check` line lists (Pod knows hundreds of guilds)."""


def choice_check(config_type: type[ProviderConfig], setting_name: str, configured: Any, *, unset: bool,
                 offered: Callable[[], Mapping[Any, str]], absent_fa: str, absent_en: str) -> CheckResult:
    """One `check()` line for a setting that must name a record the provider holds: `offered`
    reads the usable ones (id → title). Set to one of them, the line shows it with its title;
    unset or naming another, it fails, says so (`absent_fa`/`absent_en`: «در سپیدار نیست»,
    "is not in Sepidar") and lists the ids (and titles) to choose from."""
    fa, en = setting_labels(config_type, setting_name)
    try:
        usable = offered()
    except ProviderError as error:
        return CheckResult(setting_name, False, f"{fa}: {error.message_fa}", f"{en}: {error.message_en}")
    if not unset and configured in usable:
        chosen = f"{configured} ({usable[configured]})"
        return CheckResult(setting_name, True, f"{fa}: {chosen}", f"{en}: {chosen}")
    entries = [f"{ref} ({title})" for ref, title in sorted(usable.items())]
    more = len(entries) - LISTED_CHOICES
    if more > 0:
        entries = entries[:LISTED_CHOICES]
    choices_fa = ("، ".join(entries) or "-") + (f" و {more} مورد دیگر" if more > 0 else "")
    choices_en = (", ".join(entries) or "-") + (f" and {more} more" if more > 0 else "")
    if unset:
        return CheckResult(setting_name, False, f"«{fa}» تعیین نشده است؛ یکی از این‌ها را بگذارید: {choices_fa}",
                           f"{en} ({setting_name}) is not set; choose one of: {choices_en}")
    return CheckResult(setting_name, False,
                       f"«{fa}» = {configured} {absent_fa}؛ یکی از این‌ها را بگذارید: {choices_fa}",
                       f"{en} ({setting_name}) = {configured} {absent_en}; choose one of: {choices_en}")


class TomanRounding(StrEnum):
    """What to do with a Rial amount that is not a whole number of Toman."""

    EXACT = "exact"
    """Refuse it: the shop decides (the safe default; nothing is lost or invented)."""
    HALF_UP = "half_up"
    DOWN = "down"
    UP = "up"


_TOMAN_ROUNDING = {TomanRounding.HALF_UP: ROUND_HALF_UP, TomanRounding.DOWN: ROUND_FLOOR,
                   TomanRounding.UP: ROUND_CEILING}


def rial_to_provider_toman(amount: Decimal, rounding: TomanRounding, *, provider: str,
                           field_name: str = "amount") -> Decimal:
    """Whole Toman for a Toman provider, under the configured rule for non-multiples of 10."""
    toman = amount / RIAL_PER_TOMAN
    if toman == toman.to_integral_value():
        return toman.quantize(Decimal(1))
    if rounding is TomanRounding.EXACT:
        raise ProviderValidationError(
            provider,
            f"مبلغ {amount} ریال مضرب ۱۰ نیست و به تومان دقیق تبدیل نمی‌شود",
            f"{amount} Rial is not a whole number of Toman",
            field_errors={field_name: "not a multiple of 10 Rial"},
        )
    return toman.quantize(Decimal(1), rounding=_TOMAN_ROUNDING[rounding])


class Provider(ABC):
    """One remote provider, as the sync engine sees it. See the module docstring for the
    rules on money, idempotency and threading."""

    name: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]
    max_lanes: ClassVar[int] = 0
    """How many requests the provider takes at once from this till (0: no limit of its own)."""

    @property
    def rate_limit(self) -> RateLimit | None:
        """The request limit this client keeps to, shared by every till (None: only the server's)."""
        return None

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @abstractmethod
    def push_invoice(self, invoice: Invoice, idempotency_key: str) -> RemoteInvoice:
        """Create the issued `invoice` remotely; pushing the same key again returns the
        document created the first time."""

    @abstractmethod
    def find_invoice(self, idempotency_key: str) -> RemoteInvoice | None:
        """The remote invoice pushed under `idempotency_key`, or None if there is none."""

    def resume_push(self, invoice: Invoice, found: RemoteInvoice) -> RemoteInvoice:
        """An earlier attempt's document (from `find_invoice`), brought to where `push_invoice`
        would have left it; most providers create in one step, so it is returned as it is."""
        return found

    def payment_status(self, remote_id: str) -> PaymentStatus:
        raise unsupported(self.name, Capability.PAYMENT_STATUS)

    def cancel_invoice(self, remote: RemoteInvoice, reason: str) -> RemoteInvoice:
        raise unsupported(self.name, Capability.CANCEL_INVOICE)

    def push_return(self, invoice: Invoice, original: RemoteInvoice,
                    idempotency_key: str) -> RemoteInvoice:
        raise unsupported(self.name, Capability.PUSH_RETURN)

    def cancel_return(self, remote: RemoteInvoice, reason: str) -> RemoteInvoice:
        """Take back a return sent with `push_return`: the shop cancelled it."""
        raise unsupported(self.name, Capability.PUSH_RETURN)

    def reduce_invoice(self, invoice: Invoice, original: RemoteInvoice,
                       idempotency_key: str) -> RemoteInvoice:
        raise unsupported(self.name, Capability.REDUCE_INVOICE)

    def reissue_invoice(self, invoice: Invoice, idempotency_key: str) -> RemoteInvoice:
        """A sale's new copy after its unpaid copy was cancelled: `invoice` carries what the sale
        now holds, `idempotency_key` is a key the provider has not seen for this sale. A key it
        already holds raises DuplicateError (the engine settles it by lookup)."""
        raise unsupported(self.name, Capability.REISSUE_INVOICE)

    def current_copy(self, remote: RemoteInvoice, *later_keys: str) -> RemoteCopy:
        """The document that stands for `remote` now, with its item quantities: `remote` itself,
        or the one that replaced it (an earlier correction whose answer was lost), or a copy
        reissued under one of `later_keys`."""
        raise unsupported(self.name, Capability.REISSUE_INVOICE)

    def create_payment_link(self, invoice: Invoice, idempotency_key: str,
                            existing: RemoteInvoice | None = None) -> PaymentLink:
        """A link to pay `invoice` on the provider's page. `existing` is the document already
        delivered for it (what the sync stored): the link is made for that one, so a link never
        makes a second document; without it the invoice is pushed first."""
        raise unsupported(self.name, Capability.PAYMENT_LINK)

    def record_payment(self, remote: RemoteInvoice, payment: Payment,
                       idempotency_key: str) -> None:
        """A receipt for `payment` (its amount as received, in Rial) against `remote`."""
        raise unsupported(self.name, Capability.RECORD_PAYMENT)

    def expected_payable(self, invoice: Invoice) -> Decimal:
        """The payable this provider must hold for `invoice`, in Rial: posapp's own, unless the
        provider's currency cannot hold it exactly and the shop chose a rounding (PayPing's
        Toman). The engine fails a delivery whose remote payable differs (one policy for all)."""
        return invoice.totals.payable

    def received_amount(self, remote: RemoteInvoice) -> Decimal | None:
        """What the provider holds as received against `remote` right now, in Rial, so a payment
        whose earlier attempt had an unknown outcome is looked for before it is sent again.
        None when the provider cannot say: its `record_payment` must then be safe to repeat
        under the same idempotency key."""
        return None

    def verify_paid(self, remote_id: str) -> PaymentStatus:
        """Verify a paid invoice that waits for it, and return its status afterwards."""
        raise unsupported(self.name, Capability.VERIFY_PAID)

    def close_paid(self, remote_id: str) -> None:
        """Close a paid invoice; InvalidStateError when its state does not allow it."""
        raise unsupported(self.name, Capability.CLOSE_PAID)

    def pull_customers(self, since: datetime | None = None) -> Iterator[RemoteCustomer]:
        raise unsupported(self.name, Capability.PULL_CUSTOMERS)

    def pull_products(self, since: datetime | None = None) -> Iterator[RemoteProduct]:
        raise unsupported(self.name, Capability.PULL_PRODUCTS)

    @abstractmethod
    def check(self) -> list[CheckResult]:
        """Try the stored credentials and settings; one result per thing tried."""

    @abstractmethod
    def close(self) -> None:
        """Release the HTTP connections."""

    def __enter__(self) -> Provider:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
