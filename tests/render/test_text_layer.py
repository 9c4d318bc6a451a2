"""Issue 11 item 10: the PDF's text layer holds the letters as typed (base letters, ZWNJ, ۀ,
hamza, tanwin; no presentation forms) in logical order, so a search in a viewer finds what was
printed. Measured with pdfium (pypdfium2: the app's preview and Chrome) and poppler's
pdftotext, each through its own reordering (see posapp/render/text_layer.py)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from posapp.render.document import RenderOptions
from posapp.render.fonts import font_name_for
from posapp.render.registry import render_invoice
from posapp.render.sample import TORTURE_BRANDING, torture_invoice
from posapp.render.text import RLM, clean, draw_shaped, recorded_layout, text_width
from posapp.render.text_layer import LEFT_TO_RIGHT_MARK, RIGHT_TO_LEFT_MARK

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils (pdftotext) is not installed")

HARD_LINES = (
    "گوشی موبایل Samsung Galaxy A55 [256GB] (مشکی)",
    "iPhone 15 Pro Max (256GB)",
    "قاب (iPhone 15 Pro Max (256GB))",
    "لطفاً دقیقاً مطابق سفارش؛ می‌شود، نمی‌شود، فروشگاه‌ها",
    "تلفن: ۰۲۱-۸۸۷۷۶۶۵۵",
    "شمارۀ فاکتور: ۱A-۰۰۰۰۴۲ تاریخ ۱۴۰۵/۰۹/۰۲",
    "خانهٔ ما، درۀ شمالی — www.aftab-shop.example",
    "(سهامی خاص) — نمایندگی رسمی منطقهٔ ۲",
    "فاکتور",
)
KEY_PHRASES = ("Samsung", "مشکی", "می‌شود", "فاکتور", "۰۲۱-۸۸۷۷۶۶۵۵")
"""Every drawn line holding one of these must come out whole, in logical order."""
PRESENTATION_FORMS = tuple(range(0xFB50, 0xFE00)) + tuple(range(0xFE70, 0xFF00))
PAPERS = (("modern", {}), ("modern", {"paper": "A5"}), ("carbon", {}), ("formal", {}),
          ("receipt", {}), ("receipt", {"receipt_width_mm": 58}))
def normalised(text: str) -> str:
    """Extracted text compared as a reader sees it: composed (pdfium decomposes ۀ), without
    the invisible direction marks (the text layer's and poppler's embeddings), one space."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(f"[{LEFT_TO_RIGHT_MARK}{RIGHT_TO_LEFT_MARK}\u202a-\u202e]", "", text)
    return " ".join(text.split())


def pdfium_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pdfium_lines(pdf: bytes) -> list[str]:
    """Each extracted line, read back with get_text_bounded as well as get_text_range."""
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        bounded = page.get_textpage().get_text_bounded()
        assert normalised(bounded) == normalised(page.get_textpage().get_text_range())
        return [normalised(line) for line in bounded.splitlines() if line.strip()]
    finally:
        document.close()


def poppler_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def lines_pdf(lines: tuple[str, ...]) -> bytes:
    """The lines drawn right-aligned one under the other, as the themes draw them."""
    font = font_name_for("Vazirmatn-Regular.ttf")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(600, 800))
    for row, line in enumerate(lines):
        line = clean(line)
        draw_shaped(canvas, line, 560 - text_width(line, font, 10), 760 - 30 * row, font, 10)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_pdfium_reads_each_hard_line_in_logical_order():
    assert pdfium_lines(lines_pdf(HARD_LINES)) == [normalised(line) for line in HARD_LINES]
    # a number and a label after a Persian line: pdfium's direction for the line's first
    # text object depended on the line before until that object was cut after one letter
    assert pdfium_lines(lines_pdf(("فاکتور", "تلفن: ۰۲۱-۸۸۷۷۶۶۵۵"))) == ["فاکتور", "تلفن: ۰۲۱-۸۸۷۷۶۶۵۵"]


@needs_pdftotext
def test_pdftotext_reads_each_hard_line_in_logical_order():
    text = poppler_text(lines_pdf(HARD_LINES))
    assert [normalised(line) for line in text.splitlines() if line.strip()] == [
        normalised(line) for line in HARD_LINES]


@pytest.fixture(scope="module", params=PAPERS, ids=lambda p: f"{p[0]}-{p[1].get('paper') or p[1].get('receipt_width_mm', '')}")
def torture(request):
    theme, options = request.param
    with recorded_layout() as boxes:
        pdf = render_invoice(torture_invoice(), TORTURE_BRANDING, theme, RenderOptions(**options))
    drawn = {normalised(box.text.replace(RLM, "")) for box in boxes if box.kind != "image" and box.text.strip()}
    return pdf, drawn


def beyond_pdfium(line: str) -> str:
    """`line` as pdfium can hold it: it skips characters from U+FFFD up (an emoji)."""
    return " ".join("".join(ch for ch in line if ord(ch) < 0xFFFD).split())


def test_pdfium_reads_the_torture_sample_in_logical_order(torture):
    pdf, drawn = torture
    text = normalised(pdfium_text(pdf))
    key_lines = {beyond_pdfium(line) for line in drawn if any(phrase in line for phrase in KEY_PHRASES)}
    assert key_lines
    assert sorted(line for line in key_lines if line not in text) == []
    for phrase in ("۰۲۱-۸۸۷۷۶۶۵۵", "فاکتور", "می‌شود"):
        assert phrase in text
    assert not [ch for ch in text if ord(ch) in PRESENTATION_FORMS]


@needs_pdftotext
def test_pdftotext_reads_every_line_of_the_torture_sample_in_logical_order(torture):
    pdf, drawn = torture
    text = normalised(poppler_text(pdf))
    assert sorted(line for line in drawn if line not in text) == []
    assert not [ch for ch in text if ord(ch) in PRESENTATION_FORMS]
