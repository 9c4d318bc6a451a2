"""Pod billing mapping: posapp invoices to Pod's form fields and back, and Pod's error table.

Pure functions, no HTTP. Pod prices each item as `price × quantity − discount`, adds one VAT
rate for the whole invoice (`vat = round(totalAmount × rate)`) and has no additions or
deductions after tax. An invoice Pod would total differently from posapp (mixed tax rates,
charges, a per-line rounding Pod cannot reproduce) is refused here with a clear message rather
than sent and silently changed by a Rial.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from posapp.domain.invoice import Invoice, InvoiceLine, LineTotals
from posapp.domain.jalali import format_jalali_date, to_iran_time
from posapp.domain.money import ZERO, round_rial
from posapp.providers.base import (
    RemoteInvoice,
    RemoteState,
    decimal_text,
    priced_quantity,
    to_decimal,
)
from posapp.providers.errors import (
    AuthenticationError,
    DuplicateError,
    InvalidStateError,
    MalformedResponseError,
    NotFoundError,
    ProviderError,
    ServerError,
    ValidationError,
)

PROVIDER = "pod"

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


def _refuse(field: str, fa: str, en: str) -> ValidationError:
    return ValidationError(PROVIDER, fa, en, field_errors={field: en})


def invoice_tax_rate(invoice: Invoice) -> Decimal:
    """The single VAT rate Pod can apply to this invoice (all lines must share it)."""
    rates = {line.tax_rate for line in invoice.lines}
    if len(rates) != 1:
        raise _refuse(
            "tax_rate",
            "پاد برای هر فاکتور فقط یک نرخ مالیات می‌پذیرد؛ ردیف‌ها نرخ‌های متفاوت دارند",
            "Pod takes one tax rate per invoice; these lines have different rates",
        )
    return rates.pop()


def _item(line: InvoiceLine, totals: LineTotals) -> PodItem:
    priced = priced_quantity(line.description, line.quantity, line.unit_price, totals.gross)
    return PodItem(priced.description, priced.unit_price, priced.quantity, totals.discount)


def invoice_items(invoice: Invoice) -> tuple[tuple[PodItem, ...], Decimal]:
    """Pod items and the VAT rate for `invoice`, refusing anything Pod would total differently."""
    if not invoice.lines:
        raise _refuse("lines", "فاکتور بدون ردیف به پاد فرستاده نمی‌شود", "an invoice without lines cannot go to Pod")
    if invoice.charges:
        raise _refuse(
            "charges",
            "پاد هزینه‌های جانبی و کسورات پس از مالیات را نمی‌پذیرد",
            "Pod has no additions or deductions after tax (freight, packing)",
        )
    rate = invoice_tax_rate(invoice)
    totals = invoice.totals
    items = tuple(_item(line, lt) for line, lt in zip(invoice.lines, totals.lines, strict=True))
    for item in items:
        if item.price <= 0 or item.amount < 0:
            raise _refuse("unit_price", "پاد ردیف با مبلغ صفر نمی‌پذیرد", "Pod takes no line with a zero price")
    _check_pod_total(items, rate, invoice)
    return items, rate


def _check_pod_total(items: Sequence[PodItem], rate: Decimal, invoice: Invoice) -> None:
    """Refuse when Pod's one-rate, total-level VAT would not give the invoice's payable."""
    expected = pod_totals(items, rate)
    if expected.payable != invoice.totals.payable:
        raise _refuse(
            "tax",
            f"مالیاتی که پاد حساب می‌کند ({expected.vat} ریال) با فاکتور ({invoice.totals.tax} ریال) یکی نیست",
            f"Pod would charge {expected.vat} Rial tax where the invoice has {invoice.totals.tax}",
        )


def reduction_items(invoice: Invoice, original_count: int) -> tuple[list[tuple[int, PodItem]], Decimal]:
    """(original item index, new item) for every item of the original, and the VAT rate, for
    reduceInvoice. Pod's reduce carries no discount, so a discounted line goes at its net unit
    price; a line whose net is not a whole Rial per unit is refused."""
    origins = [line.origin_line for line in invoice.lines]
    if sorted(o if o is not None else -1 for o in origins) != list(range(original_count)):
        raise _refuse("lines", "کاهش پاد باید همه ردیف‌های فاکتور اصلی را به همان تعداد داشته باشد",
                      "a Pod reduction must carry every item of the original invoice")
    if invoice.charges:
        raise _refuse("charges", "پاد هزینه‌های جانبی و کسورات پس از مالیات را نمی‌پذیرد",
                      "Pod has no additions or deductions after tax (freight, packing)")
    rate = invoice_tax_rate(invoice)
    items: list[tuple[int, PodItem]] = []
    for origin, line, totals in zip(origins, invoice.lines, invoice.totals.lines, strict=True):
        price = totals.net / line.quantity
        if price != price.to_integral_value():
            raise _refuse("unit_price",
                          f"مبلغ خالص ردیف «{line.description}» بر مقدار آن بخش‌پذیر نیست؛ پاد آن را دقیق نمی‌گیرد",
                          f"the net of line '{line.description}' is not a whole Rial per unit; Pod cannot take it exactly")
        items.append((int(origin or 0), PodItem(line.description, price.quantize(Decimal(1)), line.quantity, ZERO)))
    _check_pod_total([item for _, item in items], rate, invoice)
    return sorted(items, key=lambda pair: pair[0]), rate


def item_fields(items: Sequence[PodItem], *, with_discount: bool = True) -> Form:
    """The bracketed, repeated list fields Pod expects (`productId[]=0&productId[]=0&...`)."""
    form: Form = []
    for item in items:
        form.append(("productId[]", str(item.product_id)))
        form.append(("price[]", decimal_text(item.price)))
        form.append(("quantity[]", decimal_text(item.quantity)))
        form.append(("productDescription[]", item.description))
        if with_discount:
            form.append(("discount[]", decimal_text(item.discount)))
    return form


def jalali_deadline(day: date | datetime) -> str:
    """Pod's `deadline`: a Jalali `yyyy/mm/dd` with ASCII digits."""
    return format_jalali_date(day, persian_digits=False)


