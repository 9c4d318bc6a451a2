"""The receipt as a thermal printer prints it: the rendered PDF rasterised to 1 bit at the printer's dot width.

The PDF is the same drawing the print preview shows (Persian shaped by the renderer, never by
the printer's code pages). Its printable strip (the paper width less the theme's side margins)
is rendered in grey with pypdfium2 so that it spans exactly the printer's dots, then thresholded:
a fixed cut tuned for text, because dithered digits at 203 dpi are unreadable.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image

POINTS_PER_MM = 72 / 25.4
DOT_WIDTHS = {58: 384, 80: 576}
"""Dots a 203 dpi head prints across 58 mm and 80 mm paper (48 and 72 mm printable)."""
TEXT_THRESHOLD = 168
"""Grey levels at or below this print black. Above the midpoint, so the anti-aliased edges of
thin Persian strokes and small digits print rather than break up."""


def rasterise_receipt(pdf_bytes: bytes, dot_width: int, printable_mm: float | None = None,
                      threshold: int = TEXT_THRESHOLD) -> Image.Image:
    """Every page of `pdf_bytes`, stacked, as one 1-bit image exactly `dot_width` dots wide
    (black is 0). `printable_mm` is the width of the page's centred printable strip (None:
    the whole page width)."""
    if dot_width <= 0 or dot_width % 8:
        raise ValueError(f"the dot width must be a positive multiple of 8, not {dot_width}")
    document = pdfium.PdfDocument(pdf_bytes)
    pages: list[Image.Image] = []
    try:
        for page in document:
            width, _ = page.get_size()
            strip = min(width, printable_mm * POINTS_PER_MM) if printable_mm else width
            side = (width - strip) / 2
            bitmap = page.render(scale=dot_width / strip, crop=(side, 0, side, 0), grayscale=True)
            grey = bitmap.to_pil()
            pages.append(_exact_width(grey, dot_width).point(
                lambda level: 255 if level > threshold else 0, mode="1"))
            bitmap.close()
            page.close()
    finally:
        document.close()
    return _stacked(pages, dot_width)


def _exact_width(image: Image.Image, dot_width: int) -> Image.Image:
    """Rounding may leave a dot too many or too few: crop or pad on white."""
    if image.width == dot_width:
        return image
    exact = Image.new(image.mode, (dot_width, image.height), 255)
    exact.paste(image.crop((0, 0, min(image.width, dot_width), image.height)), (0, 0))
    return exact


def _stacked(pages: list[Image.Image], dot_width: int) -> Image.Image:
    if len(pages) == 1:
        return pages[0]
    stacked = Image.new("1", (dot_width, sum(page.height for page in pages)), 1)
    top = 0
    for page in pages:
        stacked.paste(page, (0, top))
        top += page.height
    return stacked
