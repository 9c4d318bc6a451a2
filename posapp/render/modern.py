"""The Modern theme: a colour accent band, logo and shop name, tinted seller and buyer blocks."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from posapp.render.document import DocumentContext, InvoiceRenderer


class ModernRenderer(InvoiceRenderer):
    """A4 or A5 portrait; everything else comes from themes/modern/theme.toml."""

    def draw_page_header(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float) -> None:
        band = self.geometry("band_height")
        canvas.setFillColor(self.theme.colours["accent"])
        canvas.rect(0, height - band, width, band, stroke=0, fill=1)
        super().draw_page_header(canvas, ctx, width, height)

    def parties_block(self, ctx: DocumentContext) -> Flowable:
        table = super().parties_block(ctx)
        table.setStyle([("BACKGROUND", (0, 0), (-1, -1), self.theme.colours["zebra"])])
        return table
