"""Scale labels: layouts, weight and price labels, check digits, Persian digits, and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.errors import ValidationError
from posapp.domain.scale_barcodes import (
    ScaleLabelError,
    ScaleLayout,
    ScaleValue,
    ean13_check_digit,
    parse_layout,
    read_scale_label,
)
from posapp.domain.text import to_persian_digits

WEIGHT = parse_layout("20-29/5/weight")
PRICE = parse_layout("21/5/price")
LONG_CODE = parse_layout("2/6/weight")


def label(first_twelve: str) -> str:
    return first_twelve + str(ean13_check_digit(first_twelve))


def test_known_ean13_check_digits():
    assert ean13_check_digit("590123412345") == 7  # 5901234123457, the GS1 example
    assert ean13_check_digit("400638133393") == 1  # 4006381333931, the textbook example
    assert ean13_check_digit("978020137962") == 4  # an ISBN-13


def test_layouts_parse_and_print_back():
    assert ScaleLayout(20, 29, 2, 5, ScaleValue.WEIGHT) == WEIGHT
    assert WEIGHT.value_digits == 5
    assert str(WEIGHT) == "20-29/5/weight"
    assert str(PRICE) == "21/5/price"
    assert parse_layout(" ۲۰-۲۹ / ۵ / WEIGHT ") == WEIGHT
    assert LONG_CODE.value_digits == 5


@pytest.mark.parametrize("text", [
    "", "20-29", "20-29/5", "a/5/weight", "29-20/5/weight", "2-29/5/weight", "2000/5/weight",
    "20/0/weight", "20/8/weight", "20/5/kilos", "20/x/price",
])
def test_bad_layouts_are_refused_with_a_message(text):
    with pytest.raises(ValidationError) as caught:
        parse_layout(text)
    assert "20-29/5/weight" in caught.value.message_en
    assert "برچسب ترازو" in caught.value.message_fa


def test_a_weight_label():
    read = read_scale_label(label("200012301250"), (WEIGHT,))
    assert read.product_code == "00123"
    assert read.weight == Decimal("1.250")
    assert read.quantity(Decimal(3200000)) == Decimal("1.250")


def test_a_price_label_buys_its_quantity_to_the_gram():
    read = read_scale_label(label("210012304000"), (PRICE, WEIGHT))
    assert read.layout == PRICE  # first matching layout wins
    assert read.price == Decimal(4000)
    assert read.quantity(Decimal(3000)) == Decimal("1.333")
    with pytest.raises(ScaleLabelError):
        read.quantity(Decimal(0))
    with pytest.raises(ScaleLabelError):
        read_scale_label(label("210012300001"), (PRICE,)).quantity(Decimal(10_000_000))


def test_persian_and_arabic_digits_from_the_scanner():
    code = label("200012301250")
    assert read_scale_label(to_persian_digits(code), (WEIGHT,)).weight == Decimal("1.250")
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert read_scale_label(arabic, (WEIGHT,)).product_code == "00123"


def test_a_wrong_check_digit_is_an_error_not_a_miss():
    good = label("200012301250")
    bad = good[:12] + str((int(good[12]) + 1) % 10)
    with pytest.raises(ScaleLabelError) as caught:
        read_scale_label(bad, (WEIGHT,))
    assert "check digit" in caught.value.message_en
    assert "رقم کنترل" in caught.value.message_fa


def test_codes_that_are_not_scale_labels():
    assert read_scale_label("6260100110011", (WEIGHT,)) is None  # ordinary product barcode
    assert read_scale_label("1001", (WEIGHT,)) is None
    assert read_scale_label(label("300012301250"), (WEIGHT,)) is None  # prefix out of range
    assert read_scale_label(label("200012301250"), ()) is None  # no layouts active
    assert read_scale_label("20001230125x2", (WEIGHT,)) is None
    with pytest.raises(ScaleLabelError):
        read_scale_label(label("200012300000"), (WEIGHT,))  # weighs nothing


layouts = st.builds(
    lambda prefix_digits, low, span, code_digits, value: ScaleLayout(
        low, min(low + span, 10 ** prefix_digits - 1), prefix_digits, code_digits, value),
    st.shared(st.integers(1, 3), key="prefix_digits"),
    st.shared(st.integers(1, 3), key="prefix_digits").flatmap(lambda d: st.integers(10 ** (d - 1), 10 ** d - 1)),
    st.integers(0, 9),
    st.shared(st.integers(1, 3), key="prefix_digits").flatmap(lambda d: st.integers(1, 9 - d)),
    st.sampled_from(ScaleValue),
)


@st.composite
def labelled(draw):
    layout = draw(layouts)
    prefix = draw(st.integers(layout.prefix_low, layout.prefix_high))
    code = draw(st.integers(0, 10 ** layout.code_digits - 1))
    value = draw(st.integers(1, 10 ** layout.value_digits - 1))
    twelve = (f"{prefix:0{layout.prefix_digits}d}{code:0{layout.code_digits}d}"
              f"{value:0{layout.value_digits}d}")
    return layout, twelve, code, value


@given(labelled())
def test_every_layout_reads_back_what_was_encoded(case):
    layout, twelve, code, value = case
    read = read_scale_label(label(twelve), (layout,))
    assert int(read.product_code) == code
    if layout.value is ScaleValue.WEIGHT:
        assert read.weight == Decimal(value) / 1000
        assert read.weight.as_tuple().exponent >= -3
    else:
        assert read.price == value
    assert str(parse_layout(str(layout))) == str(layout)


@given(labelled(), st.integers(1, 9), st.booleans())
def test_any_single_digit_error_is_caught(case, delta, in_check_digit):
    layout, twelve, _code, _value = case
    code = label(twelve)
    position = 12 if in_check_digit else len(twelve) - 1  # the last value digit
    damaged = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1:]
    with pytest.raises(ScaleLabelError):
        read_scale_label(damaged, (layout,))


@given(labelled())
def test_persian_digits_read_the_same(case):
    layout, twelve, _code, _value = case
    code = label(twelve)
    assert read_scale_label(to_persian_digits(code), (layout,)) == read_scale_label(code, (layout,))
