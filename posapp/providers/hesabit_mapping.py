"""Hesabit mapping: posapp invoices to Hesabit's invoice JSON and Hesabit's answers back.

Pure functions, no HTTP. Amounts are whole Rial both sides:

- posapp's themes map to `theme_id`: modern → 1 (مدرن), formal → 2 (فاکتور رسمی),
  receipt → 3 (فیش), carbon → 4 (کاربن). Themes other than 1 need an active Hesabit plan.
- Hesabit items take whole-number `cost`, `quantity` and percentages. A line whose quantity and
  unit price are whole and whose whole discount (line plus its share of the invoice discount)
  is a whole percentage goes as it is; any other line goes as quantity 1 at its net amount, with
  the quantity and unit price written into the description, so the total is always exact.
  `tax` is the line's VAT rate in whole percent. Additions (freight, packing) become their own
  untaxed items; Hesabit has no deduction, so an invoice with one is refused with a clear message.
- Hesabit's `amount` is reported as the remote payable; the sync engine's one amount-mismatch
  policy fails a delivery whose amount differs (docs/providers.md).
- `link` and `short_link` are both kept. The https `link` (on www.hesabit.com) is the one
  stored and offered to customers, since posapp shows only https links on a provider's known
  host; the http `short_link` (hesab.it) is kept as data only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from posapp.domain.invoice import HUNDRED, Invoice, InvoiceLine, LineTotals
from posapp.domain.money import ZERO
from posapp.providers.base import RemoteInvoice, RemoteState, folded_description, to_decimal
from posapp.providers.errors import ProviderValidationError

NAME = "hesabit"

THEME_IDS: Mapping[str, int] = {"modern": 1, "formal": 2, "receipt": 3, "carbon": 4}
"""posapp theme → Hesabit `theme_id` (the document's 1 مدرن, 2 فاکتور رسمی, 3 فیش, 4 کاربن)."""


@dataclass(frozen=True)
class HesabitInvoice(RemoteInvoice):
    """A Hesabit invoice: `link` is the https invoice page customers pay on; `short_link` is
    Hesabit's http short link, kept as data and never offered (it is not https)."""

    short_link: str | None = None
    theme_id: int = 1
    customer_id: str = ""


@dataclass(frozen=True)
class HesabitCustomer:
    remote_id: str
    name: str
    email: str
    mobile: str


@dataclass(frozen=True)
class InvoiceOptions:
    """The shop's Hesabit settings an invoice body depends on."""

    theme: str
    due_days: int
    online_payment: bool
    send_email: bool
    send_sms: bool


def invoice_body(invoice: Invoice, number: str, customer: Mapping[str, str],
                 options: InvoiceOptions) -> dict[str, Any]:
    """The POST/PUT body for an issued posapp invoice under Hesabit `number`."""
    totals = invoice.totals
    if totals.deductions:
        raise ProviderValidationError(
            NAME, "حسابیت کسورات فاکتور را نمی‌پذیرد؛ آن را به صورت تخفیف ثبت کنید",
            "Hesabit has no invoice deductions; enter the amount as a discount instead",
            field_errors={"charges": "deductions are not supported"})
    items = [line_item(line, line_totals)
             for line, line_totals in zip(invoice.lines, totals.lines, strict=True)]
    items += [{"description": charge.label, "cost": whole(charge.amount, "charges"),
               "quantity": 1, "discount": 0, "tax": 0}
              for charge in invoice.charges if not charge.is_deduction]
    issued = invoice.issued_at or invoice.created_at
    # A sale paid in full at the till asks nobody to pay: no payment button, no SMS or
    # e-mail with a link to pay again.
    left_to_pay = totals.balance_due > 0
    return {
        "title": f"فاکتور {invoice.number or number}",
        "number": number,
        "date": int(issued.timestamp()),
        "due": int((issued + timedelta(days=options.due_days)).timestamp()),
        "online_payment": int(options.online_payment and left_to_pay),
        "note": invoice.notes,
        "theme_id": THEME_IDS[options.theme],
        "auto_send": {"email": options.send_email and left_to_pay,
                      "sms": options.send_sms and left_to_pay},
        "Customer": dict(customer),
        "Item": items,
    }


def customer_reference(invoice: Invoice, walk_in_customer_id: str) -> dict[str, str]:
    """How the invoice names its customer: the buyer's mobile (Hesabit creates the customer when
    it is new), else the configured walk-in customer."""
    buyer = invoice.buyer
    if buyer is not None and buyer.mobile:
        return {"mobile": buyer.mobile}
    if walk_in_customer_id:
        return {"id": walk_in_customer_id}
    raise ProviderValidationError(
        NAME, "حسابیت برای هر فاکتور مشتری با شماره موبایل می‌خواهد؛ مشتری گذری را در تنظیمات حسابیت تعیین کنید",
        "Hesabit needs a customer with a mobile number; set the walk-in customer id in the Hesabit settings",
        field_errors={"buyer": "a mobile number or a walk-in customer is required"})


def remote_invoice(view: Mapping[str, Any]) -> HesabitInvoice:
    """One row of Hesabit's answer (`{Invoice, Transaction, Customer}`) as a HesabitInvoice."""
    invoice = view["Invoice"]
    transaction = view.get("Transaction") or {}
    customer = view.get("Customer") or {}
    return HesabitInvoice(
        provider=NAME, remote_id=str(invoice["id"]), key=str(invoice["number"]),
        number=str(invoice["number"]),
        payable=to_decimal(invoice.get("amount"), provider=NAME, field_name="amount"),
        state=RemoteState.PAID if invoice.get("status") == "paid" else RemoteState.OPEN,
        link=invoice.get("link") or None,
        paid=to_decimal(transaction.get("amount", 0), provider=NAME, field_name="Transaction.amount"),
        short_link=invoice.get("short_link") or None, theme_id=int(invoice.get("theme_id", 1)),
        customer_id=str(customer.get("id", "")),
    )


def remote_customer(data: Mapping[str, Any]) -> HesabitCustomer:
    return HesabitCustomer(str(data["id"]), str(data.get("name", "")),
                           str(data.get("email", "")), str(data.get("mobile", "")))


def line_item(line: InvoiceLine, totals: LineTotals) -> dict[str, Any]:
    """One Hesabit item whose total equals the posapp line's total to the Rial (see module doc)."""
    tax_percent = line.tax_rate * HUNDRED
    if tax_percent != tax_percent.to_integral_value():
        raise ProviderValidationError(
            NAME, f"حسابیت فقط نرخ مالیات با درصد صحیح می‌پذیرد ({tax_percent}٪)",
            f"Hesabit takes whole-percent tax rates only ({tax_percent}%)",
            field_errors={"tax_rate": str(tax_percent)})
    item: dict[str, Any] = {"description": line.description, "tax": int(tax_percent),
                            "code": line.product_code}
    whole_units = line.quantity == line.quantity.to_integral_value()
    whole_price = line.unit_price == line.unit_price.to_integral_value()
    percent = totals.discount * HUNDRED / totals.gross if totals.gross else ZERO
    if whole_units and whole_price and percent == percent.to_integral_value():
        item.update(cost=int(line.unit_price), quantity=int(line.quantity), discount=int(percent))
    else:
        item.update(description=folded_description(line), cost=whole(totals.net, "lines"),
                    quantity=1, discount=0)
    return item


def whole(amount: Decimal, field: str) -> int:
    """A whole Rial amount as Hesabit's integer; a fraction is refused, naming `field`."""
    if amount != amount.to_integral_value():
        raise ProviderValidationError(NAME, "حسابیت فقط مبلغ ریالی صحیح می‌پذیرد",
                              "Hesabit takes whole Rial amounts only",
                              field_errors={field: str(amount)})
    return int(amount)


_FIELD = re.compile(r"^([A-Za-z_][\w.]*)\b")


def message_field(message: str) -> str:
    """The field a Hesabit validation message starts with (`Item.0.cost must…` → Item.0.cost)."""
    match = _FIELD.match(message)
    return match.group(1) if match else "invoice"
