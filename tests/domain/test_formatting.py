"""Amounts and quantities as people read them: Rial/Toman, Persian digits, words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bidi import get_display
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.formatting import (
    DisplayUnit,
    amount_in_words,
    format_amount,
    format_quantity,
    number_in_words,
)
from posapp.domain.money import MAX_AMOUNT, parse_amount
from tests.domain.support import domain_settings


@pytest.mark.parametrize(
    ("rial", "unit", "shown"),
    [
        (Decimal(1_200_000), DisplayUnit.RIAL, "۱٬۲۰۰٬۰۰۰ ریال"),
        (Decimal(0), DisplayUnit.RIAL, "۰ ریال"),
        (Decimal(999), DisplayUnit.RIAL, "۹۹۹ ریال"),
        (Decimal(1_200_000), DisplayUnit.TOMAN, "۱۲۰٬۰۰۰ تومان"),
        (Decimal(123_456), DisplayUnit.TOMAN, "۱۲٬۳۴۵٫۶ تومان"),
        (Decimal(5), DisplayUnit.TOMAN, "۰٫۵ تومان"),
        (Decimal(-5000), DisplayUnit.RIAL, "\u2066−۵٬۰۰۰\u2069 ریال"),
        (Decimal("1234.5"), DisplayUnit.RIAL, "۱٬۲۳۵ ریال"),  # whole Rial, half up
        (48_505, DisplayUnit.RIAL, "۴۸٬۵۰۵ ریال"),
        (Decimal("-0.4"), DisplayUnit.RIAL, "۰ ریال"),
        (Decimal("-4"), DisplayUnit.TOMAN, "\u2066−۰٫۴\u2069 تومان"),
    ],
)
def test_format_amount(rial, unit, shown):
    assert format_amount(rial, unit) == shown


def test_format_amount_options():
    assert format_amount(Decimal(1_200_000), persian_digits=False) == "1,200,000 ریال"
    assert format_amount(Decimal(123_456), DisplayUnit.TOMAN, with_unit=False) == "۱۲٬۳۴۵٫۶"
    assert (
        format_amount(Decimal(123_456), DisplayUnit.TOMAN, persian_digits=False, with_unit=False)
        == "12,345.6"
    )


def test_floats_are_refused():
    with pytest.raises(TypeError):
        format_amount(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_quantity(0.5)  # type: ignore[arg-type]


@domain_settings
@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_formatted_rial_reads_back(amount):
    text = format_amount(Decimal(amount), with_unit=False)
    assert parse_amount(text) == amount
    toman = format_amount(Decimal(amount), DisplayUnit.TOMAN, with_unit=False)
    assert parse_amount(toman) * 10 == amount
    assert parse_amount(format_amount(Decimal(amount), persian_digits=False, with_unit=False)) == amount


@pytest.mark.parametrize(
    ("quantity", "shown"),
    [
        (Decimal(2), "۲"),
        (Decimal("2.000"), "۲"),
        (Decimal("1.250"), "۱٫۲۵"),
        (Decimal("0.001"), "۰٫۰۰۱"),
        (Decimal(1500), "۱٬۵۰۰"),
        (Decimal("1E+3"), "۱٬۰۰۰"),
        (Decimal("-0.000"), "۰"),
        (Decimal(-1), "\u2066−۱\u2069"),
        (Decimal("-1250.50"), "\u2066−۱٬۲۵۰٫۵\u2069"),
    ],
)
def test_format_quantity(quantity, shown):
    assert format_quantity(quantity) == shown


def test_format_quantity_ascii():
    assert format_quantity(Decimal("12.500"), persian_digits=False) == "12.5"
    assert format_quantity(Decimal(-3), persian_digits=False) == "-3"
    assert format_quantity(Decimal(-3), persian_digits=False, isolated=True) == "\u2066-3\u2069"


def _seen_left_to_right(text: str) -> str:
    """What a reader of a right-to-left line sees, left to right (Unicode bidi algorithm)."""
    return get_display(text, base_dir="R").replace("\u2066", "").replace("\u2069", "")


@pytest.mark.parametrize("figure", [
    format_quantity(Decimal(-1)),
    format_quantity(Decimal("-12.5")),
    format_amount(Decimal(-1_250_000), with_unit=False),
    format_amount(Decimal(-45), DisplayUnit.TOMAN, with_unit=False),
])
@pytest.mark.parametrize("line", ["{}", "موجودی: {} عدد", "مانده حساب علی: {}", "{} ریال"])
def test_a_negative_figure_in_persian_text_shows_its_sign_on_the_left(figure, line):
    digits = figure.strip("\u2066\u2069").removeprefix("−")
    seen = _seen_left_to_right(line.format(figure))
    assert f"−{digits}" in seen
    assert f"{digits}−" not in seen
    assert "-" not in seen


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "صفر"),
        (1, "یک"),
        (10, "ده"),
        (11, "یازده"),
        (15, "پانزده"),
        (18, "هجده"),
        (20, "بیست"),
        (21, "بیست و یک"),
        (100, "صد"),
        (105, "صد و پنج"),
        (200, "دویست"),
        (300, "سیصد"),
        (500, "پانصد"),
        (999, "نهصد و نود و نه"),
        (1000, "یک هزار"),
        (1001, "یک هزار و یک"),
        (12_000, "دوازده هزار"),
        (1_000_000, "یک میلیون"),
        (1_200_000, "یک میلیون و دویست هزار"),
        (351_042, "سیصد و پنجاه و یک هزار و چهل و دو"),
        (2_000_000_005, "دو میلیارد و پنج"),
        (10**12, "یک تریلیون"),
        (10**15, "یک کوادریلیون"),
        (-40, "منفی چهل"),
    ],
)
def test_number_in_words(number, words):
    assert number_in_words(number) == words


def test_number_in_words_beyond_range():
    with pytest.raises(ValueError):
        number_in_words(10**18)


@pytest.mark.parametrize(
    ("rial", "unit", "words"),
    [
        (Decimal(1_200_000), DisplayUnit.RIAL, "یک میلیون و دویست هزار ریال"),
        (Decimal(0), DisplayUnit.RIAL, "صفر ریال"),
        (Decimal(48_505), DisplayUnit.RIAL, "چهل و هشت هزار و پانصد و پنج ریال"),
        (Decimal(1_200_000), DisplayUnit.TOMAN, "صد و بیست هزار تومان"),
        (Decimal(123_456), DisplayUnit.TOMAN, "دوازده هزار و سیصد و چهل و پنج تومان و شش ریال"),
        (Decimal(6), DisplayUnit.TOMAN, "شش ریال"),
        (Decimal(0), DisplayUnit.TOMAN, "صفر تومان"),
        (Decimal(-1000), DisplayUnit.TOMAN, "منفی صد تومان"),
    ],
)
def test_amount_in_words(rial, unit, words):
    assert amount_in_words(rial, unit) == words


@domain_settings
@given(st.integers(min_value=0, max_value=int(MAX_AMOUNT) - 1))
def test_words_are_well_formed(amount):
    words = amount_in_words(Decimal(amount))
    assert words.endswith(" ریال")
    assert "  " not in words
    assert " و و " not in words
    assert not words.startswith("و ")
    assert ("صفر" in words) == (amount == 0)


_WORD_VALUES = {
    "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9,
    "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14, "پانزده": 15,
    "شانزده": 16, "هفده": 17, "هجده": 18, "نوزده": 19, "بیست": 20, "سی": 30, "چهل": 40,
    "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90, "صد": 100, "دویست": 200,
    "سیصد": 300, "چهارصد": 400, "پانصد": 500, "ششصد": 600, "هفتصد": 700, "هشتصد": 800,
    "نهصد": 900,
}
_SCALE_VALUES = {"هزار": 10**3, "میلیون": 10**6, "میلیارد": 10**9, "تریلیون": 10**12}


def read_persian_number(words: str) -> int:
    """An independent reader of Persian number words, to check the writer against."""
    if words == "صفر":
        return 0
    total = 0
    group = 0
    for part in words.split(" و "):
        tokens = part.split()
        group += _WORD_VALUES[tokens[0]]
        assert len(tokens) <= 2
        if len(tokens) == 2:
            total += group * _SCALE_VALUES[tokens[1]]
            group = 0
    return total + group


@domain_settings
@given(st.integers(min_value=0, max_value=int(MAX_AMOUNT) - 1))
def test_words_read_back_to_the_amount(amount):
    words = amount_in_words(Decimal(amount))
    assert read_persian_number(words.removesuffix(" ریال")) == amount
