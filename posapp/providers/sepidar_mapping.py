"""Sepidar mapping: posapp invoices, customers and receipts to Sepidar's JSON, and its rows back.

Pure functions, no HTTP. GUIDs are the idempotency keys, derived with uuid5 from posapp's keys
under a fixed namespace, so a retry after a crash sends the same GUID. Amounts go as Rial: each
line's gross as `Price`, its whole discount (line plus its share of the invoice discount) as
`Discount` and its VAT as `Tax` (`Duty` 0: posapp keeps one combined rate); invoice-level
additions go to `Addition`, deductions to `Discount`, so Sepidar's `NetPrice` is the payable.
From GenerationVersion 109 (`extended`) invoices carry a Description holding `[GUID]` and the
spec's required (nullable) `InvoiceExtraData` / `CustomerExtraData` keys.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from posapp.domain.invoice import Invoice, Party, PartyKind, Payment
from posapp.providers.base import (
    RemoteCustomer,
    RemoteInvoice,
    RemoteProduct,
    RemoteState,
    to_decimal,
)

NAME = "sepidar"
GUID_NAMESPACE = uuid.UUID("6f1f3c1e-58a4-4c55-9d0b-2b0f1c9a7e41")
"""Fixed forever: changing it would make every retried invoice a new one."""


def invoice_guid(idempotency_key: str) -> uuid.UUID:
    """The Sepidar GUID of a posapp invoice: the same key always gives the same GUID."""
    return uuid.uuid5(GUID_NAMESPACE, f"invoice:{idempotency_key}")


def receipt_guid(idempotency_key: str) -> uuid.UUID:
    return uuid.uuid5(GUID_NAMESPACE, f"receipt:{idempotency_key}")


def customer_guid(identity: str) -> uuid.UUID:
    return uuid.uuid5(GUID_NAMESPACE, f"customer:{identity}")


def customer_identity(invoice: Invoice, buyer: Party) -> str:
    """What a buyer's customer GUID derives from: posapp's customer, else the party itself."""
    if invoice.customer_id is not None:
        return f"posapp:{invoice.customer_id}"
    return f"party:{buyer.kind}:{buyer.national_id or buyer.mobile or buyer.name}"


def amount(value: Any, field_name: str) -> Decimal:
    """An amount from Sepidar's answer, exactly."""
    return to_decimal(value, provider=NAME, field_name=field_name)


@dataclass(frozen=True)
class InvoiceRefs:
    """The shop's Sepidar references an invoice body carries."""

    currency: int
    sale_type: int
    stock: int
    settlement_type: int


def invoice_body(invoice: Invoice, idempotency_key: str, *, customer_ref: int, item_refs: Sequence[int],
                 refs: InvoiceRefs, extended: bool) -> dict[str, Any]:
    """The create body for an issued posapp invoice (see the module docstring); `item_refs`
    holds each line's Sepidar ItemID, in order."""
    totals = invoice.totals
    rows = []
    for index, (line, line_totals, item_ref) in enumerate(zip(invoice.lines, totals.lines, item_refs,
                                                               strict=True)):
        rows.append({
            "RowID": index + 1, "ItemRef": item_ref,
            "TracingRef": None, "StockRef": refs.stock,
            "Quantity": line.quantity, "SecondaryQuantity": 0,
            "Fee": line.unit_price, "Price": line_totals.gross,
            "Description": line.description,
            "PriceInfoPercentDiscount": 0, "PriceInfoPriceDiscount": 0,
            "PriceInfoDiscountRate": 0, "AggregateAmountPercentDiscount": 0,
            "AggregateAmountPriceDiscount": 0, "AggregateAmountDiscountRate": 0,
            "IsAggregateDiscountInvoiceItem": False, "CustomerDiscount": 0,
            "CustomerDiscountRate": 0, "Discount": line_totals.discount,
            "DiscountParentRef": None, "Tax": line_totals.tax, "Duty": 0,
            "Addition": 0,
        })
    body: dict[str, Any] = {
        "GUID": str(invoice_guid(idempotency_key)),
        "CurrencyRef": refs.currency,
        "CustomerRef": customer_ref,
        "AddressRef": None,
        "SaleTypeRef": refs.sale_type,
        "SettlementType": refs.settlement_type,
        "DiscountOnCustomer": 0,
        "Price": totals.gross,
        "Discount": totals.discount + totals.deductions,
        "Tax": totals.tax,
        "Duty": 0,
        "Addition": totals.additions,
        "Items": rows,
    }
    if extended:
        body["Description"] = f"posapp {invoice.number or ''} [{invoice_guid(idempotency_key)}]"
        body["InvoiceExtraData"] = None
    return body


