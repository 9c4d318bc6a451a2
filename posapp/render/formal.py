"""The Formal theme: the official sales invoice form, صورتحساب فروش کالا و خدمات.

Laid out after the tax administration's official form under the VAT law (قانون مالیات بر ارزش
افزوده, its article on issuing invoices): title, serial number and date; seller and buyer
blocks with economic code, national ID, registration number, postal code, address and phone
(printed even when empty, as on the paper form); the form's eleven line columns and a totals row; the total
in words; cash or non-cash terms; the Moadian tax ID when the invoice has one; notes; and the
seller's and buyer's stamp-and-signature boxes. Amounts are always in Rial.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from functools import cached_property
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from posapp.domain.formatting import DisplayUnit, amount_in_words
from posapp.domain.invoice import Invoice, Party, PaymentMethod, check_official_form
from posapp.render.document import Branding, DocumentContext, InvoiceRenderer, RenderOptions
from posapp.render.text import (
    RtlText,
    TextStyle,
    clean,
    draw_block,
    draw_line,
    fit_block,
    text_width,
)
from posapp.render.theme import Theme

INLINE_NOTES_LIMIT = 300
"""Notes up to this many characters are printed beside the signature boxes."""


class Checkbox(Flowable):  # type: ignore[misc]
    """A small square, crossed when `checked`, for the form's cash / non-cash choice."""

    def __init__(self, size: float, checked: bool) -> None:
        super().__init__()
        self.size = size
        self.checked = checked

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size)
        if self.checked:
            self.canv.line(0, 0, self.size, self.size)
            self.canv.line(0, self.size, self.size, 0)


def is_cash_sale(invoice: Invoice) -> bool:
    """نقدی when nothing is left on account: no on-credit payment and no balance due."""
    on_credit = any(p.method is PaymentMethod.CREDIT for p in invoice.payments)
    return not on_credit and invoice.totals.balance_due == 0


