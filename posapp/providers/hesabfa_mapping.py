"""Hesabfa mapping: posapp invoices, buyers and receipts to Hesabfa's JSON, its answers and error
codes back.

Pure functions, no HTTP. posapp sends no invoice `number` (Hesabfa numbers its invoices, the
numbers are numeric) and puts its own number in `reference`. Contacts get a code derived from the
buyer (national ID, mobile, or name), the same every time; the walk-in contact and the generic
item have fixed codes. Line tax and discount are sent as the Rial amounts posapp computed, so
Hesabfa's totals equal posapp's; `payload_payable` is Hesabfa's documented arithmetic, checked
before a save. Numbers may come back as strings (`"Sum": "109000"`) and are read exactly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from posapp.domain.invoice import ChargeKind, Invoice, Party, PartyKind
from posapp.domain.jalali import to_iran_time
from posapp.domain.money import ZERO
from posapp.providers.base import (
    RemoteCustomer,
    RemoteInvoice,
    RemoteProduct,
    RemoteState,
    priced_quantity,
    to_decimal,
)
from posapp.providers.errors import (
    AuthenticationError,
    MalformedResponseError,
    ProviderError,
    ProviderValidationError,
    RateLimitedError,
    RemoteNotFoundError,
    ServerError,
)

NAME = "hesabfa"
CURRENCY = "IRR"
"""The currency posapp's invoices carry; a receipt's bank or cash box must hold the same one
(the seed: «واحد پول فاکتور با واحد پول بانک، صندوق یا تنخواه گردان باید یکی باشد»)."""


class InvoiceType:
    """Hesabfa's invoice types (typestable)."""

    SALE = 0
    PURCHASE = 1
    SALE_RETURN = 2
    PURCHASE_RETURN = 3
    WASTAGE = 4


_ERRORS: Mapping[int, tuple[type[ProviderError], str, str]] = {
    100: (ServerError, "خطای داخلی حسابفا", "Hesabfa internal server error"),
    101: (RateLimitedError, "تعداد درخواست‌ها به حسابفا از حد مجاز (۵۰ در دقیقه) گذشت", "too many requests (Hesabfa allows 50 a minute)"),
    103: (ProviderValidationError, "داده‌ای فرستاده نشد", "the request carried no data"),
    104: (ProviderValidationError, "پارامتر لازم فرستاده نشده است", "a required parameter is missing"),
    105: (AuthenticationError, "دسترسی API در حسابفا غیرفعال است", "the API is disabled for this business"),
    106: (AuthenticationError, "کاربر مالک کسب‌وکار نیست یا توکن ورود نادرست است", "the user is not the business owner (or the login token is wrong)"),
    107: (AuthenticationError, "کسب‌وکاری با این کلید API پیدا نشد", "no business has this API key"),
    108: (AuthenticationError, "اشتراک کسب‌وکار در حسابفا به پایان رسیده است", "the business's Hesabfa subscription has expired"),
    109: (ProviderValidationError, "سال مالی پیدا نشد", "the fiscal year was not found"),
    110: (ProviderValidationError, "شناسه باید صفر باشد", "the id must be zero"),
    111: (ProviderValidationError, "شناسه نباید صفر باشد", "the id must not be zero"),
    112: (RemoteNotFoundError, "مورد خواسته‌شده در حسابفا پیدا نشد", "the object was not found"),
    113: (AuthenticationError, "کلید API حسابفا فرستاده نشده است", "the API key is missing"),
    114: (ProviderValidationError, "مقدار پارامتر خارج از محدوده است", "a parameter is out of range"),
    190: (ProviderValidationError, "حسابفا درخواست را نپذیرفت", "Hesabfa refused the request"),
}


def hesabfa_error(code: int, message: str, operation: str) -> ProviderError:
    """The typed error for Hesabfa's ErrorCode; Hesabfa's own detail text is kept in both languages."""
    kind, fa, en = _ERRORS.get(code, (ProviderError, f"خطای {code} از حسابفا", f"Hesabfa error {code}"))
    detail = f": {message}" if message else ""
    text_fa, text_en = fa + detail, f"{en} in {operation}{detail}"
    if kind is ProviderValidationError:
        return ProviderValidationError(NAME, text_fa, text_en, code=code,
                               field_errors={"message": message} if message else {})
    return kind(NAME, text_fa, text_en, code=code)


