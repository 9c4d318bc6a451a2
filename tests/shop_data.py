"""Shared test data for the service-level suites (SQLite and PostgreSQL alike): three products
and a three-line sale over them, and a row count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from posapp.domain.invoice import Invoice, Payment, PaymentMethod
from posapp.services.catalog import ProductInput, ProductView


def create_products(catalog: Any, *, milk_name: str = "شیر پاستوریزه کاله ۱ لیتری") -> dict[str, ProductView]:
    """Milk (table rate, one barcode), exempt bread, weighed cheese with a 9% override."""
    return {
        "milk": catalog.create(ProductInput(
            name=milk_name, code="1001", price=Decimal(450000), unit="عدد",
            stock=Decimal(50), barcodes=("6260100110011",))),
        "bread": catalog.create(ProductInput(
            name="نان سنگک", code="1002", price=Decimal(120000), tax_exempt=True, stock=Decimal(20))),
        "cheese": catalog.create(ProductInput(
            name="پنیر لیقوان", code="1003", price=Decimal(3200000), unit="کیلوگرم",
            stock=Decimal("10.500"), tax_rate_override=Decimal("0.09"))),
    }


def sale_draft(services: Any, products: dict[str, ProductView], *, cash: Decimal | None = None,
               **changes: Any) -> Invoice:
    """Two milk, 0.750 kg cheese and one bread on 2025-06-01, by cashier سارا; `cash` pays it."""
    invoicing = services.invoicing
    lines = (
        invoicing.line_for_product(products["milk"], Decimal(2), day=date(2025, 6, 1)),
        invoicing.line_for_product(products["cheese"], Decimal("0.750"), day=date(2025, 6, 1)),
        invoicing.line_for_product(products["bread"], Decimal(1), day=date(2025, 6, 1)),
    )
    draft: Invoice = invoicing.new_draft("سارا").with_changes(lines=lines, **changes)
    if cash is not None:
        draft = draft.with_changes(payments=(Payment(PaymentMethod.CASH, cash),))
    return draft


def count_rows(services: Any, model: Any) -> int:
    with services.database.read() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())