class FormalRenderer(InvoiceRenderer):
    """A4 landscape, grey header cells and full grid, so it photocopies and faxes cleanly."""

    def __init__(self, theme: Theme, options: RenderOptions | None = None) -> None:
        options = dataclasses.replace(options or RenderOptions(), unit=DisplayUnit.RIAL)
        super().__init__(theme, options)

    def render_checked(self, invoice: Invoice, branding: Branding) -> tuple[bytes, frozenset[str]]:
        """As the base class, after checking the seller has every field the form requires
        when the buyer is a business (a `ValidationError` naming what is missing)."""
        check_official_form(invoice)
        return super().render_checked(invoice, branding)

    @cached_property
    def heading(self) -> TextStyle:
        return self.style("heading", bold=True)

    def header_fields(self, ctx: DocumentContext) -> list[str]:
        invoice = ctx.invoice
        fields = [
            f"{self.label('field.serial')}: {self.number_text(invoice)}",
            f"{self.label('field.date')}: {self.date_text(invoice)}",
        ]
        if invoice.original_number:
            fields.append(f"{self.label('field.original')}: {self.digits(invoice.original_number)}")
        return fields

    def continuation_fields(self, canvas: Canvas, ctx: DocumentContext) -> list[str]:
        """From the second page of a copy on: the buyer, and the total carried over."""
        if getattr(canvas, "page_in_copy", 1) <= 1:
            return []
        buyer = ctx.invoice.buyer.name if ctx.invoice.buyer else self.label("party.walk_in")
        fields = [f"{self.label('party.buyer_short')}: {buyer}"]
        carried = getattr(canvas, "carried", None)
        if carried is not None:
            fields.append(f"{self.label('totals.carried_in')}: {self.amount(carried)} {self.unit_label()}")
        return fields

    def draw_carried_total(self, canvas: Canvas, ctx: DocumentContext, width: float, carried: Decimal) -> None:
        """«جمع نقل به صفحه بعد» right under the table, above the footer."""
        side = self.geometry("margin_side")
        y = self.geometry("margin_bottom") - self.strong.leading
        text = f"{self.label('totals.carried_out')}: {self.amount(carried)} {self.unit_label()}"
        draw_line(canvas, text, width - side, y, self.strong)

    def draw_page_header(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float) -> None:
        """The form's title centred; serial number and date at the left; the shop's logo and
        name (and, on later pages, the buyer and the total carried over) at the right, each in
        its own column (wrapped, then smaller, never overlapping)."""
        side = self.geometry("margin_side")
        top, bottom = self.header_box(height)
        gap = 4 * mm
        title = self.style("title", bold=True, align="centre")
        title_text = self.title(ctx.invoice)
        title_width = min(text_width(title_text, title.font, title.size), width / 2)
        draw_block(canvas, fit_block([(title_text, title, 1)], title_width, top - bottom), width / 2, top)
        column = width / 2 - title_width / 2 - gap - side
        fields = [(clean(text), self.body.with_(align="left"), 1) for text in self.header_fields(ctx)]
        draw_block(canvas, fit_block(fields, column, top - bottom), side, top)
        logo_width = self.draw_logo(canvas, ctx, width - side, top)
        name_right = width - side - (logo_width + 2 * mm if logo_width else 0)
        room = name_right - (width / 2 + title_width / 2 + gap)
        continued = [(text, self.body, 1) for text in self.continuation_fields(canvas, ctx)]
        draw_block(canvas, fit_block([(ctx.branding.shop_name, self.strong, 2), *continued], room, top - bottom),
                   name_right, top)
        rule_y = height - self.geometry("margin_top") + self.geometry("header_gap")
        canvas.setStrokeColor(self.theme.colours["rule"])
        canvas.setLineWidth(self.geometry("rule_width"))
        canvas.line(side, rule_y, width - side, rule_y)

    # the seller and buyer blocks

    def party_row(self, heading: str, party: Party | None) -> Table:
        """One party: a shaded band with the heading on the right, the form's fields in
        three columns to its left."""
        width = self.frame_width()
        band = self.geometry("band_width")
        fields = self.party_fields(party or Party(name=self.label("party.walk_in")), show_empty=True)
        address = [f for f in fields if f[0] == self.label("party.address")]
        others = [f for f in fields if f[0] != self.label("party.address")]
        cells = [RtlText(f"{label}: {value}", self.body) for label, value in others]
        while len(cells) % 3:
            cells.append(RtlText("", self.body))
        grid = [list(reversed(cells[i:i + 3])) for i in range(0, len(cells), 3)]
        grid += [[RtlText(f"{label}: {value}", self.body) for label, value in address] + [RtlText("", self.body), RtlText("", self.body)]]
        inner_width = width - band
        fields_table = Table(grid, colWidths=[inner_width / 3] * 3)
        last = len(grid) - 1
        fields_table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("SPAN", (0, last), (2, last)),
            *self.padding(1.2 * mm),
        ]))
        heading_style = self.style("heading", bold=True, align="centre")
        table = Table([[fields_table, RtlText(heading, heading_style)]], colWidths=[inner_width, band])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOX", (0, 0), (-1, -1), 0.8, self.theme.colours["rule"]),
            ("LINEBEFORE", (1, 0), (1, 0), 0.8, self.theme.colours["rule"]),
            ("BACKGROUND", (1, 0), (1, 0), self.theme.colours["accent"]),
            *self.padding(0),
        ]))
        return table

    def opening(self, ctx: DocumentContext) -> list[Flowable]:
        gap = Spacer(1, self.geometry("block_gap"))
        lines_heading = Table([[RtlText(self.label("column.lines"), self.style("heading", bold=True, align="centre"))]],
                              colWidths=[self.frame_width()])
        lines_heading.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), self.theme.colours["accent"]),
            ("BOX", (0, 0), (-1, -1), 0.8, self.theme.colours["rule"]),
            *self.padding(0.8 * mm),
        ]))
        return [
            self.party_row(self.label("party.seller"), ctx.invoice.seller), gap,
            self.party_row(self.label("party.buyer"), ctx.invoice.buyer), gap, lines_heading,
        ]

    def story(self, ctx: DocumentContext) -> list[Flowable]:
        return [*self.stamp_block(ctx), *self.opening(ctx), self.lines_table(ctx), *self.closing(ctx)]

    # below the lines: words, terms, tax ID, notes, payments, signatures

    def terms_row(self, ctx: DocumentContext) -> list[Any]:
        cash = is_cash_sale(ctx.invoice)
        size = self.geometry("checkbox")
        return [
            RtlText(self.label("terms.credit"), self.body), Checkbox(size, not cash),
            RtlText(self.label("terms.cash"), self.body), Checkbox(size, cash),
            RtlText(f"{self.label('terms.title')}:", self.strong),
        ]

    def totals_strip(self, ctx: DocumentContext) -> Table:
        """Charges, the payable amount and payments as a strip: labels over amounts."""
        rows = self.totals_rows(ctx)[1:]
        width = self.frame_width()
        labels = [RtlText(label, self.style("small", bold=True, align="centre")) for label, _, _ in reversed(rows)]
        values = [self.cell(value, self.body.with_(align="centre")) for _, value, _ in reversed(rows)]
        table = Table([labels, values], colWidths=[width / len(rows)] * len(rows))
        table.setStyle(TableStyle([
            ("FONT", (0, 1), (-1, 1), self.regular, self.body.size, self.body.leading),
            ("ALIGN", (0, 1), (-1, 1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), self.theme.colours["accent"]),
            ("GRID", (0, 0), (-1, -1), 0.5, self.theme.colours["rule"]),
            *self.padding(0.8 * mm),
        ]))
        return table

    def closing(self, ctx: DocumentContext) -> list[Flowable]:
        invoice = ctx.invoice
        width = self.frame_width()
        words = amount_in_words(invoice.totals.payable)
        summary_rows: list[list[Flowable]] = [
            [RtlText(f"{self.label('totals.in_words')}: {words}", self.strong)],
        ]
        if invoice.tax_id:
            summary_rows.append([RtlText(f"{self.label('field.tax_id')}: {invoice.tax_id}", self.strong)])
        # Inner tables are as wide as their cell less its padding, so no text reaches the
        # box's border (the words and the tax ID used to touch it).
        inset = 1.5 * mm
        summary = Table(summary_rows, colWidths=[width * 0.72 - 2 * inset])
        summary.setStyle(TableStyle([*self.padding(0.8 * mm)]))
        terms_width = width * 0.28 - 2 * inset
        terms = Table([self.terms_row(ctx)], colWidths=[
            terms_width * 0.26, 5 * mm, terms_width * 0.2, 5 * mm, terms_width * 0.54 - 10 * mm])
        terms.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *self.padding(0.8 * mm)]))
        box = Table([[terms, summary]], colWidths=[width * 0.28, width * 0.72])
        box.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOX", (0, 0), (-1, -1), 0.8, self.theme.colours["rule"]),
            ("LINEBEFORE", (1, 0), (1, 0), 0.5, self.theme.colours["rule"]),
            *self.padding(inset),
        ]))
        gap = self.geometry("block_gap")
        block: list[Flowable] = [box, Spacer(1, gap), self.totals_strip(ctx)]
        signature_style = self.small.with_(align="centre", colour=self.theme.colours["text"])
        room = Spacer(1, self.geometry("signature_height"))
        # Short notes sit beside the signatures, as on the paper form; long ones flow after
        # the form, where they may run over a page.
        notes = invoice.notes.strip()
        inline_notes = len(notes) <= INLINE_NOTES_LIMIT
        info = [*self.references_block(ctx), *(self.notes_block(ctx) if inline_notes else [])]
        row = [
            self.qr_block(ctx, h_align="CENTER"),
            [RtlText(self.label("signature.buyer"), signature_style), room],
            [RtlText(self.label("signature.seller"), signature_style), room],
            info,
        ]
        bottom = Table([row], colWidths=[width * 0.14, width * 0.21, width * 0.21, width * 0.44])
        bottom.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (0, 0), "CENTER"),
            ("BOX", (1, 0), (1, 0), 0.8, self.theme.colours["rule"]),
            ("BOX", (2, 0), (2, 0), 0.8, self.theme.colours["rule"]),
            *self.padding(1 * mm),
        ]))
        return [KeepTogether([*block, Spacer(1, gap), bottom]), *([] if inline_notes else self.notes_block(ctx))]
