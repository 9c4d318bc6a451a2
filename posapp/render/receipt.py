"""The Receipt theme: a till slip for 58 mm or 80 mm thermal paper.

One continuous page exactly as tall as its content: shop header, title and invoice number,
Jalali date and time, each line (name, then quantity x unit price and the line total), totals,
payments, change, the payment QR and the shop's footer. Black only, medium-weight type, and a
vector QR, so it stays crisp at 203 dpi.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from posapp.domain.formatting import amount_in_words, format_quantity
from posapp.render.document import DocumentContext, InvoiceRenderer, load_logo, payment_qr_link
from posapp.render.qr import QrFlowable
from posapp.render.text import RLM, RtlText, TextStyle, clean, record_box, text_width

RECEIPT_WIDTHS = (58, 80)
_COLUMN_GAP = 1.2 * mm
"""The gap left of each figure in the 80 mm line table."""
_FIT_SLACK = 2.0
"""Points added to the measured height so rounding never pushes the last line to a new page."""


class DashedRule(Flowable):  # type: ignore[misc]
    """A dashed line across the slip, the usual separator on till receipts."""

    def __init__(self, gap: float = 1.2 * mm) -> None:
        super().__init__()
        self.gap = gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 2 * self.gap

    def draw(self) -> None:
        self.canv.setDash(2, 1.5)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, self.gap, self.width, self.gap)


class LogoFlowable(Flowable):  # type: ignore[misc]
    """An already fitted logo, centred in the frame."""

    def __init__(self, image: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.image, self.image_width, self.image_height = image, width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.image_height

    def draw(self) -> None:
        left = (self.width - self.image_width) / 2
        self.canv.drawImage(self.image, left, 0, self.image_width, self.image_height, mask="auto")
        record_box(self.canv, "image", "logo", left, 0, left + self.image_width, self.image_height)


class ReceiptRenderer(InvoiceRenderer):
    """Paper width from `RenderOptions.receipt_width_mm` (58 or 80); no page header or footer:
    the slip carries them in its flow, and there is only ever one page."""

    @cached_property
    def paper(self) -> str:
        width = self.options.receipt_width_mm
        if width not in RECEIPT_WIDTHS:
            raise ValueError(f"receipts are 58 or 80 mm wide, not {width}")
        return str(width)

    def margins(self) -> tuple[float, float, float]:
        side = (int(self.paper) - self.theme.geometry[f"printable_{self.paper}"]) / 2 * mm
        return self.geometry("margin_top"), self.geometry("margin_bottom"), side

    def frame_width(self) -> float:
        return float(self.theme.geometry[f"printable_{self.paper}"] * mm)

    def page_size(self, stories: Sequence[list[Flowable]]) -> tuple[float, float]:
        """As wide as the paper, as tall as everything on it."""
        width = int(self.paper) * mm
        top, bottom, _ = self.margins()
        content = sum(f.wrap(self.frame_width(), 1e6)[1] for story in stories for f in story)
        return width, top + bottom + content + _FIT_SLACK

    def draw_page_header(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float) -> None:
        """Nothing: the shop header is part of the slip's flow."""

    def draw_page_footer(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float,
                         page: int, pages: int) -> None:
        """Nothing: a slip is one page and its footer text ends the flow."""

    def draw_status_mark(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float) -> None:
        """Nothing across the slip: a translucent word dithers over the digits on a 1-bit
        thermal raster. The slip says «باطل شده» in solid bold at its head and foot instead."""

    def correction_stamp(self, invoice: object) -> None:
        """Returns and reductions say so in the slip's title block instead of a page stamp."""
        return None

    def centred(self, text: str, style: TextStyle) -> RtlText:
        return RtlText(text, style.with_(align="centre"))

    def logo(self, ctx: DocumentContext) -> list[Flowable]:
        """The logo centred over the slip, inside the paper's width and the theme's height."""
        logo = load_logo(ctx.branding.logo_path, self.frame_width(), self.geometry("logo_height"))
        if logo is None:
            return []
        return [LogoFlowable(*logo), Spacer(1, 1 * mm)]

    def pairs(self, rows: list[tuple[str, str, bool]]) -> Table:
        """Label on the right, value on the left; emphasised rows in bold. The value column is
        as wide as its widest value (up to 60 %), so amounts and dates never break."""
        width = self.frame_width()
        data = []
        widest = 0.0
        for label, value, emphasised in rows:
            style = self.strong if emphasised else self.body
            data.append([self.cell(value, style.with_(align="left")), self.cell(label, style)])
            widest = max(widest, text_width(clean(value), style.font, style.size))
        values = min(widest + 1.5 * mm, width * 0.6)
        table = Table(data, colWidths=[values, width - values])
        commands = [
            ("FONT", (0, 0), (-1, -1), self.regular, self.body.size, self.body.leading),
            ("ALIGN", (0, 0), (0, -1), "LEFT"),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            *self.padding(0.3 * mm),
        ]
        commands += [("FONT", (0, i), (-1, i), self.bold, self.body.size * 1.1, self.body.leading * 1.1)
                     for i, row in enumerate(rows) if row[2]]
        table.setStyle(TableStyle(commands))
        return table

    def line_rows(self, ctx: DocumentContext) -> list[Flowable]:
        """The invoice's lines: on 80 mm a table with a column for each figure when they fit
        (`line_table`), else each line stacked (`stacked_lines`)."""
        if self.paper == "80":
            table = self.line_table(ctx)
            if table is not None:
                return [table]
        return self.stacked_lines(ctx)

    def line_table(self, ctx: DocumentContext) -> Table | None:
        """80 mm: under column heads «مقدار», «فی», «مالیات», «مبلغ», each line's name across
        the slip (wrapping), then its quantity and unit, unit price, tax and total in their
        columns, right-aligned so the digits line up, and its discount, when it has one, under
        the unit price. None when the widest figures leave the columns no room."""
        invoice = ctx.invoice
        width = self.frame_width()
        head = self.strong.with_(size=self.small.size, leading=self.small.leading)
        heads = [f"{self.label('receipt.amount')} ({self.unit_label()})", self.label("receipt.tax"),
                 self.label("receipt.price"), self.label("column.quantity")]
        rows: list[list[Flowable | str]] = [[self.cell(text, head) for text in heads]]
        commands: list[tuple[object, ...]] = [
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, self.theme.colours["rule"]),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            *self.padding(0),
            ("LEFTPADDING", (0, 0), (-1, -1), _COLUMN_GAP),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.4 * mm),
        ]
        widest = [text_width(clean(text), head.font, head.size) for text in heads]
        discounts = 0.0
        for index, (line, totals) in enumerate(zip(invoice.lines, invoice.totals.lines, strict=True)):
            figures = [self.amount(totals.total), self.amount(totals.tax), self.amount(line.unit_price),
                       f"{format_quantity(line.quantity)} {line.unit}".strip()]
            styles = [self.strong, self.small, self.small, self.small]
            for column, (text, style) in enumerate(zip(figures, styles, strict=True)):
                widest[column] = max(widest[column], text_width(clean(text), style.font, style.size))
            name_row = len(rows)
            rows.append([RtlText(f"{RLM}{self.digits(str(index + 1))}. {line.description}", self.body), "", "", ""])
            rows.append([self.cell(text, style) for text, style in zip(figures, styles, strict=True)])
            commands += [("SPAN", (0, name_row), (-1, name_row)),
                         ("TOPPADDING", (0, name_row), (-1, name_row), 1.2 * mm)]
            if totals.discount:
                discount_row = len(rows)
                discount = f"{self.label('totals.discount')}: {self.amount(totals.discount)}"
                rows.append(["", "", self.cell(discount, self.small), ""])
                commands.append(("SPAN", (2, discount_row), (3, discount_row)))
                discounts = max(discounts, text_width(clean(discount), self.small.font, self.small.size))
        columns = [value + _COLUMN_GAP for value in widest]
        columns[2] += max(0.0, discounts + _COLUMN_GAP - columns[2] - columns[3])
        if sum(columns) > width:
            return None
        spare = (width - sum(columns)) / 3
        columns = [columns[0], *(column + spare for column in columns[1:])]
        table = Table(rows, colWidths=columns)
        table.setStyle(TableStyle(commands))
        return table

    def stacked_lines(self, ctx: DocumentContext) -> list[Flowable]:
        """58 mm: each line's name over a row with "quantity unit × unit price", its discount
        and tax, and the line's total."""

        invoice = ctx.invoice
        width = self.frame_width()
        flowables: list[Flowable] = []
        for index, (line, totals) in enumerate(zip(invoice.lines, invoice.totals.lines, strict=True)):
            name = f"{RLM}{self.digits(str(index + 1))}. {line.description}"
            detail = f"{format_quantity(line.quantity)} {line.unit} × {self.amount(line.unit_price)}"
            for key, value in (("totals.discount", totals.discount), ("receipt.tax", totals.tax)):
                if value:
                    detail += f"\n{self.label(key)}: {self.amount(value)}"
            total = self.amount(totals.total)
            total_width = min(text_width(clean(total), self.strong.font, self.strong.size) + 2 * mm, width * 0.45)
            row = Table([[self.cell(total, self.strong.with_(align="left")), RtlText(detail, self.small)]],
                        colWidths=[total_width, width - total_width])
            row.setStyle(TableStyle([
                ("FONT", (0, 0), (0, 0), self.bold, self.body.size, self.body.leading),
                ("ALIGN", (0, 0), (0, 0), "LEFT"),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                *self.padding(0),
            ]))
            flowables += [RtlText(name, self.body), row, Spacer(1, 0.8 * mm)]
        return flowables

    def story(self, ctx: DocumentContext) -> list[Flowable]:
        invoice, branding = ctx.invoice, ctx.branding
        title = self.style("title", bold=True)
        seller = invoice.seller
        header: list[Flowable] = [*self.logo(ctx), self.centred(branding.shop_name, title)]
        for text in (seller.address, self.digits(seller.phone)):
            if text:
                header.append(self.centred(text, self.small))
        if seller.economic_code:
            header.append(self.centred(
                f"{self.label('party.economic_code')}: {self.digits(seller.economic_code)}", self.small,
            ))
        header += [DashedRule(), self.centred(self.title(invoice), self.style("heading", bold=True))]
        mark = self.status_mark(invoice)
        if mark:
            header.append(self.centred(f"*** {mark} ***", self.style("heading", bold=True)))
        if invoice.cancel_reason:
            header.append(self.centred(f"{self.label('field.cancel_reason')}: {invoice.cancel_reason}", self.small))
        fields = [
            (self.label("field.number"), self.number_text(invoice), False),
            (self.label("field.date"), self.date_text(invoice, with_time=True), False),
        ]
        if invoice.original_number:
            fields.append((self.label("field.original"), self.digits(invoice.original_number), False))
        if invoice.cashier:
            fields.append((self.label("field.cashier"), invoice.cashier, False))
        totals = self.totals_rows(ctx)
        words = amount_in_words(invoice.totals.payable, self.options.unit)
        closing: list[Flowable] = [
            DashedRule(), self.pairs(totals),
            RtlText(f"{self.label('totals.in_words')}: {words}", self.small),
        ]
        if invoice.tax_id:
            closing.append(self.centred(f"{self.label('field.tax_id')}: {invoice.tax_id}", self.small))
        if invoice.notes.strip():
            closing += [DashedRule(), RtlText(invoice.notes, self.small)]
        link = payment_qr_link(invoice)
        if link is not None:
            closing += [
                Spacer(1, 1.5 * mm),
                QrFlowable(link, self.geometry(f"qr_size_{self.paper}")),
                self.centred(self.label("qr.caption"), self.small),
            ]
        closing += [DashedRule()]
        if mark:
            closing.append(self.centred(f"*** {mark} ***", self.style("heading", bold=True)))
        if branding.footer_text:
            closing.append(self.centred(branding.footer_text, self.small))
        closing.append(self.centred(self.label("receipt.thanks"), self.body))
        buyer = [RtlText(f"{self.label('receipt.buyer')}: {invoice.buyer.name}", self.body)] if invoice.buyer else []
        return [*header, self.pairs(fields), *buyer, DashedRule(), *self.line_rows(ctx), *closing]
