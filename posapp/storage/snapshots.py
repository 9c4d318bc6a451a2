"""JSON snapshots of parties and draft invoices (held sales, seller/buyer copies on invoices).

Decimals travel as strings and datetimes as ISO 8601, so a snapshot reads back exactly.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from posapp.domain.invoice import (
    Charge,
    ChargeKind,
    Discount,
    DiscountKind,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
)

_PARTY_FIELDS = tuple(f.name for f in dataclasses.fields(Party))


def _party_dict(party: Party) -> dict[str, str]:
    return {name: str(getattr(party, name)) for name in _PARTY_FIELDS}


@lru_cache(maxsize=1024)
def party_to_json(party: Party) -> str:
    """Cached: the shop's own party is the seller of every invoice."""
    return json.dumps(_party_dict(party), ensure_ascii=False, sort_keys=True)


def party_from_json(text: str) -> Party:
    data = json.loads(text)
    data["kind"] = PartyKind(data.get("kind", PartyKind.NATURAL))
    return Party(**{key: value for key, value in data.items() if key in _PARTY_FIELDS})


def _discount_to_dict(discount: Discount) -> dict[str, str]:
    return {"kind": discount.kind.value, "value": str(discount.value)}


def _discount_from_dict(data: dict[str, str]) -> Discount:
    return Discount(DiscountKind(data["kind"]), Decimal(data["value"]))



def draft_to_json(draft: Invoice) -> str:
    """A draft invoice as JSON: everything the editor needs to carry on where it stopped."""
    data: dict[str, Any] = {
        "seller": _party_dict(draft.seller),
        "buyer": _party_dict(draft.buyer) if draft.buyer else None,
        "customer_id": draft.customer_id,
        "kind": draft.kind.value,
        "till": draft.till,
        "series": draft.series,
        "created_at": draft.created_at.isoformat(),
        "invoice_discount": _discount_to_dict(draft.invoice_discount),
        "notes": draft.notes,
        "cashier": draft.cashier,
        "cashier_id": draft.cashier_id,
        "original_number": draft.original_number,
        "lines": [
            {
                "description": line.description, "quantity": str(line.quantity),
                "unit_price": str(line.unit_price), "unit": line.unit,
                "tax_rate": str(line.tax_rate), "discount": _discount_to_dict(line.discount),
                "product_id": line.product_id, "product_code": line.product_code,
                "origin_line": line.origin_line, "goods_code": line.goods_code,
                "unit_code": line.unit_code,
            }
            for line in draft.lines
        ],
        "charges": [
            {"label": c.label, "amount": str(c.amount), "is_deduction": c.is_deduction, "kind": c.kind.value}
            for c in draft.charges
        ],
        "payments": [
            {"method": p.method.value, "amount": str(p.amount), "reference": p.reference}
            for p in draft.payments
        ],
    }
    return json.dumps(data, ensure_ascii=False)


def draft_from_json(text: str) -> Invoice:
    data = json.loads(text)
    buyer = data.get("buyer")
    return Invoice(
        seller=party_from_json(json.dumps(data["seller"])),
        buyer=party_from_json(json.dumps(buyer)) if buyer else None,
        customer_id=data.get("customer_id"),
        kind=InvoiceKind(data.get("kind", InvoiceKind.SALE)),
        status=InvoiceStatus.DRAFT,
        till=data["till"],
        series=data["series"],
        created_at=datetime.fromisoformat(data["created_at"]),
        invoice_discount=_discount_from_dict(data["invoice_discount"]),
        notes=data.get("notes", ""),
        cashier=data.get("cashier", ""),
        cashier_id=data.get("cashier_id"),
        original_number=data.get("original_number"),
        lines=tuple(
            InvoiceLine(
                description=line["description"], quantity=Decimal(line["quantity"]),
                unit_price=Decimal(line["unit_price"]), unit=line["unit"],
                tax_rate=Decimal(line["tax_rate"]), discount=_discount_from_dict(line["discount"]),
                product_id=line.get("product_id"), product_code=line.get("product_code", ""),
                origin_line=line.get("origin_line"), goods_code=line.get("goods_code", ""),
                unit_code=line.get("unit_code", ""),
            )
            for line in data["lines"]
        ),
        charges=tuple(
            Charge(c["label"], Decimal(c["amount"]), c["is_deduction"], ChargeKind(c["kind"]))
            for c in data.get("charges", [])
        ),
        payments=tuple(
            Payment(PaymentMethod(p["method"]), Decimal(p["amount"]), p.get("reference", ""))
            for p in data.get("payments", [])
        ),
    )


