"""Helpers for the render tests: rasterising pages, comparing with reference images, text.

Reference images live in tests/render/reference/. After an intended change to a theme, look at
the new pages, then regenerate the references with

    POSAPP_UPDATE_REFERENCES=1 .venv/bin/python -m pytest tests/render -q

and commit the PNGs with the change. Without that variable a missing reference fails the test.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops

REFERENCE_DIR = Path(__file__).parent / "reference"
REFERENCE_SCALE = 100 / 72
"""Reference pages are rasterised at 100 dpi, grey: enough to see a wrong letter form."""
PIXEL_THRESHOLD = 64
"""Grey levels two pixels may differ by (anti-aliasing noise) before they count as different."""
TOLERANCE = 0.002
"""Share of a page's pixels allowed to differ; a broken shaping or column order is far above."""


def pages(pdf: bytes, scale: float = REFERENCE_SCALE, *, grey: bool = True) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            image = page.render(scale=scale, grayscale=grey).to_pil()
            images.append(image.convert("L") if grey else image)
            page.close()
        return images
    finally:
        document.close()


def difference(first: Image.Image, second: Image.Image) -> float:
    """Share of pixels that differ by more than PIXEL_THRESHOLD (1.0 if the sizes differ)."""
    if first.size != second.size:
        return 1.0
    diff = ImageChops.difference(first, second).point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    histogram = diff.histogram()
    return histogram[255] / (first.width * first.height)


def reference_pages(name: str) -> list[Path]:
    """The stored pages of case `name` in page order (not those of a case whose name merely
    starts the same, such as torture-carbon and torture-carbon-a5)."""
    pages = [p for p in REFERENCE_DIR.glob(f"{name}-*.png") if re.fullmatch(rf"{re.escape(name)}-\d+\.png", p.name)]
    return sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def reference_difference(name: str, pdf: bytes) -> float:
    """The largest page difference between `pdf` and the stored reference pages `name-N.png`;
    writes the references instead when POSAPP_UPDATE_REFERENCES=1."""
    rendered = pages(pdf)
    if os.environ.get("POSAPP_UPDATE_REFERENCES") == "1":
        REFERENCE_DIR.mkdir(exist_ok=True)
        for stale in reference_pages(name):
            stale.unlink()
        for index, image in enumerate(rendered):
            image.save(REFERENCE_DIR / f"{name}-{index}.png", optimize=True)
        return 0.0
    stored = reference_pages(name)
    assert stored, f"no reference images for {name}; run with POSAPP_UPDATE_REFERENCES=1"
    assert len(stored) == len(rendered), f"{name}: {len(rendered)} pages, reference has {len(stored)}"
    return max(difference(Image.open(path).convert("L"), image)
               for path, image in zip(stored, rendered, strict=True))


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text as extracted by pdfium, presentation forms folded back (NFKC)."""
    document = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            text_page = page.get_textpage()
            texts.append(unicodedata.normalize("NFKC", text_page.get_text_range()))
            text_page.close()
            page.close()
        return texts
    finally:
        document.close()


_WORD_BREAK = re.compile("[\\s:()\\[\\]«»،,.]+")


def words(text: str) -> set[str]:
    """The words of extracted text, for tests that look for words wherever a table puts them
    (whole lines in logical order are checked in test_text_layer.py)."""
    return {w for w in _WORD_BREAK.split(text) if w}


def contains(text: str, phrase: str) -> bool:
    """Every word of `phrase` is in `text` (as a word or inside one, such as ۰۰۰۰۴۲ in
    ۱A-۰۰۰۰۴۲)."""
    return all(word in text for word in words(phrase))
