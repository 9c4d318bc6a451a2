"""A posapp invoice as the tax administration's Moadian e-invoice JSON (pattern 1, sale).

What is sent, field by field (the tax administration's invoice specification as the official
SDKs implement it, summarised in docs/moadian.md):

* **Type** (`inty`): 1 when the buyer is identified (an economic code or a national ID), 2 for a
  final consumer, whose buyer fields and settlement method are left out.
* **Subject** (`ins`): 1 original for a sale; 2 correction (اصلاحی) for a price or quantity
  reduction, the whole corrected invoice naming the one it replaces (`irtaxid`), with the same
  buyer, goods codes and VAT rates; 3 cancellation, a header that names the cancelled
  invoice's tax ID (`irtaxid`); 4 return from sale, which *replaces* the referenced invoice by
  what the buyer keeps: the sale's lines with their quantities lowered by everything returned so
  far, unit price and VAT rate unchanged; a final consumer's (type 2) return goes as a
  correction, the one subject of the two every reading of the specification allows for type 2.
  Returning every unit is a cancellation instead.
* **Amounts** are whole Rial, truncated, and follow Moadian's own arithmetic per line:
  `prdis = trunc(am × fee)`, `adis = prdis − dis`, `vam = trunc(adis × vra / 100)`,
  `tsstam = adis + vam`; the header totals are the exact sums. posapp rounds a line's gross
  amount and VAT half up, so `tbill` may be lower than posapp's payable by up to two Rial per
  line; `MoadianDocument.rounding_difference` carries that difference, so it is visible, never
  silent.
* Every line needs its goods or service code (`sstid`, 13 digits from the national catalogue)
  and unit code (`mu`); a line without them is refused with the product's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from enum import IntEnum
from typing import Any

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import Invoice, InvoiceKind, InvoiceLine, PartyKind, PaymentMethod
from posapp.domain.jalali import IRAN_TZ
from posapp.domain.moadian import parse_tax_id
from posapp.domain.money import ZERO
from posapp.domain.text import to_ascii_digits

_GOODS_CODE = re.compile(r"\d{13}")
_UNIT_CODE = re.compile(r"\d{1,8}")
_ECONOMIC_CODE = re.compile(r"\d{11}|\d{14}")
_HUNDRED = Decimal(100)


class InvoiceType(IntEnum):
    """`inty`: who the buyer is."""

    IDENTIFIED_BUYER = 1
    FINAL_CONSUMER = 2


class InvoiceSubject(IntEnum):
    """`ins`: what the document does."""

    ORIGINAL = 1
    CORRECTION = 2
    CANCELLATION = 3
    RETURN_FROM_SALE = 4


class BuyerKind(IntEnum):
    """`tob`: the buyer as a person."""

    NATURAL = 1
    LEGAL = 2


SALE_PATTERN = 1
"""`inp` 1: a sale (فروش), the pattern of a shop's till."""


class Settlement(IntEnum):
    """`setm`: how a type-1 invoice is settled."""

    CASH = 1
    CREDIT = 2
    MIXED = 3


@dataclass(frozen=True)
class GoodsCode:
    """What Moadian needs to know of a product: its national catalogue code and unit code."""

    goods_id: str
    """`sstid`: 13 digits (شناسه کالا/خدمت)."""
    unit_code: str
    """`mu`: the unit's code, e.g. 1627 for a piece (عدد), 164 for a kilogram."""


UNIT_CODES: Mapping[str, str] = {
    "عدد": "1627", "کیلوگرم": "164", "گرم": "1622", "متر": "165", "لیتر": "1637",
    "ساعت": "16103", "کارتن": "1624", "جعبه": "1613", "بسته": "1628", "متر مربع": "1645",
}
"""Moadian's codes for the units a shop uses most, by posapp's Persian unit name."""


def clean_goods_code(text: str) -> str:
    """A product's goods/service code as stored: empty, or exactly 13 digits (Persian digits,
    spaces and dashes as typed are accepted and dropped)."""
    code = re.sub(r"[\s\-]", "", to_ascii_digits(str(text)))
    if code and not _GOODS_CODE.fullmatch(code):
        raise ValidationError("goods_code",
                              f"شناسه کالا/خدمت مؤدیان «{text}» باید دقیقاً ۱۳ رقم باشد",
                              f"the Moadian goods/service code '{text}' must be exactly 13 digits")
    return code


def clean_unit_code(text: str) -> str:
    """A Moadian unit code as stored: empty, or 1 to 8 digits."""
    code = to_ascii_digits(str(text)).strip()
    if code and not _UNIT_CODE.fullmatch(code):
        raise ValidationError("unit_code",
                              f"کد واحد سنجش مؤدیان «{text}» باید عددی تا ۸ رقم باشد (مثلاً ۱۶۲۷ برای عدد)",
                              f"the Moadian unit code '{text}' must be a number of up to 8 digits (e.g. 1627 for a piece)")
    return code