WALK_IN_NAME = "مشتری گذری"
WALK_IN_CODE = "900000001"
"""The walk-in contact's code when none is configured: fixed, so every lane finds the same one."""
GENERIC_ITEM_NAME = "کالا و خدمات فروشگاه"
GENERIC_ITEM_CODE = "900000001"
CASH_TRANSACTION_NUMBER = "-"
"""Hesabfa takes no null or empty `transactionNumber` (the official plugin sends «-» for cash)."""


def contact_code(buyer: Party) -> str:
    """A Hesabfa contact code for the buyer, the same every time: from the national ID, else the
    mobile, else the name (digits only, like Hesabfa's own codes; distinct leading digits keep
    the three kinds apart)."""
    if buyer.national_id.strip():
        return "1" + "".join(ch for ch in buyer.national_id if ch.isdigit()).zfill(11)
    digits = "".join(ch for ch in buyer.mobile if ch.isdigit())
    if digits:
        return "2" + digits[-10:].zfill(10)
    name = " ".join(buyer.name.split())
    return "3" + str(int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % 10**10).zfill(10)


def hesabfa_datetime(moment: datetime) -> str:
    """Hesabfa's Gregorian `YYYY-MM-DD HH:MM:SS`, in Tehran's wall-clock time."""
    return to_iran_time(moment).strftime("%Y-%m-%d %H:%M:%S")


def invoice_items(invoice: Invoice, item_codes: Sequence[str]) -> list[dict[str, Any]]:
    """`invoiceItems` with discount and tax as the Rial amounts posapp computed."""
    rows = []
    for index, (line, totals, code) in enumerate(zip(invoice.lines, invoice.totals.lines, item_codes, strict=True)):
        priced = priced_quantity(line.description, line.quantity, line.unit_price, totals.gross)
        rows.append({
            "rowNumber": index + 1, "description": priced.description, "itemCode": code, "unit": line.unit,
            "quantity": priced.quantity, "unitPrice": priced.unit_price, "discount": totals.discount,
            "tax": totals.tax,
        })
    return rows


def invoice_payload(invoice: Invoice, *, contact_code: str, contact_title: str,
                    item_codes: Sequence[str], invoice_type: int, status: int, project: str = "") -> dict[str, Any]:
    """The `invoice` object of invoice/save for a posapp invoice: no `number` (Hesabfa numbers
    it), posapp's own number as `reference`."""
    moment = invoice.issued_at or invoice.created_at
    freight = sum((c.amount for c in invoice.charges if c.kind is ChargeKind.FREIGHT and not c.is_deduction), ZERO)
    others = [{"title": c.label, "amount": c.amount, "add": not c.is_deduction}
              for c in invoice.charges if not (c.kind is ChargeKind.FREIGHT and not c.is_deduction)]
    returned = f"برگشت از فاکتور {invoice.original_number}" if invoice.original_number else ""
    note = " — ".join(part for part in (returned, invoice.notes.strip(), invoice.cancel_reason.strip()) if part)
    payload: dict[str, Any] = {
        "reference": invoice.number or "",
        "date": hesabfa_datetime(moment), "dueDate": hesabfa_datetime(moment),
        "contactCode": contact_code, "contactTitle": contact_title, "note": note, "sent": False,
        "invoiceType": invoice_type, "status": status, "tag": "posapp", "freight": freight,
        "currency": CURRENCY, "taxId": invoice.tax_id or "",
        "invoiceItems": invoice_items(invoice, item_codes), "others": others,
    }
    if project:
        payload["project"] = project
    return payload


