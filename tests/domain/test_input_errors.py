"""Bad input is refused with a Persian and an English message naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import (
    Charge,
    Discount,
    InvoiceLine,
    Payment,
    PaymentMethod,
    check_quantity,
    compute_totals,
)
from posapp.domain.money import (
    MAX_AMOUNT,
    check_amount,
    parse_amount,
    rial_to_toman,
    round_rial,
    toman_to_rial,
)
from posapp.domain.numbering import format_invoice_number
from tests.domain.support import assert_bilingual


def line(quantity: str = "1", unit_price: str = "1000", **kwargs: object) -> InvoiceLine:
    return InvoiceLine("کالا", Decimal(quantity), Decimal(unit_price), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("quantity", ["-1", "-0.5"])
def test_negative_quantity_outside_a_return(quantity):
    with pytest.raises(ValidationError) as caught:
        line(quantity)
    assert_bilingual(caught.value, "quantity")
    assert "برگشت" in caught.value.message_fa
    assert "return" in caught.value.message_en


@pytest.mark.parametrize("quantity", ["1.0001", "0.0005", "2.12345"])
def test_more_than_three_decimal_places(quantity):
    with pytest.raises(ValidationError) as caught:
        line(quantity)
    assert_bilingual(caught.value, "quantity")
    assert "سه رقم اعشار" in caught.value.message_fa
    assert "three decimal places" in caught.value.message_en


@pytest.mark.parametrize("quantity", ["1.000", "1.5", "0.125", "12.0000", "1E+3"])
def test_quantities_that_fit(quantity):
    assert line(quantity).quantity == Decimal(quantity)


@pytest.mark.parametrize("quantity", ["0", "NaN", "Infinity", "1000000000"])
def test_other_bad_quantities(quantity):
    with pytest.raises(ValidationError) as caught:
        check_quantity(Decimal(quantity), field="stock")
    assert_bilingual(caught.value, "stock")


@pytest.mark.parametrize("price", [MAX_AMOUNT, MAX_AMOUNT + 1, Decimal(10) ** 18])
def test_prices_at_or_beyond_the_limit(price):
    with pytest.raises(ValidationError) as caught:
        line(unit_price=str(price))
    assert_bilingual(caught.value, "unit_price")
    assert "۱۰ به توان ۱۵" in caught.value.message_fa
    assert "10^15" in caught.value.message_en


def test_the_largest_price_fits():
    assert line(unit_price=str(MAX_AMOUNT - 1)).gross == MAX_AMOUNT - 1


def test_totals_beyond_the_limit():
    big = line("2", str(MAX_AMOUNT - 1))
    with pytest.raises(ValidationError) as caught:
        compute_totals([big])
    assert_bilingual(caught.value, "total")


def test_negative_price_and_empty_description():
    with pytest.raises(ValidationError) as caught:
        line(unit_price="-1")
    assert_bilingual(caught.value, "unit_price")
    with pytest.raises(ValidationError) as caught:
        InvoiceLine("  ", Decimal(1), Decimal(1))
    assert_bilingual(caught.value, "description")


@pytest.mark.parametrize("rate", ["1", "10", "-0.1", "NaN"])
def test_bad_tax_rates(rate):
    with pytest.raises(ValidationError) as caught:
        line(tax_rate=Decimal(rate))
    assert_bilingual(caught.value, "tax_rate")


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError):
        InvoiceLine("کالا", 1.5, Decimal(1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        InvoiceLine("کالا", Decimal(1), 1000.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        line(tax_rate=0.09)
    with pytest.raises(TypeError):
        Discount.percent(5.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_amount(12.5)


@pytest.mark.parametrize("percent", ["-1", "100.01", "NaN", "ده"])
def test_bad_discount_percent(percent):
    with pytest.raises(ValidationError) as caught:
        Discount.percent(percent)
    assert_bilingual(caught.value, "discount")


def test_discount_larger_than_the_line():
    with pytest.raises(ValidationError) as caught:
        Discount.amount(1001).applied_to(Decimal(1000))
    assert_bilingual(caught.value, "discount")
    assert Discount.percent(100).applied_to(Decimal(1000)) == Decimal(1000)
    assert Discount.percent("12.5").applied_to(Decimal(1001)) == Decimal(125)  # 125.125


def test_bad_payments_and_charges():
    with pytest.raises(ValidationError) as caught:
        Payment(PaymentMethod.CASH, Decimal(0))
    assert_bilingual(caught.value, "payment")
    with pytest.raises(ValidationError) as caught:
        Payment(PaymentMethod.CARD, Decimal(-5))
    assert_bilingual(caught.value, "payment")
    with pytest.raises(ValidationError) as caught:
        Charge(" ", Decimal(10))
    assert_bilingual(caught.value, "charge")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1200000", Decimal(1_200_000)),
        ("1,200,000", Decimal(1_200_000)),
        ("۱٬۲۰۰٬۰۰۰", Decimal(1_200_000)),
        ("۱۲٫۵", Decimal("12.5")),
        (" 45 000 ", Decimal(45_000)),
        (1500, Decimal(1500)),
        (Decimal("7.25"), Decimal("7.25")),
    ],
)
def test_parse_amount(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["", "abc", "۱۲ریال", "NaN", "Infinity", "1.2.3", "1,2,3", "1e5", "12,50"])
def test_parse_amount_refuses(typed):
    with pytest.raises(ValidationError) as caught:
        parse_amount(typed, field="unit_price")
    assert_bilingual(caught.value, "unit_price")


def test_check_amount_and_rounding():
    assert check_amount(Decimal(-5), allow_negative=True) == Decimal(-5)
    with pytest.raises(ValidationError):
        check_amount(Decimal(-5))
    assert round_rial(Decimal("2.5")) == Decimal(3)
    assert round_rial(Decimal("-2.5")) == Decimal(-3)
    assert round_rial(Decimal("2.4999")) == Decimal(2)
    assert rial_to_toman(Decimal(123_456)) == Decimal("12345.6")
    assert toman_to_rial(Decimal("12345.6")) == Decimal(123_456)


def test_invoice_numbers():
    assert format_invoice_number("1", "A", 42) == "1A-000042"
    assert format_invoice_number("T2", "R", 1_234_567) == "T2R-1234567"
    with pytest.raises(ValidationError) as caught:
        format_invoice_number("صندوق", "A", 1)
    assert_bilingual(caught.value, "till")
    with pytest.raises(ValidationError) as caught:
        format_invoice_number("1", "A-B", 1)
    assert_bilingual(caught.value, "series")
    with pytest.raises(ValueError):
        format_invoice_number("1", "A", 0)
