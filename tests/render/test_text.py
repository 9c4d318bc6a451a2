"""The Persian text pipeline: HarfBuzz shaping, bidi with paired and mirrored brackets, numbers
that keep their order, every character drawn or reported, logical-order wrapping, no markup."""

from __future__ import annotations

from decimal import Decimal

import pytest
from reportlab.pdfbase.pdfmetrics import getFont

from posapp.domain.formatting import format_amount, format_quantity
from posapp.domain.text import persian_print_form
from posapp.render.fonts import font_name_for
from posapp.render.text import clean, extraction_text, has_rtl, shaped, text_width, wrap_text

FONT_FILE = "Vazirmatn-Regular.ttf"


@pytest.fixture(scope="module")
def font():
    return font_name_for(FONT_FILE)


def glyph_names(text, font):
    """The glyph names HarfBuzz placed for `text`, in drawing order (left to right)."""
    line = shaped(text, font)
    face = getFont(font).face
    names = []
    for char in line.glyphs:
        glyph = face.charToGlyph[ord(char)]
        names.append(getFont(font).hbFont(1000).glyph_to_string(glyph))
    return names


def test_brackets_after_latin_text_are_paired_and_mirrored(font):
    """Issue 11 item 1: «... Samsung Galaxy A55 [256GB] (مشکی)» printed «(مشکی) [Samsung ... [256GB»."""
    text = "گوشی موبایل Samsung Galaxy A55 [256GB] (مشکی)"
    drawn = [name for name in glyph_names(text, font)
             if name in ("parenleft", "parenright", "bracketleft", "bracketright")]
    # Drawn left to right: "(مشکی)" at the far left, its closing bracket mirrored to look like
    # "(", then the Latin run with "[256GB]" intact.
    assert drawn == ["parenleft", "parenright", "bracketleft", "bracketright"]
    assert extraction_text(text) == "(یکشم) Samsung Galaxy A55 [256GB] لیابوم یشوگ"
    assert extraction_text("iPhone 15 Pro Max (256GB)") == "iPhone 15 Pro Max (256GB)"
    assert extraction_text("قاب (iPhone 15 Pro Max (256GB))") == "(iPhone 15 Pro Max (256GB)) باق"


@pytest.mark.parametrize("text", ["شمارۀ پروژۀ درۀ", "خانهٔ لطفاً", "می‌شود فاکتور", "کتابِ خوبٌ"])
def test_every_character_is_drawn_with_the_fonts_own_glyphs(font, text):
    """Issue 11 item 2: ۀ after a non-joining letter, hamza above and tanwin vanished."""
    line = shaped(text, font)
    assert not line.missing
    names = glyph_names(text, font)
    assert ".notdef" not in names
    clusters = {data.cluster for data in line.glyphs.__shapeData__}
    drawable = [i for i, ch in enumerate(text) if ch not in "\u200c "]
    # every drawable character belongs to some placed glyph's cluster
    assert all(any(c <= i for c in clusters) for i in drawable)
    if "ۀ" in text:
        assert names.count("uni06C0") + sum("FBA5" in n for n in names) == text.count("ۀ")
    if "ً" in text:
        assert "uni064B" in names
    if "ٔ" in text:
        assert any("FBA5" in n or "uni0654" in n for n in names)


def test_characters_the_font_lacks_are_reported_not_dropped(font):
    """Issue 11 item 2: emoji and ✓ vanished (Vazirmatn's .notdef glyph is blank)."""
    line = shaped("تحویل شد ✓ 😀", font)
    assert line.missing == {"✓", "😀"}
    assert glyph_names("✓", font) == ["uniFFFD"]  # the replacement character, which has ink
    assert shaped("✓", font).ink[2] > shaped("✓", font).ink[0]


@pytest.mark.parametrize(("text", "number"), [
    ("تلفن: ۰۲۱-۸۸۷۷۶۶۵۵", "۰۲۱-۸۸۷۷۶۶۵۵"),
    ("کد پستی: ۱۵۹۳۸-۳۵۱۱۱", "۱۵۹۳۸-۳۵۱۱۱"),
    ("شماره: ۱A-۰۰۰۰۴۲", "۱A-۰۰۰۰۴۲"),
    ("تاریخ ۱۴۰۵/۰۹/۰۲ ساعت ۱۴:۳۵", "۱۴۰۵/۰۹/۰۲"),
    ("کارت ۶۰۳۷-۹۹۷۱-۲۲۳۴-۵۶۷۸ پیگیری", "۶۰۳۷-۹۹۷۱-۲۲۳۴-۵۶۷۸"),
])
def test_numbers_with_separators_keep_their_order(text, number):
    """Issue 11 item 3: «۰۲۱-۸۸۷۷۶۶۵۵» after Persian letters printed «۸۸۷۷۶۶۵۵-۰۲۱»."""
    assert number in extraction_text(text)