def unit_code_for(unit: str, unit_code: str) -> str:
    """The unit code a line carries: the product's own, else the code of its unit's name
    (UNIT_CODES), else empty."""
    return unit_code or UNIT_CODES.get(unit.strip(), "")


@dataclass(frozen=True)
class MoadianDocument:
    """One invoice ready to sign: the JSON object and the figures to compare with posapp's."""

    tax_id: str
    subject: InvoiceSubject
    payload: dict[str, Any]
    rounding_difference: Decimal
    """posapp's amount minus `tbill` (≥ 0): posapp rounds half up where Moadian truncates."""


def epoch_millis(at: datetime) -> int:
    """Moadian's date-times: milliseconds since 1970 UTC; a naive `at` is Tehran time."""
    aware = at if at.tzinfo is not None and at.utcoffset() is not None else at.replace(tzinfo=IRAN_TZ)
    return int(aware.astimezone(UTC).timestamp() * 1000)


def _whole(amount: Decimal) -> int:
    return int(amount.to_integral_value(rounding=ROUND_DOWN))


def check_goods_code(code: GoodsCode | None, line: InvoiceLine) -> GoodsCode:
    """The line's Moadian codes, or a refusal naming the product that lacks them."""
    name = line.description
    if code is None or not _GOODS_CODE.fullmatch(code.goods_id):
        raise ValidationError("sstid",
                              f"کالای «{name}» شناسه کالا/خدمت ۱۳ رقمی سامانه مؤدیان ندارد",
                              f"product “{name}” has no 13-digit Moadian goods/service code")
    if not _UNIT_CODE.fullmatch(code.unit_code):
        raise ValidationError("mu",
                              f"کالای «{name}» کد واحد سنجش سامانه مؤدیان ندارد",
                              f"product “{name}” has no Moadian unit code")
    return code


def check_seller_economic_code(economic_code: str) -> str:
    if not _ECONOMIC_CODE.fullmatch(economic_code):
        raise ValidationError("tins", "کد اقتصادی فروشگاه برای سامانه مؤدیان باید ۱۱ یا ۱۴ رقم باشد",
                              "the shop's economic code must have 11 or 14 digits for Moadian")
    return economic_code


def invoice_type(invoice: Invoice) -> InvoiceType:
    buyer = invoice.buyer
    if buyer is not None and (buyer.economic_code.strip() or buyer.national_id.strip()):
        return InvoiceType.IDENTIFIED_BUYER
    return InvoiceType.FINAL_CONSUMER


def _buyer_fields(invoice: Invoice) -> dict[str, Any]:
    buyer = invoice.buyer
    if invoice_type(invoice) is InvoiceType.FINAL_CONSUMER or buyer is None:
        return {}
    kind = BuyerKind.LEGAL if buyer.kind is PartyKind.LEGAL else BuyerKind.NATURAL
    fields: dict[str, Any] = {"tob": int(kind)}
    if buyer.economic_code.strip():
        fields["tinb"] = buyer.economic_code.strip()
    if buyer.national_id.strip():
        fields["bid"] = buyer.national_id.strip()
    if buyer.postal_code.strip():
        fields["bpc"] = buyer.postal_code.strip()
    return fields


@dataclass(frozen=True)
class _Line:
    code: GoodsCode
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    rate_percent: Decimal
    posapp_total: Decimal


def _body(lines: Sequence[_Line]) -> tuple[list[dict[str, Any]], dict[str, int], Decimal]:
    body: list[dict[str, Any]] = []
    sums = {"tprdis": 0, "tdis": 0, "tadis": 0, "tvam": 0, "todam": 0, "tbill": 0}
    posapp_total = ZERO
    for line in lines:
        if line.unit_price <= 0:
            raise ValidationError("fee", f"ردیف «{line.description}» بی‌بها است و سامانه مؤدیان آن را نمی‌پذیرد",
                                  f"line “{line.description}” has no price; Moadian refuses a zero unit price")
        before = _whole(line.quantity * line.unit_price)
        if before <= 0:
            raise ValidationError("prdis", f"مبلغ ردیف «{line.description}» کمتر از یک ریال است و سامانه مؤدیان آن را نمی‌پذیرد",
                                  f"line “{line.description}” is worth less than one Rial; Moadian refuses it")
        discount = _whole(line.discount)
        after = before - discount
        vat = _whole(after * line.rate_percent / _HUNDRED)
        total = after + vat
        body.append({
            "sstid": line.code.goods_id, "sstt": line.description[:400], "mu": line.code.unit_code,
            "am": line.quantity, "fee": line.unit_price, "prdis": before, "dis": discount,
            "adis": after, "vra": line.rate_percent, "vam": vat, "odam": 0, "olam": 0,
            "tsstam": total,
        })
        for key, value in (("tprdis", before), ("tdis", discount), ("tadis", after),
                           ("tvam", vat), ("tbill", total)):
            sums[key] += value
        posapp_total += line.posapp_total
    return body, sums, posapp_total


