"""Digit conversion, search normalisation and Persian-layout barcode recovery."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.text import (
    normalize_for_search,
    normalize_scanned_code,
    to_ascii_digits,
    to_persian_digits,
)
from tests.domain.support import domain_settings


def test_digits_both_ways():
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_persian_digits("0123456789") == "۰۱۲۳۴۵۶۷۸۹"
    assert to_persian_digits("٤٥٦") == "۴۵۶"
    assert to_ascii_digits("کد ۱۲۳-abc") == "کد 123-abc"


@domain_settings
@given(st.text(alphabet="0123456789abc۰۱۲۳۴۵۶۷۸۹ ", max_size=30))
def test_digit_conversion_round_trips(text):
    assert to_ascii_digits(to_persian_digits(text)) == to_ascii_digits(text)
    assert to_persian_digits(to_ascii_digits(text)) == to_persian_digits(text)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("كتاب", "کتاب"),
        ("علي", "علی"),
        ("مي‌خواهم", "می خواهم"),
        ("  شیر   کم‌چرب  ", "شیر کم چرب"),
        ("مُحَمَّد", "محمد"),
        ("آب معدنی", "اب معدنی"),
        ("پائیز", "پاییز"),
        ("خانۀ", "خانه"),
        ("مؤسسه", "موسسه"),
        ("كيك ۱۲ عددي", "کیک 12 عددی"),
        ("٣ كيلو", "3 کیلو"),
        ("Coca-COLA", "coca-cola"),
        ("ﻛﺘﺎﺏ", "کتاب"),  # presentation forms pasted from an old PDF
        ("شكــلات", "شکلات"),  # tatweel
        ("ٱلبرز", "البرز"),
        ("ڪاکائو", "کاکایو"),
    ],
)
def test_normalize_for_search(typed, key):
    assert normalize_for_search(typed) == key


@domain_settings
@given(st.text(max_size=40))
def test_normalize_for_search_is_idempotent(text):
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once


@pytest.mark.parametrize(
    ("scanned", "code"),
    [
        ("شذز", "abc"),  # 'ش'→a, 'ذ'→b, 'ز'→c
        ("۶۲۶۰۱۲۳۴۵۶۷۸۹", "6260123456789"),
        ("٦٢٦٠١٢٣", "6260123"),
        ("ضصثقفغعهخحجچ", "qwertyuiop[]"),
        ("شسیبلاتنمکگ", "asdfghjkl;'"),
        ("ظطزرذدپو./", "zxcvbnm,./"),
        ("ؤئيإأآةك", "ASDFGHJZ"),
        ("ژء", "CM"),
        ("ؤ]۱", "AO1"),  # ']' is Shift+O under the Persian layout
        ("؟÷٬٫﷼٪×،", "?~@#$%^&"),
        ("  ۱۲۳۴\r\n", "1234"),
        ("\u200f۱۲۳\u200e", "123"),
    ],
)
def test_normalize_scanned_code_maps_the_persian_layout_back(scanned, code):
    assert normalize_scanned_code(scanned) == code


@pytest.mark.parametrize("latin", ["ABC-123", "abc[1]", "Code(7)", "x<y>z", "MiXeD", ""])
def test_latin_input_is_left_alone(latin):
    assert normalize_scanned_code(latin) == latin


# What each US key gives under ISIRI 9147, written out independently of the module's table.
_PERSIAN_LAYOUT = dict(
    zip(
        "qwertyuiop[]asdfghjkl;'zxcvbnm,0123456789"
        "QWERTYUIOPASDFGHJKLZXCVBNM@#$%^&~?()<>{}_",
        "ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو۰۱۲۳۴۵۶۷۸۹"
        "\u0652\u064c\u064d\u064b\u064f\u0650\u064e\u0651][ؤئيإأآة»«ك\u0653ژ\u0670\u200c\u0654ء"
        "٬٫﷼٪×،÷؟)(><}{ـ",
        strict=True,
    )
)


@domain_settings
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789;',./[]", min_size=1, max_size=30))
def test_any_unshifted_code_typed_under_persian_layout_is_recovered(code):
    persian = "".join(_PERSIAN_LAYOUT.get(ch, ch) for ch in code)
    assert normalize_scanned_code(persian) == code


@domain_settings
@given(st.text(alphabet=sorted(_PERSIAN_LAYOUT), min_size=1, max_size=30).filter(
    lambda code: any(not _PERSIAN_LAYOUT[ch].isascii() for ch in code)
))
def test_codes_with_shifted_keys_are_recovered_with_their_case(code):
    persian = "".join(_PERSIAN_LAYOUT[ch] for ch in code)
    assert normalize_scanned_code(persian) == code
