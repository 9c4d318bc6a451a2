"""The one entry point for rendering: pick a theme by name and turn an invoice into PDF bytes."""

from __future__ import annotations

from posapp.domain.invoice import Invoice
from posapp.render.carbon import CarbonRenderer
from posapp.render.document import Branding, InvoiceRenderer, RenderOptions
from posapp.render.formal import FormalRenderer
from posapp.render.modern import ModernRenderer
from posapp.render.qr import qr_matrix
from posapp.render.receipt import ReceiptRenderer
from posapp.render.shaping import shape_line
from posapp.render.text import extraction_text, line_text_layer, shaped, wrapped_lines
from posapp.render.text_layer import for_pdfium, for_poppler, pdfium_reverses
from posapp.render.theme import THEME_NAMES, ThemeError, load_theme

RENDERERS: dict[str, type[InvoiceRenderer]] = {
    "modern": ModernRenderer,
    "formal": FormalRenderer,
    "receipt": ReceiptRenderer,
    "carbon": CarbonRenderer,
}



def clear_caches() -> None:
    """Forget memoised text shapes, bidi orderings and QR matrices, so a benchmark can
    measure the work a never-seen invoice costs."""
    for memo in (shape_line, shaped, wrapped_lines, extraction_text, line_text_layer, for_poppler, for_pdfium,
                 pdfium_reverses, qr_matrix):
        memo.cache_clear()


def renderer_for(theme: str, options: RenderOptions | None = None) -> InvoiceRenderer:
    """A renderer for the theme called `theme` (modern, formal, receipt or carbon)."""
    if theme not in RENDERERS:
        raise ThemeError(f"unknown theme {theme!r}; choose one of {', '.join(THEME_NAMES)}")
    return RENDERERS[theme](load_theme(theme), options)


def render_invoice(invoice: Invoice, branding: Branding, theme: str = "modern",
                   options: RenderOptions | None = None) -> bytes:
    """`invoice` as PDF bytes in `theme`. Pure: reads fonts and the theme, writes nothing."""
    return renderer_for(theme, options).render(invoice, branding)