def _sold_lines(invoice: Invoice, codes: Sequence[GoodsCode | None]) -> list[_Line]:
    if len(codes) != len(invoice.lines):
        raise ValueError("one GoodsCode (or None) per invoice line")
    totals = invoice.totals
    return [
        _Line(check_goods_code(code, line), line.description, line.quantity, line.unit_price,
              line_total.discount, line.tax_rate * _HUNDRED, line_total.total)
        for line, line_total, code in zip(invoice.lines, totals.lines, codes, strict=True)
    ]


def _check_mappable(invoice: Invoice) -> None:
    if invoice.charges:
        raise ValidationError("charges", "سامانه مؤدیان هزینه یا کسر در سطح فاکتور ندارد؛ آن را در ردیف‌ها بیاورید",
                              "Moadian has no invoice-level charges or deductions; put them on the lines")
    if invoice.issued_at is None or invoice.number is None:
        raise ValidationError("status", "فقط فاکتور صادرشده به سامانه مؤدیان فرستاده می‌شود",
                              "only an issued invoice is sent to Moadian")


def _checked_tax_id(tax_id: str, field: str = "taxid") -> str:
    """`tax_id` once its shape and check digit were verified."""
    parse_tax_id(tax_id, field=field)
    return tax_id


def _header(invoice: Invoice, tax_id: str, subject: InvoiceSubject, seller_economic_code: str,
            at: datetime) -> dict[str, Any]:
    _checked_tax_id(tax_id)
    millis = epoch_millis(at)
    return {
        "taxid": tax_id, "indatim": millis, "indati2m": millis, "inty": int(invoice_type(invoice)),
        "inno": tax_id[11:21], "inp": SALE_PATTERN, "ins": int(subject),
        "tins": check_seller_economic_code(seller_economic_code),
    }


def _settlement(header: dict[str, Any], paid_by: Invoice, payable: Decimal) -> None:
    """`setm` for a type-1 invoice only (type 2 is taken as cash and must leave it out): how
    much of `payable` the payments of `paid_by` left on credit."""
    if header["inty"] != InvoiceType.IDENTIFIED_BUYER:
        return
    credit = sum((p.amount for p in paid_by.payments if p.method is PaymentMethod.CREDIT), ZERO)
    credit += paid_by.totals.balance_due
    if credit == ZERO:
        header["setm"] = int(Settlement.CASH)
    elif credit >= payable:
        header["setm"] = int(Settlement.CREDIT)
    else:
        header["setm"] = int(Settlement.MIXED)
        header["insp"] = _whole(credit)
        header["cap"] = header["tbill"] - header["insp"]


def sale_document(invoice: Invoice, *, tax_id: str, seller_economic_code: str,
                  codes: Sequence[GoodsCode | None]) -> MoadianDocument:
    """An issued sale as an original (`ins` 1) invoice."""
    _check_mappable(invoice)
    if invoice.kind is not InvoiceKind.SALE:
        raise ValueError("sale_document takes a sale; returns go through return_document")
    assert invoice.issued_at is not None  # checked by _check_mappable
    header = _header(invoice, tax_id, InvoiceSubject.ORIGINAL, seller_economic_code, invoice.issued_at)
    header.update(_buyer_fields(invoice))
    body, sums, posapp_total = _body(_sold_lines(invoice, codes))
    header.update(sums)
    _settlement(header, invoice, invoice.totals.payable)
    return MoadianDocument(tax_id, InvoiceSubject.ORIGINAL,
                           {"header": header, "body": body, "payments": [], "extension": None},
                           posapp_total - Decimal(sums["tbill"]))


def cancellation_document(cancelled: Invoice, *, tax_id: str, cancelled_tax_id: str,
                          seller_economic_code: str, at: datetime) -> MoadianDocument:
    """The cancellation (`ins` 3) of the invoice accepted under `cancelled_tax_id`: a header
    only; Moadian takes the body and totals from the reference."""
    millis = epoch_millis(at)
    header = {"taxid": _checked_tax_id(tax_id), "indatim": millis, "inno": tax_id[11:21],
              "irtaxid": _checked_tax_id(cancelled_tax_id, "irtaxid"), "ins": int(InvoiceSubject.CANCELLATION),
              "tins": check_seller_economic_code(seller_economic_code)}
    return MoadianDocument(tax_id, InvoiceSubject.CANCELLATION,
                           {"header": header, "body": [], "payments": [], "extension": None}, ZERO)