@pytest.mark.parametrize("figure", [
    format_amount(Decimal(-1_250_000), with_unit=False),
    format_quantity(Decimal(-1)),
    format_quantity(Decimal("-2.5")),
])
@pytest.mark.parametrize("line", ["{}", "مانده حساب: {} ریال", "کسری صندوق {}"])
def test_a_negative_figure_prints_with_its_sign_on_the_left(figure, line):
    """A negative figure printed «۱٬۲۵۰٬۰۰۰-» in a right-to-left line; Persian statements
    put the minus before the number, on its left: «−۱٬۲۵۰٬۰۰۰»."""
    digits = figure.strip("\u2066\u2069").removeprefix("−")
    drawn = extraction_text(clean(line.format(figure)))
    assert f"−{digits}" in drawn
    assert f"{digits}−" not in drawn


def test_text_is_made_persian_for_print():
    """Issue 11 item 8: ASCII digits in Persian text and Arabic ي/ك."""
    assert persian_print_form("پلاک 279، پیگیری 874512") == "پلاک ۲۷۹، پیگیری ۸۷۴۵۱۲"
    assert persian_print_form("علي كريمي") == "علی کریمی"
    assert persian_print_form("Galaxy A55 (256GB) و iPhone 15") == "Galaxy A55 (256GB) و iPhone 15"
    assert clean("پلاک 12") == "پلاک ۱۲"


def test_latin_only_text_keeps_left_to_right_base():
    assert extraction_text("Galaxy A55 (256GB).") == "Galaxy A55 (256GB)."
    assert not has_rtl("۱۲۳٬۴۵۶")


def test_wrap_keeps_logical_order_and_fits_the_width(font):
    text = "یخچال فریزر ساید بای ساید اسنوا مدل SN8-3550 (نقره‌ای) با گارانتی ۱۸ ماهه"
    width = 120
    lines = wrap_text(text, font, 9, width)
    assert len(lines) > 1
    assert all(text_width(line, font, 9) <= width for line in lines)
    assert lines[0].startswith("یخچال")
    assert " ".join(lines) == clean(text)


def test_wrap_breaks_a_word_longer_than_the_line(font):
    lines = wrap_text("https://pay.example.ir/" + "x" * 80, font, 9, 60)
    assert len(lines) > 2
    assert all(text_width(line, font, 9) <= 60 for line in lines)


def test_wrap_keeps_explicit_line_breaks(font):
    assert len(wrap_text("سطر اول\nسطر دوم", font, 9, 500)) == 2


def test_clean_removes_bidi_overrides_and_controls():
    assert clean("abc\u202edef\x00\u2066x\u2069") == "abcdefx"
    assert clean("a\r\nb   c") == "a\nb c"


@pytest.mark.parametrize(("text", "rtl"), [
    ("فاکتور فروش (نقدی)", True), ("جمع: «کل»", True), ("1,234,567", False), ("۱۲۳٬۴۵۶", False),
    ("Galaxy A55 (256GB).", False), ("گوشی Galaxy", True), ("۰۲۱-۸۸۷۷", True), ("abc مشکی", False),
])
def test_the_short_way_to_bidi_levels_agrees_with_the_full_algorithm(text, rtl, monkeypatch):
    from posapp.render import shaping

    fast = shaping.bidi_levels(text, rtl)
    every_class = frozenset(("L", "R", "AL", "EN", "AN", "WS", "ON", "CS", "ES", "ET", "NSM", "BN"))
    monkeypatch.setattr(shaping, "_LEFT_TO_RIGHT_CLASSES", every_class)  # always python-bidi
    monkeypatch.setattr(shaping, "_RIGHT_TO_LEFT_CLASSES", every_class)
    assert fast == shaping.bidi_levels(text, rtl)
