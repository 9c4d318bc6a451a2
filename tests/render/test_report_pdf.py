"""The reports' A4 PDF: the invoices' type scale, and no text leaving its table cell, even in a
wide table of big amounts whose bold totals row is the widest line of each column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4, landscape

from posapp.domain.report_table import CellKind, ReportDocument, ReportTable, TableColumn
from posapp.render.report import LANDSCAPE_FROM_COLUMNS, MARGIN, ReportRenderer
from posapp.render.text import recorded_layout
from posapp.render.theme import load_theme

AMOUNT_COLUMNS = 12


def _document(columns: int, rows: int, amount: Decimal) -> ReportDocument:
    table_columns = (TableColumn("name", "کالا", "product", CellKind.TEXT),
                     *(TableColumn(f"a{n}", f"مبلغ شماره {n}", f"amount {n}", CellKind.AMOUNT) for n in range(columns)))
    body = tuple((f"شیر پاستوریزه کم‌چرب کاله یک لیتری ردیف {n}", *([amount] * columns)) for n in range(rows))
    totals = ("جمع", *([amount * rows] * columns))
    table = ReportTable("فروش کالاها", "Products", table_columns, body, totals)
    return ReportDocument("products", "فروش کالاها", "Products", date(2026, 3, 21), date(2027, 3, 20), None, (table,))


@pytest.mark.parametrize(("columns", "amount"), [
    (AMOUNT_COLUMNS, Decimal("98888888888")),  # shrinks: the numbers alone are wider than the page
    (8, Decimal("9888888888")),  # fits once the product names wrap
    (4, Decimal("8888888")),
])
def test_no_text_leaves_its_cell(columns, amount):
    renderer = ReportRenderer()
    with recorded_layout() as boxes:
        pdf = renderer.render(_document(columns, 30, amount), "فروشگاه نمونه")
    assert pdf.startswith(b"%PDF")
    texts = [b for b in boxes if b.kind == "text"]
    assert texts
    page_width = (landscape(A4) if columns + 1 >= LANDSCAPE_FROM_COLUMNS else A4)[0]
    for box in texts:
        assert box.left >= MARGIN - 0.5, box
        assert box.right <= page_width - MARGIN + 0.5, box
    cells = [b for b in texts if b.bottom < 842 - MARGIN - 25 * 2.83]
    for index, first in enumerate(cells):
        for second in cells[index + 1:]:
            assert not first.overlaps(second), (first, second)


def test_the_report_uses_the_invoice_type_scale():
    theme = load_theme("modern")
    renderer = ReportRenderer(theme)
    assert (renderer.body.size, renderer.heading.size, renderer.title.size, renderer.small.size) == (
        theme.fonts.body, theme.fonts.heading, theme.fonts.title, theme.fonts.small)
    assert renderer.body.leading == pytest.approx(theme.fonts.body * theme.fonts.leading)