def return_subject(sale: Invoice) -> InvoiceSubject:
    """How a return of `sale` is sent. The invoice specification's digest says a type-2 invoice
    takes subjects 1 to 3 only, while the SDK-era checklists send every return as a return from
    sale (4); a correction (2) with the lowered quantities is valid under both readings, so a
    final consumer's return goes as one, and an identified buyer's as a return from sale."""
    if invoice_type(sale) is InvoiceType.IDENTIFIED_BUYER:
        return InvoiceSubject.RETURN_FROM_SALE
    return InvoiceSubject.CORRECTION


def return_document(original: Invoice, returns: Sequence[Invoice], *, tax_id: str,
                    referenced_tax_id: str, seller_economic_code: str,
                    codes: Sequence[GoodsCode | None], at: datetime) -> MoadianDocument:
    """A return from sale (`ins` 4; a correction, 2, for a final consumer: `return_subject`)
    replacing the document accepted under `referenced_tax_id`
    (the sale, or its latest return): the sale's lines less everything in `returns` (every
    return so far, the new one included). A line returned in full is left out; a sale returned
    in full must be cancelled instead (ValidationError)."""
    _check_mappable(original)
    _checked_tax_id(referenced_tax_id, "irtaxid")
    sold = _sold_lines(original, codes)
    returned_quantity = [ZERO] * len(sold)
    returned_discount = [ZERO] * len(sold)
    returned_total = [ZERO] * len(sold)
    for document in returns:
        if document.kind is not InvoiceKind.RETURN or document.original_number != original.number:
            raise ValueError("every return must be a return of the original sale")
        for line, line_total in zip(document.lines, document.totals.lines, strict=True):
            if line.origin_line is None:
                raise ValueError("a return line names the sale line it returns")
            returned_quantity[line.origin_line] += line.quantity
            returned_discount[line.origin_line] += line_total.discount
            returned_total[line.origin_line] += line_total.total
    kept = [
        _Line(line.code, line.description, line.quantity - returned_quantity[i], line.unit_price,
              line.discount - returned_discount[i], line.rate_percent,
              line.posapp_total - returned_total[i])
        for i, line in enumerate(sold) if line.quantity > returned_quantity[i]
    ]
    if not kept:
        raise ValidationError("ins", "همه کالاهای فاکتور برگشت خورده است؛ در سامانه مؤدیان باید ابطال شود",
                              "every item of the sale came back; Moadian needs a cancellation instead")
    subject = return_subject(original)
    header = _header(original, tax_id, subject, seller_economic_code, at)
    header["irtaxid"] = referenced_tax_id
    header.update(_buyer_fields(original))
    body, sums, posapp_total = _body(kept)
    header.update(sums)
    if header["inty"] == InvoiceType.IDENTIFIED_BUYER:
        header["setm"] = int(Settlement.CASH)
    return MoadianDocument(tax_id, subject,
                           {"header": header, "body": body, "payments": [], "extension": None},
                           posapp_total - Decimal(sums["tbill"]))


def correction_document(original: Invoice, reduction: Invoice, *, tax_id: str, referenced_tax_id: str,
                        seller_economic_code: str, codes: Sequence[GoodsCode | None],
                        at: datetime) -> MoadianDocument:
    """A corrective invoice (`ins` 2) replacing the document accepted under `referenced_tax_id`
    (the sale, or its latest return) by `reduction`, posapp's reduction of sale `original`: the
    invoice as it stands after the correction, the lines the customer still holds after every
    return with their lowered quantities and prices, buyer, type and pattern as the sale's, each
    line's goods code and VAT rate unchanged (Moadian refuses a new `sstid` or another `vra` in a
    correction). Settled as the sale was: what its payments left on credit stays credit."""
    _check_mappable(original)
    _check_mappable(reduction)
    if reduction.kind is not InvoiceKind.REDUCTION or reduction.original_number != original.number:
        raise ValueError("correction_document takes a reduction of the original sale")
    _checked_tax_id(referenced_tax_id, "irtaxid")
    for line in reduction.lines:
        index = line.origin_line
        if index is None or not 0 <= index < len(original.lines) or line.tax_rate != original.lines[index].tax_rate:
            raise ValidationError("vra", f"ردیف «{line.description}» فاکتور کاهشی با ردیفی از فاکتور فروش نمی‌خواند",
                                  f"line “{line.description}” of the reduction does not match a line of the sale")
    header = _header(reduction, tax_id, InvoiceSubject.CORRECTION, seller_economic_code, at)
    header["irtaxid"] = referenced_tax_id
    header.update(_buyer_fields(reduction))
    body, sums, posapp_total = _body(_sold_lines(reduction, codes))
    header.update(sums)
    _settlement(header, original, reduction.totals.payable)
    return MoadianDocument(tax_id, InvoiceSubject.CORRECTION,
                           {"header": header, "body": body, "payments": [], "extension": None},
                           posapp_total - Decimal(sums["tbill"]))
