"""A report (`ReportDocument`) as an A4 PDF, right to left, with the invoices' fonts, colours and
Persian text pipeline (`posapp.render.text`).

Each page carries the shop name, the report's title and date range and its page number; tables
run right to left (reportlab has no right-to-left table, so columns are laid out reversed) and
repeat their header row on each page. Wide tables turn the page to landscape A4.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from functools import partial

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from posapp.domain.formatting import format_amount, format_quantity
from posapp.domain.jalali import format_jalali_date, format_jalali_datetime
from posapp.domain.report_table import Cell, CellKind, ReportDocument, ReportTable
from posapp.domain.text import to_persian_digits
from posapp.render.fonts import font_name_for
from posapp.render.text import RtlText, TextStyle, draw_line, text_width
from posapp.render.theme import Theme, load_theme

REPORT_THEME = "modern"
"""The invoice theme whose fonts and colours reports borrow."""
MAX_PDF_ROWS = 2000
"""Rows of one table printed; the spreadsheet exports hold the rest."""
LANDSCAPE_FROM_COLUMNS = 8
CELL_PADDING = 2.2
CELL_SIDE_PADDING = 3
HEADER_WRAP_FROM = 70.0
"""Header titles wider than this (points) wrap onto a second line where they have a space."""
MARGIN = 12 * mm
HEADER_HEIGHT = 20 * mm


def cell_text(value: Cell, kind: CellKind) -> str:
    """A cell as printed: Persian digits, amounts grouped, Jalali dates, rates in percent."""
    if value is None:
        return ""
    if kind is CellKind.DATE and isinstance(value, date):
        return format_jalali_date(value)
    if kind is CellKind.AMOUNT and isinstance(value, Decimal | int):
        return format_amount(value, with_unit=False)
    if kind is CellKind.QUANTITY and isinstance(value, Decimal):
        return format_quantity(value)
    if kind is CellKind.RATE and isinstance(value, Decimal):
        return to_persian_digits(f"{(value * 100).normalize():f}") + "٪"
    if kind is CellKind.COUNT and isinstance(value, int):
        return format_amount(value, with_unit=False)
    return to_persian_digits(str(value))


class ReportRenderer:
    """Renders report documents; one instance may render many, one at a time."""

    def __init__(self, theme: Theme | None = None) -> None:
        self.theme = theme or load_theme(REPORT_THEME)
        self.regular = font_name_for(self.theme.fonts.regular)
        self.bold = font_name_for(self.theme.fonts.bold)
        fonts, colours = self.theme.fonts, self.theme.colours
        self.body = TextStyle(self.regular, fonts.body, fonts.body * fonts.leading, colours["text"])
        self.heading = TextStyle(self.bold, fonts.heading, fonts.heading * fonts.leading, colours["accent"])
        self.title = TextStyle(self.bold, fonts.title, fonts.title * fonts.leading, colours["text"])
        self.small = TextStyle(self.regular, fonts.small, fonts.small * fonts.leading, colours["muted"])

    def render(self, document: ReportDocument, shop_name: str, printed_at: object = None) -> bytes:
        wide = any(len(t.columns) >= LANDSCAPE_FROM_COLUMNS for t in document.tables)
        page = landscape(A4) if wide else A4
        width, height = page
        buffer = io.BytesIO()
        doc = BaseDocTemplate(buffer, pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN,
                              topMargin=MARGIN + HEADER_HEIGHT, bottomMargin=MARGIN + 6 * mm,
                              title=document.title_fa, author=shop_name, creator="posapp", invariant=True,
                              lang="fa-IR")
        frame = Frame(MARGIN, MARGIN + 6 * mm, width - 2 * MARGIN, height - 2 * MARGIN - HEADER_HEIGHT - 6 * mm,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        doc.addPageTemplates([PageTemplate("report", [frame], onPage=partial(self._page, document, shop_name,
                                                                                printed_at))])
        story: list[Flowable] = []
        for table in document.tables:
            story += self.table_story(table, frame._width)
        doc.build(story)
        return buffer.getvalue()

    def _page(self, document: ReportDocument, shop_name: str, printed_at: object, canvas: Canvas,
              doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        right, left = width - MARGIN, MARGIN
        top = height - MARGIN
        canvas.saveState()
        draw_line(canvas, shop_name, right, top - self.title.size, self.title)
        span = f"{format_jalali_date(document.date_from)} تا {format_jalali_date(document.date_to)} — مبالغ به ریال"
        if document.till:
            span += f" — صندوق {to_persian_digits(document.till)}"
        draw_line(canvas, document.title_fa, left, top - self.title.size, self.title.with_(align="left",
                                                                                             colour=self.heading.colour))
        draw_line(canvas, span, left, top - self.title.size - self.small.leading - 2, self.small.with_(align="left"))
        if printed_at is not None:
            draw_line(canvas, f"چاپ: {format_jalali_datetime(printed_at)}", right,  # type: ignore[arg-type]
                      top - self.title.size - self.small.leading - 2, self.small)
        rule_y = height - MARGIN - HEADER_HEIGHT + 4 * mm
        canvas.setStrokeColor(self.theme.colours["rule"])
        canvas.setLineWidth(0.8)
        canvas.line(left, rule_y, right, rule_y)
        draw_line(canvas, f"صفحه {to_persian_digits(str(doc.page))}", width / 2, MARGIN, self.small.with_(align="centre"))
        canvas.restoreState()

    def table_story(self, table: ReportTable, width: float) -> list[Flowable]:
        story: list[Flowable] = [RtlText(table.title_fa, self.heading), Spacer(1, 1.5 * mm)]
        rows = list(table.rows[:MAX_PDF_ROWS])
        if not rows and table.totals is None:
            return [*story, RtlText("در این بازه چیزی نیست.", self.small), Spacer(1, 5 * mm)]
        columns = list(table.columns)
        texts = [[c.title_fa for c in columns]]
        texts += [[cell_text(v, c.kind) for v, c in zip(row, columns, strict=True)] for row in rows]
        if table.totals:
            texts.append([cell_text(v, c.kind) for v, c in zip(table.totals, columns, strict=True)])
        last = len(texts) - 1
        totals_row = last if table.totals else None
        widths, scale = self._column_layout([list(reversed(r)) for r in texts],
                                            [c.kind is CellKind.TEXT for c in reversed(columns)], totals_row, width)
        body = self.body.with_(size=self.body.size * scale, leading=self.body.leading * scale)
        header_style = body.with_(font=self.bold, colour=self.theme.colours["on_accent"], align="centre")
        total_style = body.with_(font=self.bold)

        def cell(row: int, text: str) -> RtlText:
            style = header_style if row == 0 else total_style if row == totals_row else body
            return RtlText(text, style, break_words=False)

        data = [[cell(index, text) for text in reversed(row)] for index, row in enumerate(texts)]
        grid = Table(data, colWidths=widths, repeatRows=1)
        colours = self.theme.colours
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), colours["accent"]),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colours["rule"]),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_SIDE_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_SIDE_PADDING),
        ]
        for index in range(1, len(rows) + 1, 2):
            style.append(("BACKGROUND", (0, index), (-1, index), colours["zebra"]))
        if table.totals:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colours["text"]))
        grid.setStyle(TableStyle(style))
        story += [grid]
        hidden = len(table.rows) - len(rows)
        if hidden > 0:
            story += [Spacer(1, 1.5 * mm), RtlText(
                f"{to_persian_digits(str(hidden))} ردیف دیگر در خروجی اکسل و CSV است.", self.small)]
        return [*story, Spacer(1, 6 * mm)]

    def _column_layout(self, data: list[list[str]], wraps: list[bool], totals_row: int | None,
                       width: float) -> tuple[list[float], float]:
        """Column widths that hold every cell, each measured in the face it is drawn in (the
        header and totals rows bold), and the font scale (1 unless the table must shrink).
        Numbers never wrap, so their columns keep their widest cell; text columns wrap at
        spaces (headers from 70 pt on) and give up width first, down to their longest word;
        only a table whose unbreakable cells still do not fit gets a smaller font."""
        size = self.body.size
        slack = 2 * CELL_SIDE_PADDING + 2

        def measure(row: int, text: str) -> float:
            return text_width(text, self.bold if row == 0 or row == totals_row else self.regular, size)

        def longest_word(row: int, text: str) -> float:
            return max((measure(row, word) for word in text.split()), default=0.0)

        natural, least = [], []
        for index, wrapping in enumerate(wraps):
            header = data[0][index]
            cells = [(row, texts[index]) for row, texts in enumerate(data) if row]
            widest = max((measure(row, text) for row, text in cells), default=0.0)
            header_width = max(min(measure(0, header), HEADER_WRAP_FROM), longest_word(0, header))
            natural.append(max(widest, header_width) + slack)
            shortest = max((longest_word(row, text) for row, text in cells), default=0.0) if wrapping else widest
            least.append(max(shortest, longest_word(0, header)) + slack)
        total = sum(natural)
        if total <= width:
            return [w + (width - total) / len(natural) for w in natural], 1.0
        if sum(least) <= width:
            spare = (width - sum(least)) / (total - sum(least))
            return [low + (high - low) * spare for low, high in zip(least, natural, strict=True)], 1.0
        scale = (width - slack * len(least)) / (sum(least) - slack * len(least))
        return [(w - slack) * scale + slack for w in least], scale


def render_report(document: ReportDocument, shop_name: str, printed_at: object = None) -> bytes:
    """`document` as A4 PDF bytes, headed with `shop_name` (and the print time, when given)."""
    return ReportRenderer().render(document, shop_name, printed_at)
