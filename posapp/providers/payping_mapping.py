"""Turning a posapp invoice (Decimal Rial) into PayPing v2 invoice items (whole Toman).

The rules, chosen so that what the customer pays is exactly what posapp says, or differs by a
stated, configured rounding of less than one Toman:

- A line goes as it is (quantity, unit price, per-unit discount) when its quantity is whole and
  its unit price and per-unit discount are whole Toman. Any other line (weighed goods, odd
  amounts) goes as quantity 1 at its gross with its whole discount, the quantity and unit price
  written into the description. The discount sent is the line's own plus its share of the
  invoice discount, so PayPing's invoice-level discount is left for posapp's deductions.
- VAT: PayPing knows one merchant-wide tax switch per item, not posapp's per-line rates by
  Jalali year, so items go untaxed and posapp's VAT goes as its own item ("مالیات بر ارزش
  افزوده"). Additions (freight, packing) go as `shipping`.
- Rial to Toman (`TomanRounding`, see `base.rial_to_provider_toman`): EXACT refuses any amount
  that is not a multiple of 10 Rial, naming the field. Otherwise each part is rounded towards
  the customer (prices down, discounts up) and one "گرد کردن به تومان" item brings the total to
  the payable rounded by the chosen rule; the difference is visible as the remote payable.
- PayPing's discount-type codes are contradictory (the OpenAPI file says 0 = amount, the help
  article on scheduled invoices «درصد = 0»; docs/providers.md): `DiscountCodes` says which
  number means "amount"; posapp only sends amounts.
- The two field-naming schemes (OpenAPI "spec" and the help article/FastInvoice "seed") differ only in
  names; `FieldNaming` picks one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from posapp.domain.invoice import Invoice, InvoiceLine, LineTotals
from posapp.domain.money import RIAL_PER_TOMAN
from posapp.providers.base import TomanRounding, folded_description, rial_to_provider_toman
from posapp.providers.errors import ProviderValidationError

NAME = "payping"
VAT_ITEM = "مالیات بر ارزش افزوده"
ROUNDING_ITEM = "گرد کردن مبلغ به تومان"
SHIPPING_ITEM = "هزینه ارسال"
"""Used only when every goods line rounds to nothing: PayPing needs at least one item."""


class FieldNaming(StrEnum):
    SPEC = "spec"
    """OpenAPI: billToes, ccToes, invoiceItems{name, price, discountValue, tax}, invoiceTitle,
    invoiceNumber, totalDiscountValue/Type, invoiceSchulder{repeat, schulderType, endValue}."""
    SEED = "seed"
    """The help article on scheduled invoices and FastInvoice: customers, cc, products{title, amount, discountAmount, haveTax},
    title, number, discountAmount/Type, sendDate, schedule{interval, scheduleType, count}."""


class DiscountCodes(StrEnum):
    SPEC = "spec"
    """0 = amount, 1 = percent (the OpenAPI file)."""
    SEED = "seed"
    """0 = percent, 1 = amount (the help article's "درصد = 0" and the 2025 SDK docs)."""

    @property
    def amount_code(self) -> int:
        return 0 if self is DiscountCodes.SPEC else 1


@dataclass(frozen=True)
class TomanItem:
    name: str
    price: int
    """Per unit, Toman."""
    quantity: int = 1
    unit_discount: int = 0
    code: str = ""
    description: str = ""

    @property
    def total(self) -> int:
        return (self.price - self.unit_discount) * self.quantity


@dataclass(frozen=True)
class TomanInvoice:
    """An invoice in PayPing's terms. `total` is what PayPing must compute; `payable_rial` is
    that total in Rial (posapp's payable plus the rounding difference, if any)."""

    items: tuple[TomanItem, ...]
    shipping: int
    discount: int
    total: int

    @property
    def payable_rial(self) -> Decimal:
        return Decimal(self.total) * RIAL_PER_TOMAN


class _Converter:
    """Rial → Toman under one rounding rule; parts round towards the customer."""

    def __init__(self, rounding: TomanRounding) -> None:
        self.rounding = rounding

    def _convert(self, amount: Decimal, field: str, towards: TomanRounding) -> int:
        rule = TomanRounding.EXACT if self.rounding is TomanRounding.EXACT else towards
        return int(rial_to_provider_toman(amount, rule, provider=NAME, field_name=field))

    def charge(self, amount: Decimal, field: str) -> int:
        return self._convert(amount, field, TomanRounding.DOWN)

    def discount(self, amount: Decimal, field: str) -> int:
        return self._convert(amount, field, TomanRounding.UP)

    def target(self, amount: Decimal) -> int:
        return int(rial_to_provider_toman(amount, self.rounding, provider=NAME, field_name="total"))


def _whole_toman(amount: Decimal) -> bool:
    toman = amount / RIAL_PER_TOMAN
    return toman == toman.to_integral_value()


def _line_item(line: InvoiceLine, totals: LineTotals, index: int, convert: _Converter) -> TomanItem | None:
    quantity = line.quantity
    unit_discount = totals.discount / quantity
    if (quantity == quantity.to_integral_value() and _whole_toman(line.unit_price)
            and _whole_toman(unit_discount)):
        item = TomanItem(line.description, int(line.unit_price / RIAL_PER_TOMAN), int(quantity),
                         int(unit_discount / RIAL_PER_TOMAN), line.product_code)
    else:
        price = convert.charge(totals.gross, f"lines[{index}].gross")
        discount = min(price, convert.discount(totals.discount, f"lines[{index}].discount"))
        item = TomanItem(line.description, price, 1, discount, line.product_code,
                         folded_description(line))
    return item if item.price > 0 else None


def to_toman(invoice: Invoice, rounding: TomanRounding) -> TomanInvoice:
    """The invoice as whole-Toman PayPing parts (see the module docstring)."""
    convert = _Converter(rounding)
    totals = invoice.totals
    items = [item for index, (line, line_totals)
             in enumerate(zip(invoice.lines, totals.lines, strict=True))
             if (item := _line_item(line, line_totals, index, convert)) is not None]
    if totals.tax:
        vat = convert.charge(totals.tax, "tax")
        if vat:
            items.append(TomanItem(VAT_ITEM, vat))
    shipping = convert.charge(totals.additions, "charges")
    discount = convert.discount(totals.deductions, "charges")
    if not items and shipping:
        items.append(TomanItem(SHIPPING_ITEM, shipping))
        shipping = 0
    target = convert.target(totals.payable)
    reached = sum(item.total for item in items) + shipping - discount
    if target > reached:
        # Lines and charges that each rounded down to nothing can still add up to a Toman due.
        items.append(TomanItem(ROUNDING_ITEM, target - reached))
    if target <= 0 or not items:
        raise ProviderValidationError(NAME, "مبلغی برای پرداخت در پی‌پینگ نمانده است",
                              "there is nothing to pay through PayPing",
                              field_errors={"total": str(totals.payable)})
    return TomanInvoice(tuple(items), shipping, discount, target)


def item_body(item: TomanItem, naming: FieldNaming, codes: DiscountCodes) -> dict[str, Any]:
    if naming is FieldNaming.SPEC:
        return {"code": item.code, "name": item.name, "description": item.description,
                "tax": False, "quantity": item.quantity, "discountValue": item.unit_discount,
                "discountType": codes.amount_code, "price": item.price}
    return {"code": item.code, "title": item.name, "description": item.description,
            "haveTax": False, "quantity": item.quantity, "discountAmount": item.unit_discount,
            "discountType": codes.amount_code, "amount": item.price}


def invoice_body(toman: TomanInvoice, *, naming: FieldNaming, codes: DiscountCodes,
                 customer_codes: Sequence[str], number: int, title: str, due: str,
                 create_status: int, notes: str = "", extra: Mapping[str, Any] | None = None,
                 ) -> dict[str, Any]:
    """A `/v2/invoice` body in the chosen naming."""
    items = [item_body(item, naming, codes) for item in toman.items]
    if naming is FieldNaming.SPEC:
        body: dict[str, Any] = {
            "billToes": [{"addressBookCode": code} for code in customer_codes],
            "invoiceItems": items, "invoiceNumber": number, "invoiceTitle": title,
            "totalDiscountValue": toman.discount, "totalDiscountType": codes.amount_code,
        }
    else:
        body = {"customers": [{"code": code} for code in customer_codes], "products": items,
                "number": number, "title": title, "discountAmount": toman.discount,
                "discountType": codes.amount_code}
    body.update({"createStatus": create_status, "dueDate": due, "shipping": toman.shipping,
                 "notes": notes, "isDevicePayment": not customer_codes, **(extra or {})})
    return body
