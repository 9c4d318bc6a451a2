"""Issue 11 item 10: the PDF's text layer holds the letters as typed (base letters, ZWNJ, ۀ,
hamza, tanwin; no presentation forms), so a search in a viewer finds what was printed.
Measured with pdfium (the preview engine and Chrome) and, where installed, poppler's pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pypdfium2 as pdfium
import pytest

from posapp.render.registry import RENDERERS, render_invoice
from posapp.render.sample import TORTURE_BRANDING, torture_invoice

WORDS = ("فاکتور", "شمارۀ", "فروشگاه بزرگ لوازم", "۰۲۱-۸۸۷۷۶۶۵۵", "۱۴۰۵/۰۹/۰۲", "Samsung Galaxy A55")
"""Found by both extractors (pdfium decomposes ۀ: compared after canonical composition)."""
MARKED_WORDS = ("خانهٔ", "لطفاً", "می‌شود", "ارائه‌ی", "گوشی موبایل")
"""Found by pdftotext only: pdfium swaps the halves of a ZWNJ word, moves a combining mark
and guesses the word order of a mixed Persian/Latin line (measured; see posapp/render/text.py)."""
PRESENTATION_FORMS = tuple(range(0xFB50, 0xFE00)) + tuple(range(0xFE70, 0xFF00))


def pdfium_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return unicodedata.normalize("NFC", text)


def poppler_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub("[\u202a-\u202e]", "", text)  # the embedding marks poppler adds around runs


@pytest.fixture(scope="module", params=sorted(RENDERERS))
def torture_pdf(request):
    return render_invoice(torture_invoice(), TORTURE_BRANDING, request.param)


def test_pdfium_finds_the_words_as_typed(torture_pdf):
    text = pdfium_text(torture_pdf)
    assert [word for word in WORDS if word not in text] == []
    assert not [ch for ch in text if ord(ch) in PRESENTATION_FORMS]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_pdftotext_finds_the_words_as_typed(torture_pdf, tmp_path):
    text = poppler_text(torture_pdf, tmp_path)
    assert [word for word in (*WORDS, *MARKED_WORDS) if word not in text] == []
    assert not [ch for ch in text if ord(ch) in PRESENTATION_FORMS]
