"""Domain fixtures: a seller, and the providers' own worked examples as invoices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.invoice import Invoice, InvoiceLine, Party, PartyKind


@pytest.fixture
def seller() -> Party:
    return Party(
        name="فروشگاه نمونه", kind=PartyKind.LEGAL, national_id="10380284790",
        economic_code="411111111111", postal_code="1193653471", phone="02166554433",
        address="تهران، خیابان انقلاب",
    )


@pytest.fixture
def hesabfa_invoice(seller: Party) -> Invoice:
    """Hesabfa's documented example: one line of 100,000 Rial with 9% tax → 109,000."""
    line = InvoiceLine("کالای نمونه", Decimal(1), Decimal(100_000), tax_rate=Decimal("0.09"))
    return Invoice(seller=seller, lines=(line,))


@pytest.fixture
def pod_invoice(seller: Party) -> Invoice:
    """Pod's documented example: 4,500×1 + 8,000×5 = 44,500; VAT 9% 4,005; payable 48,505."""
    rate = Decimal("0.09")
    return Invoice(
        seller=seller,
        lines=(
            InvoiceLine("آب معدنی", Decimal(1), Decimal(4_500), tax_rate=rate),
            InvoiceLine("کیک", Decimal(5), Decimal(8_000), tax_rate=rate),
        ),
    )