def hesabfa_number(number: str) -> int:
    """Hesabfa's invoice number as the integer it is (the seed's `number: 1001`)."""
    text = str(number).strip()
    if not text.isdigit():
        raise ProviderValidationError(NAME, f"شماره فاکتور حسابفا باید عدد باشد، نه «{text}»",
                              f"a Hesabfa invoice number is numeric, not {text!r}",
                              field_errors={"number": "not numeric"})
    return int(text)


def payload_payable(payload: Mapping[str, Any]) -> Decimal:
    """What Hesabfa will compute as `Payable` for this payload (its documented arithmetic)."""
    total = ZERO
    for item in payload["invoiceItems"]:
        total += Decimal(item["quantity"]) * Decimal(item["unitPrice"]) - Decimal(item["discount"]) + Decimal(item["tax"])
    additions = sum((Decimal(o["amount"]) for o in payload["others"] if o["add"]), ZERO)
    deductions = sum((Decimal(o["amount"]) for o in payload["others"] if not o["add"]), ZERO)
    return total + Decimal(payload["freight"]) + additions - deductions


def remote_invoice(result: Mapping[str, Any]) -> RemoteInvoice:
    number = result.get("Number")
    if number in (None, ""):
        raise MalformedResponseError(NAME, "پاسخ حسابفا فاکتور نداشت", "Hesabfa's answer held no invoice")
    payable = to_decimal(result.get("Payable"), provider=NAME, field_name="Payable")
    paid = to_decimal(result.get("Paid", 0), provider=NAME, field_name="Paid")
    rest = to_decimal(result.get("Rest", payable - paid), provider=NAME, field_name="Rest")
    if int(result.get("Status") or 0) == 0:
        state = RemoteState.PENDING
    elif payable > ZERO and rest <= ZERO:
        state = RemoteState.PAID
    else:
        state = RemoteState.OPEN
    return RemoteInvoice(provider=NAME, remote_id=str(number), key=str(result.get("Reference") or ""),
                         number=str(number), payable=payable, state=state, paid=paid)


def _party_kind(value: Any) -> PartyKind:
    return PartyKind.LEGAL if str(value) == "2" else PartyKind.NATURAL


def contact_body(buyer: Party, code: str) -> dict[str, Any]:
    """contact/save's `contact` for a new buyer under `code`."""
    return {
        "Code": code, "Name": buyer.name, "ContactType": 2 if buyer.kind is PartyKind.LEGAL else 1,
        "NationalCode": buyer.national_id, "EconomicCode": buyer.economic_code,
        "RegistrationNumber": buyer.registration_number, "PostalCode": buyer.postal_code,
        "Phone": buyer.phone, "Mobile": buyer.mobile, "Address": buyer.address,
        "TaxType": 8 if not buyer.economic_code else 5,
    }


def remote_customer(row: Mapping[str, Any]) -> RemoteCustomer:
    """A row of contact/getcontacts as a RemoteCustomer."""
    return RemoteCustomer(
        provider=NAME, remote_id=str(row.get("Id") or row.get("Code")), code=str(row.get("Code") or ""),
        name=str(row.get("Name") or ""), kind=_party_kind(row.get("ContactType")),
        national_id=str(row.get("NationalCode") or ""), economic_code=str(row.get("EconomicCode") or ""),
        mobile=str(row.get("Mobile") or ""), phone=str(row.get("Phone") or ""),
        email=str(row.get("Email") or ""), address=str(row.get("Address") or ""),
        postal_code=str(row.get("PostalCode") or ""), active=bool(row.get("Active", True)),
    )


def remote_product(row: Mapping[str, Any]) -> RemoteProduct:
    """A row of item/getitems as a RemoteProduct."""
    price = row.get("SellPrice")
    return RemoteProduct(
        provider=NAME, remote_id=str(row.get("Id") or row.get("Code")), code=str(row.get("Code") or ""),
        name=str(row.get("Name") or ""), barcode=str(row.get("Barcode") or ""), unit=str(row.get("Unit") or ""),
        price=None if price in (None, "") else to_decimal(price, provider=NAME, field_name="SellPrice"),
        is_service=str(row.get("ItemType")) == "1", active=bool(row.get("Active", True)),
    )