def jalali_timestamp(moment: datetime) -> str:
    """Pod's list filters `fromDate`/`toDate`: Jalali `yyyy/mm/dd hh:mi:ss` in Tehran."""
    local = to_iran_time(moment)
    return f"{jalali_deadline(local)} {local:%H:%M:%S}"


def metadata_json(invoice: Invoice, key: str) -> str:
    """The `metadata` JSON string posapp attaches, so an invoice can be found by its key."""
    return json.dumps({"posapp_key": key, "number": invoice.number or ""}, ensure_ascii=False)


def boolean(value: bool) -> str:
    return "true" if value else "false"


def form_items(form: Sequence[tuple[str, str]]) -> tuple[PodItem, ...]:
    """Read the items back out of a form (the inverse of `item_fields`)."""
    lists: dict[str, list[str]] = {}
    for key, value in form:
        if key.endswith("[]"):
            lists.setdefault(key[:-2], []).append(value)
    count = len(lists.get("productId", []))
    discounts = lists.get("discount", ["0"] * count)
    return tuple(
        PodItem(lists["productDescription"][i], Decimal(lists["price"][i]),
                Decimal(lists["quantity"][i]), Decimal(discounts[i]), int(lists["productId"][i]))
        for i in range(count)
    )


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
        raise MalformedResponseError(PROVIDER, "پاسخ پاد فاکتور نداشت", "Pod's answer held no invoice")
    payable = to_decimal(field_of(srv, "payableAmount"), provider=PROVIDER, field_name="payableAmount")
    state = invoice_state(srv)
    edited_from = field_of(srv, "editedInvoiceId")
    return RemoteInvoice(
        provider=PROVIDER,
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
"""[G] The fake's code for an operation the invoice's state forbids (undocumented)."""
NOT_FOUND_CODE = 131
"""[G] The fake's code for an unknown invoice id (undocumented)."""
OTT_CODE = 39

_ERRORS: dict[int, tuple[type[ProviderError], str, str, str]] = {
    10: (ValidationError, "deadline", "تاریخ سررسید (deadline) قالب درستی ندارد", "the deadline date is not in the right format"),
    19: (DuplicateError, "billNumber", "شماره صورتحساب تکراری است", "the bill number is already used"),
    21: (AuthenticationError, "_token_", "توکن کسب‌وکار پاد نادرست است", "Pod rejected the business token"),
    25: (DuplicateError, "billNumber", "این شماره صورتحساب متعلق به فاکتور ابطال‌شده‌ای است", "the bill number belongs to a cancelled invoice"),
    37: (ValidationError, "guildCode", "کد صنف با قالب درست پنل کسب‌وکار وارد نشده است", "the guild code is malformed"),
    39: (AuthenticationError, "_ott_", "توکن یک‌بارمصرف (ott) نامعتبر یا استفاده‌شده است", "the one-time token (ott) is missing, used or invalid"),
    53: (ValidationError, "guildCode", "این صنف در پنل کسب‌وکار افزوده نشده است", "this guild is not added to the business"),
    56: (ValidationError, "guildCode", "کد صنف درست فرستاده نشده است", "the guild code was not sent correctly"),
    66: (ValidationError, "userId", "صدور فاکتور از کسب‌وکار برای خودش ممکن نیست", "a business cannot invoice itself"),
    887: (ValidationError, "", "پارامترهای درخواست نامعتبر است", "the request parameters are invalid"),
    999: (ServerError, "", "خطای داخلی پاد", "Pod internal error"),
    INVALID_STATE_CODE: (InvalidStateError, "", "وضعیت فاکتور در پاد این کار را اجازه نمی‌دهد", "the invoice's state in Pod does not allow this"),
    NOT_FOUND_CODE: (NotFoundError, "id", "فاکتور در پاد پیدا نشد", "the invoice was not found in Pod"),
}

_STATE_OPERATIONS = frozenset({"closeInvoice", "verifyAndCloseInvoice", "cancelInvoice",
                               "verifyInvoice", "reduceInvoice"})


def pod_error(code: int, message: str, operation: str, *, bill_number: str | None = None) -> ProviderError:
    """The typed error for Pod's `errorCode`, with Pod's own message kept in the English text.

    Code 39 means a bad ott for operations that carry one; on close/cancel/verify/reduce Pod
    uses the same refusal for "not allowed to close this invoice" (seed), so there it is a
    state error."""
    if code == OTT_CODE and operation in _STATE_OPERATIONS:
        return InvalidStateError(PROVIDER, message or "اجازه این کار روی این فاکتور را ندارید",
                                 f"Pod refused {operation} on this invoice", code=code)
    entry = _ERRORS.get(code)
    detail = f" — {message}" if message else ""
    if entry is None:
        return ProviderError(PROVIDER, message or f"خطای {code} از پاد",
                             f"Pod error {code} in {operation}{detail}", code=code)
    kind, field, fa, en = entry
    if kind is ValidationError:
        return ValidationError(PROVIDER, fa, en + detail, field_errors={field: message or en} if field else {},
                               code=code)
    if kind is DuplicateError:
        return DuplicateError(PROVIDER, fa, en + detail, existing_key=bill_number, code=code)
    return kind(PROVIDER, fa, en + detail, code=code)
