"""The Persian text pipeline: joining, logical-order wrapping, per-line bidi, no markup."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from posapp.render.fonts import font_name_for
from posapp.render.text import clean, has_rtl, shape, to_visual, visual_line, wrap_text

FONT_FILE = "Vazirmatn-Regular.ttf"


@pytest.fixture(scope="module")
def font():
    return font_name_for(FONT_FILE)


def test_shape_joins_letters_and_makes_lam_alef_ligature():
    shaped = shape("کالا")
    assert "\ufefc" in shaped or "\ufefb" in shaped  # lam-alef ligature
    assert all("\ufb50" <= ch <= "\ufeff" for ch in shaped)  # presentation forms only


def test_shape_keeps_zwnj_so_the_half_space_stays_unjoined():
    shaped = shape("می‌خواهم")
    assert "\u200c" in shaped
    assert shaped.index("\u200c") == 2


def test_visual_reverses_persian_words_but_keeps_digit_order():
    visual = visual_line("جمع ۱۲۳٬۴۵۶ ریال")
    assert "۱۲۳٬۴۵۶" in visual
    assert visual.index("۱۲۳") < visual.index(shape("جمع")[::-1][0])


def test_visual_mirrors_brackets_in_right_to_left_text():
    visual = to_visual(shape("گوشی (مشکی)"))
    # Read right to left, "(" opens first: drawn left to right it must appear as ")...(".
    assert visual.startswith("(")
    assert visual.endswith(shape("گوشی")[::-1][-1])


def test_latin_only_text_keeps_left_to_right_base():
    assert visual_line("Galaxy A55 (256GB).") == "Galaxy A55 (256GB)."
    assert visual_line("۱A-۰۰۰۰۴۲") == "۱A-۰۰۰۰۴۲"
    assert not has_rtl("۱۲۳٬۴۵۶")


def test_wrap_keeps_logical_order_and_fits_the_width(font):
    text = "یخچال فریزر ساید بای ساید اسنوا مدل SN8-3550 (نقره‌ای) با گارانتی ۱۸ ماهه"
    width = 120
    lines = wrap_text(text, font, 9, width)
    assert len(lines) > 1
    assert all(stringWidth(line, font, 9) <= width for line in lines)
    assert lines[0].startswith(shape("یخچال"))  # the first words stay on the first line
    assert " ".join(lines) == shape(clean(text))


def test_wrap_breaks_a_word_longer_than_the_line(font):
    lines = wrap_text("https://pay.example.ir/" + "x" * 80, font, 9, 60)
    assert len(lines) > 2
    assert all(stringWidth(line, font, 9) <= 60 for line in lines)


def test_wrap_keeps_explicit_line_breaks(font):
    assert len(wrap_text("سطر اول\nسطر دوم", font, 9, 500)) == 2


def test_clean_removes_bidi_overrides_and_controls():
    assert clean("abc\u202edef\x00\u2066x\u2069") == "abcdefx"
    assert clean("a\r\nb   c") == "a\nb c"
