"""Every amount is checked against the documented 10^15 Rial limit, and a refund against what
was returned; a refused sale, return or payment saves nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import Discount, InvoiceLine, Payment, PaymentMethod
from posapp.domain.money import MAX_AMOUNT
from posapp.storage.models import InvoiceRow
from tests.shop_data import count_rows, sale_draft

ALMOST_LIMIT = MAX_AMOUNT - 1


def test_cash_payments_together_stay_under_the_limit(services, products):
    draft = sale_draft(services, products).with_changes(payments=(
        Payment(PaymentMethod.CASH, ALMOST_LIMIT), Payment(PaymentMethod.CASH, ALMOST_LIMIT)))
    with pytest.raises(ValidationError) as caught:
        services.invoicing.issue(draft)
    assert caught.value.field == "payment"
    assert "10^15" in caught.value.message_en
    assert count_rows(services, InvoiceRow) == 0


def test_a_later_payment_cannot_push_the_total_over_the_limit(services, products):
    sale = services.invoicing.issue(sale_draft(services, products, cash=Decimal(1000)))
    with pytest.raises(ValidationError):
        services.invoicing.record_payment(sale.number, Payment(PaymentMethod.CASH, ALMOST_LIMIT))
    assert services.invoicing.get_by_number(sale.number).totals.paid == Decimal(1000)


def test_a_line_whose_gross_is_over_the_limit_is_refused_even_when_discounted(services, products):
    draft = sale_draft(services, products)
    huge = InvoiceLine(description="طلا", quantity=Decimal(1000), unit_price=ALMOST_LIMIT)
    discounted = draft.with_changes(lines=(huge,), invoice_discount=Discount.percent(Decimal("99.99")))
    with pytest.raises(ValidationError):
        services.invoicing.issue(discounted)


def test_a_cash_refund_is_never_more_than_the_return(services, products):
    sale = services.invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
    before = count_rows(services, InvoiceRow)
    with pytest.raises(ValidationError) as caught:
        services.invoicing.create_return(sale.number, {0: Decimal(1)},
                                         payments=(Payment(PaymentMethod.CASH, Decimal(10_000_000)),))
    assert caught.value.field == "payment"
    assert "495,000" in caught.value.message_en
    assert count_rows(services, InvoiceRow) == before
    refunded = services.invoicing.create_return(sale.number, {0: Decimal(1)},
                                                payments=(Payment(PaymentMethod.CASH, Decimal(495_000)),))
    assert refunded.totals.payable == Decimal(495_000)
    assert refunded.totals.change == 0


def test_a_later_refund_cannot_exceed_what_is_left_of_the_return(services, products):
    sale = services.invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
    returned = services.invoicing.create_return(sale.number, {0: Decimal(1)},
                                                payments=(Payment(PaymentMethod.CASH, Decimal(200_000)),))
    with pytest.raises(ValidationError):
        services.invoicing.record_payment(returned.number, Payment(PaymentMethod.CASH, Decimal(295_001)))
    paid = services.invoicing.record_payment(returned.number, Payment(PaymentMethod.CASH, Decimal(295_000)))
    assert paid.totals.balance_due == 0
