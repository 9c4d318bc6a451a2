"""Pod billing mapping: posapp invoices to Pod's form fields and back, and Pod's error table.

Pure functions, no HTTP. Pod prices each item as `price × quantity` (the seed documents no
discount field), adds one VAT rate for the whole invoice (`vat = round(totalAmount × rate)`) and
has no additions or deductions after tax. `pricing` maps every sale so that Pod's payable is
posapp's: net unit prices with the one rate, or, for mixed rates, prices that hold each line's
VAT with rate 0 (the VAT per rate kept in the metadata). Charges after tax are refused with a
clear message rather than sent and silently changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from posapp.domain.invoice import Invoice, InvoiceLine, LineTotals
from posapp.domain.jalali import format_jalali_date
from posapp.domain.money import ZERO, round_rial
from posapp.providers.base import (
    RemoteInvoice,
    RemoteState,
    decimal_text,
    to_decimal,
)
from posapp.providers.errors import (
    AuthenticationError,
    DuplicateError,
    InvalidStateError,
    MalformedResponseError,
    ProviderError,
    ProviderValidationError,
    RemoteNotFoundError,
    ServerError,
)

NAME = "pod"

Form = list[tuple[str, str]]


@dataclass(frozen=True)
class PodItem:
    """One item as Pod prices it: `price × quantity − discount`, all in Rial."""

    description: str
    price: Decimal
    quantity: Decimal
    discount: Decimal
    product_id: int = 0

    @property
    def amount(self) -> Decimal:
        return self.price * self.quantity - self.discount


@dataclass(frozen=True)
class PodTotals:
    total: Decimal
    vat: Decimal
    payable: Decimal


def pod_totals(items: Sequence[PodItem], tax_rate: Decimal) -> PodTotals:
    """What Pod computes for these items: totalAmount, vat = round(total × rate), payable."""
    total = sum((item.amount for item in items), ZERO)
    vat = round_rial(total * tax_rate)
    return PodTotals(total, vat, total + vat)


def _refuse(field: str, fa: str, en: str) -> ProviderValidationError:
    return ProviderValidationError(NAME, fa, en, field_errors={field: en})


def _net_item(line: InvoiceLine, amount: Decimal) -> PodItem:
    """`amount` (the line's net, or net plus tax) as Pod's `price × quantity` with no discount:
    the unit price when it divides exactly, else a quantity of one at the whole amount, the real
    quantity and unit price kept in the description."""
    unit = amount / line.quantity
    if unit == unit.to_integral_value():
        return PodItem(line.description, unit.quantize(Decimal(1)), line.quantity, ZERO)
    detail = f"{line.description} ({decimal_text(line.quantity)} × {decimal_text(line.unit_price)})"
    return PodItem(detail, amount, Decimal(1), ZERO)


@dataclass(frozen=True)
class PodPricing:
    """How a posapp invoice is priced in Pod (see `pricing`)."""

    items: tuple[PodItem, ...]
    tax_rate: Decimal
    """Pod's `preferredTaxRate`."""
    vat_included: bool
    """True when each item's price already holds its VAT (mixed rates): Pod adds none."""
    vat_by_rate: tuple[tuple[Decimal, Decimal], ...]
    """posapp's VAT per rate (rate, Rial), kept in the invoice's metadata."""


def pricing(lines: Sequence[InvoiceLine], line_totals: Sequence[LineTotals], payable: Decimal) -> PodPricing:
    """Pod items for these lines, with `payable` exactly as Pod will compute it.

    Pod documents items as `price × quantity` (the seed has no discount field) and one VAT rate
    per invoice, `vat = round(total × rate)`. So each line goes at its net price (discounts
    already taken off). When every line has one rate and Pod's invoice-level VAT equals posapp's
    per-line VAT, that rate is sent; otherwise (exempt goods beside standard ones, or a Rial of
    rounding apart) each line goes at its net price plus its own VAT, with rate 0, and posapp's
    VAT per rate goes into the metadata. Either way Pod's payable is posapp's."""
    vat: dict[Decimal, Decimal] = {}
    for line, totals in zip(lines, line_totals, strict=True):
        vat[line.tax_rate] = vat.get(line.tax_rate, ZERO) + totals.tax
    breakdown = tuple(sorted(vat.items()))
    rates = set(vat)
    if len(rates) == 1:
        rate = rates.pop()
        items = tuple(_net_item(line, totals.net) for line, totals in zip(lines, line_totals, strict=True))
        if pod_totals(items, rate).payable == payable:
            return PodPricing(items, rate, False, breakdown)
    items = tuple(_net_item(line, totals.net + totals.tax)
                  for line, totals in zip(lines, line_totals, strict=True))
    return PodPricing(items, ZERO, True, breakdown)


def _check_sendable(invoice: Invoice, priced: PodPricing) -> None:
    if invoice.charges:
        raise _refuse(
            "charges",
            "پاد هزینه‌های جانبی و کسورات پس از مالیات را نمی‌پذیرد",
            "Pod has no additions or deductions after tax (freight, packing)",
        )
    for item in priced.items:
        if item.price <= 0:
            raise _refuse("unit_price", "پاد ردیف با مبلغ صفر نمی‌پذیرد", "Pod takes no line with a zero price")
    expected = pod_totals(priced.items, priced.tax_rate)
    if expected.payable != invoice.totals.payable:
        raise _refuse(
            "tax",
            f"مبلغی که پاد حساب می‌کند ({expected.payable} ریال) با فاکتور ({invoice.totals.payable} ریال) یکی نیست",
            f"Pod would total {expected.payable} Rial where the invoice has {invoice.totals.payable}",
        )


def invoice_items(invoice: Invoice) -> PodPricing:
    """Pod's pricing of `invoice` (see `pricing`), refusing what Pod cannot hold (charges after
    tax, a free line)."""
    if not invoice.lines:
        raise _refuse("lines", "فاکتور بدون ردیف به پاد فرستاده نمی‌شود", "an invoice without lines cannot go to Pod")
    totals = invoice.totals
    priced = pricing(invoice.lines, totals.lines, totals.payable)
    _check_sendable(invoice, priced)
    return priced


def reduction_items(invoice: Invoice, original_count: int) -> tuple[list[tuple[int, PodItem]], Decimal]:
    """(original item index, new item) for every item of the original, and the VAT rate, for
    reduceInvoice, priced as `pricing` prices an issue."""
    origins = [line.origin_line for line in invoice.lines]
    if sorted(o if o is not None else -1 for o in origins) != list(range(original_count)):
        raise _refuse("lines", "کاهش پاد باید همه ردیف‌های فاکتور اصلی را به همان تعداد داشته باشد",
                      "a Pod reduction must carry every item of the original invoice")
    priced = invoice_items(invoice)
    items = [(int(origin or 0), item) for origin, item in zip(origins, priced.items, strict=True)]
    return sorted(items, key=lambda pair: pair[0]), priced.tax_rate


def item_fields(items: Sequence[PodItem]) -> Form:
    """The bracketed, repeated list fields the seed documents (`productId[]=0&productId[]=0&...`):
    product, unit price, quantity and description; prices are net, so no discount is sent."""
    form: Form = []
    for item in items:
        form.append(("productId[]", str(item.product_id)))
        form.append(("price[]", decimal_text(item.price)))
        form.append(("quantity[]", decimal_text(item.quantity)))
        form.append(("productDescription[]", item.description))
    return form


def jalali_deadline(day: date | datetime) -> str:
    """Pod's `deadline`: a Jalali `yyyy/mm/dd` with ASCII digits."""
    return format_jalali_date(day, persian_digits=False)


def metadata_json(invoice: Invoice, key: str, priced: PodPricing) -> str:
    """The `metadata` JSON string posapp attaches: its key and the sale's number (which
    sale of the till it is, for whoever reads it in Pod's panel), and the VAT per
    rate in Rial, with whether the item prices already hold it (mixed rates)."""
    return json.dumps({
        "posapp_key": key, "number": invoice.number or "",
        "vat_included_in_prices": priced.vat_included,
        "vat": {decimal_text(rate): decimal_text(amount) for rate, amount in priced.vat_by_rate},
    }, ensure_ascii=False)


def boolean(value: bool) -> str:
    return "true" if value else "false"


# -- answers -------------------------------------------------------------------------------


def field_of(record: Mapping[str, Any], name: str, default: Any = None) -> Any:
    """A field by name, ignoring the case of its first letter (`result` / `Result`)."""
    if name in record:
        return record[name]
    return record.get(name[:1].upper() + name[1:], default)


def epoch_ms(value: Any) -> datetime | None:
    if value in (None, "", 0):
        return None
    return datetime.fromtimestamp(int(value) / 1000, UTC)


def invoice_state(srv: Mapping[str, Any]) -> RemoteState:
    if field_of(srv, "edited"):
        return RemoteState.REPLACED
    if field_of(srv, "canceled"):
        return RemoteState.CANCELLED
    if field_of(srv, "closed"):
        return RemoteState.CLOSED
    if field_of(srv, "payed"):
        return RemoteState.PENDING if field_of(srv, "waiting") else RemoteState.PAID
    return RemoteState.OPEN


def remote_invoice(srv: Mapping[str, Any], *, key: str = "", link: str | None = None) -> RemoteInvoice:
    """An InvoiceSrv as a RemoteInvoice (amounts read exactly)."""
    if not isinstance(srv, Mapping) or field_of(srv, "id") is None:
        raise MalformedResponseError(NAME, "پاسخ پاد فاکتور نداشت", "Pod's answer held no invoice")
    payable = to_decimal(field_of(srv, "payableAmount"), provider=NAME, field_name="payableAmount")
    state = invoice_state(srv)
    edited_from = field_of(srv, "editedInvoiceId")
    return RemoteInvoice(
        provider=NAME,
        remote_id=str(field_of(srv, "id")),
        key=str(field_of(srv, "billNumber") or key),
        number=str(field_of(srv, "id")),
        payable=payable,
        state=state,
        link=link,
        paid=payable if field_of(srv, "payed") else ZERO,
        replaces=str(edited_from) if edited_from else None,
    )


# -- errors --------------------------------------------------------------------------------

INVALID_STATE_CODE = 130
"""The fake's code for an operation the invoice's state forbids (Pod documents none)."""
NOT_FOUND_CODE = 131
"""The fake's code for an unknown invoice id (Pod documents none)."""
OTT_CODE = 39

_ERRORS: dict[int, tuple[type[ProviderError], str, str, str]] = {
    10: (ProviderValidationError, "deadline", "تاریخ سررسید (deadline) قالب درستی ندارد", "the deadline date is not in the right format"),
    19: (DuplicateError, "billNumber", "شماره صورتحساب تکراری است", "the bill number is already used"),
    21: (AuthenticationError, "_token_", "توکن کسب‌وکار پاد نادرست است", "Pod rejected the business token"),
    25: (DuplicateError, "billNumber", "این شماره صورتحساب متعلق به فاکتور ابطال‌شده‌ای است", "the bill number belongs to a cancelled invoice"),
    37: (ProviderValidationError, "guildCode", "کد صنف با قالب درست پنل کسب‌وکار وارد نشده است", "the guild code is malformed"),
    39: (AuthenticationError, "_ott_", "توکن یک‌بارمصرف (ott) نامعتبر یا استفاده‌شده است", "the one-time token (ott) is missing, used or invalid"),
    53: (ProviderValidationError, "guildCode", "این صنف در پنل کسب‌وکار افزوده نشده است", "this guild is not added to the business"),
    56: (ProviderValidationError, "guildCode", "کد صنف درست فرستاده نشده است", "the guild code was not sent correctly"),
    66: (ProviderValidationError, "userId", "صدور فاکتور از کسب‌وکار برای خودش ممکن نیست", "a business cannot invoice itself"),
    887: (ProviderValidationError, "", "پارامترهای درخواست نامعتبر است", "the request parameters are invalid"),
    999: (ServerError, "", "خطای داخلی پاد", "Pod internal error"),
    INVALID_STATE_CODE: (InvalidStateError, "", "وضعیت فاکتور در پاد این کار را اجازه نمی‌دهد", "the invoice's state in Pod does not allow this"),
    NOT_FOUND_CODE: (RemoteNotFoundError, "id", "فاکتور در پاد پیدا نشد", "the invoice was not found in Pod"),
}

_STATE_OPERATIONS = frozenset({"closeInvoice", "cancelInvoice", "verifyInvoice", "reduceInvoice"})


def pod_error(code: int, message: str, operation: str, *, bill_number: str | None = None) -> ProviderError:
    """The typed error for Pod's `errorCode`, with Pod's own message kept in the English text.

    Code 39 means a bad ott for operations that carry one; on close/cancel/verify/reduce Pod
    uses the same refusal for "not allowed to close this invoice" (seed), so there it is a
    state error."""
    if code == OTT_CODE and operation in _STATE_OPERATIONS:
        return InvalidStateError(NAME, message or "اجازه این کار روی این فاکتور را ندارید",
                                 f"Pod refused {operation} on this invoice", code=code)
    entry = _ERRORS.get(code)
    detail = f" — {message}" if message else ""
    if entry is None:
        return ProviderError(NAME, message or f"خطای {code} از پاد",
                             f"Pod error {code} in {operation}{detail}", code=code)
    kind, field, fa, en = entry
    if kind is ProviderValidationError:
        return ProviderValidationError(NAME, fa, en + detail, field_errors={field: message or en} if field else {},
                               code=code)
    if kind is DuplicateError:
        return DuplicateError(NAME, fa, en + detail, existing_key=bill_number, code=code)
    return kind(NAME, fa, en + detail, code=code)