def customer_body(buyer: Party, guid: str, *, extended: bool) -> dict[str, Any]:
    """The create body for the buyer's Sepidar customer under `guid`."""
    if buyer.kind is PartyKind.LEGAL:
        name, last_name, kind = buyer.name, "", 2
    else:
        first, _, last = buyer.name.strip().rpartition(" ")
        name, last_name, kind = (first or last), (last if first else "-"), 1
    body: dict[str, Any] = {
        "GUID": guid, "CustomerType": kind, "Name": name, "LastName": last_name,
        "PhoneNumber": buyer.mobile or buyer.phone, "NationalID": buyer.national_id,
        "EconomicCode": buyer.economic_code, "BirthDate": None, "Addresses": []}
    if extended:
        body["CustomerExtraData"] = None
    return body


def receipt_body(remote: RemoteInvoice, payment: Payment, idempotency_key: str, *, day: str,
                 bank_account_id: int) -> dict[str, Any]:
    """A receipt (دریافت) of `payment` against `remote`, dated `day` (ISO), into the bank account."""
    return {
        "Guid": str(receipt_guid(idempotency_key)), "Date": day,
        "Description": f"posapp {remote.number}", "Discount": 0,
        "InvoiceID": int(remote.remote_id),
        "Drafts": [{"Date": day, "Description": str(payment.method),
                    "Number": payment.reference or idempotency_key,
                    "BankAccountID": bank_account_id,
                    "Amount": payment.amount}],
    }


def remote_invoice(answer: Mapping[str, Any], key: str) -> RemoteInvoice:
    """A Sepidar invoice (created, or a listing row) as a RemoteInvoice."""
    remaining = answer.get("RemainingAmount")
    paid = amount(answer.get("TotalReceivedAmount", 0), "TotalReceivedAmount")
    settled = remaining is not None and amount(remaining, "RemainingAmount") <= 0
    state = RemoteState.PAID if settled else RemoteState.OPEN
    return RemoteInvoice(provider=NAME, remote_id=str(answer["InvoiceID"]), key=key,
                         number=str(answer["Number"]), payable=amount(answer.get("NetPrice"), "NetPrice"),
                         state=state, paid=paid)


def remote_customer(row: Mapping[str, Any]) -> RemoteCustomer:
    addresses = row.get("Addresses") or []
    main = next((a for a in addresses if a.get("IsMain")), addresses[0] if addresses else {})
    return RemoteCustomer(
        provider=NAME, remote_id=str(row["CustomerID"]), code=str(row.get("Code", "")),
        name=str(row.get("Title", "")),
        kind=PartyKind.LEGAL if row.get("CustomerType") == 2 else PartyKind.NATURAL,
        national_id=str(row.get("NationalID") or ""),
        economic_code=str(row.get("EconomicCode") or ""),
        mobile=str(row.get("PhoneNumber") or ""), address=str(main.get("Address") or ""),
        postal_code=str(main.get("ZipCode") or ""))


def remote_product(item: Mapping[str, Any], units: Mapping[Any, str],
                   prices: Mapping[Any, Decimal]) -> RemoteProduct:
    """A Sepidar item with its unit's title and its price from the shop's price note."""
    return RemoteProduct(
        provider=NAME, remote_id=str(item["ItemID"]), code=str(item["Code"]),
        name=str(item["Title"]), barcode=str(item.get("Barcode") or ""),
        unit=units.get(item.get("UnitRef"), ""), price=prices.get(item["ItemID"]),
        is_service=item.get("Type") == 2,
        active=bool(item.get("IsActive")) and bool(item.get("IsSellable")))
