"""Issue 11 item 9, the till receipt: type large enough for thermal paper, each line's tax, and
no translucent watermark to dither over the digits on a 1-bit raster."""

from __future__ import annotations

from itertools import pairwise

import pytest

from posapp.domain.formatting import format_amount, format_quantity
from posapp.domain.text import to_persian_digits
from posapp.render.document import RenderOptions
from posapp.render.registry import renderer_for
from posapp.render.sample import SAMPLE_BRANDING, TORTURE_BRANDING, sample_invoice, torture_invoice
from posapp.render.text import recorded_layout


def receipt_layout(width, invoice, branding=SAMPLE_BRANDING):
    with recorded_layout() as boxes:
        renderer_for("receipt", RenderOptions(receipt_width_mm=width)).render(invoice, branding)
    return boxes


@pytest.mark.parametrize(("width", "smallest"), [(58, 8.0), (80, 9.0)])
def test_no_text_is_too_small_for_thermal_paper(width, smallest):
    """Body text was 6.3 to 7.2 pt."""
    sizes = {box.size for box in receipt_layout(width, torture_invoice(), TORTURE_BRANDING) if box.kind == "text"
             and box.size}
    assert min(sizes) >= smallest


def test_each_line_shows_its_tax_on_58mm():
    invoice = sample_invoice()
    printed = {box.text for box in receipt_layout(58, invoice)}
    for totals in invoice.totals.lines:
        if totals.tax:
            assert f"مالیات: {to_persian_digits(format_amount(totals.tax, with_unit=False))}" in printed


@pytest.mark.parametrize("width", [58, 80])
def test_a_cancelled_slip_says_so_in_solid_type_without_a_watermark(width):
    boxes = receipt_layout(width, sample_invoice(cancelled=True))
    assert [box for box in boxes if box.kind == "mark"] == []
    assert sum("باطل شده" in box.text for box in boxes) >= 2  # at the head and at the foot


def amount(value):
    return to_persian_digits(format_amount(value, with_unit=False))


@pytest.mark.parametrize("invoice", [sample_invoice(), torture_invoice()], ids=["sample", "torture"])
def test_the_80mm_slip_gives_each_figure_its_column(invoice):
    """The 80 mm slip was the 58 mm one stretched: «۱ عدد × ۲۱۴٬۵۰۰٬۰۰۰» and the tax stacked
    under the name. Now each line's quantity, unit price, tax and total share one row, in
    columns from right to left, each column's figures right-aligned so the digits line up."""
    boxes = [box for box in receipt_layout(80, invoice, TORTURE_BRANDING) if box.kind == "text"]
    rows = []
    used = set()
    for line, totals in zip(invoice.lines, invoice.totals.lines, strict=True):
        total = next(box for box in boxes if box.text == amount(totals.total) and id(box) not in used)
        used.add(id(total))
        row = {box.text: box for box in boxes if box.page == total.page and abs(box.bottom - total.bottom) < 4}
        quantity = to_persian_digits(f"{format_quantity(line.quantity)} {line.unit}")
        cells = [row[amount(totals.total)], row[amount(totals.tax)], row[amount(line.unit_price)], row[quantity]]
        assert [cell.left for cell in cells] == sorted(cell.left for cell in cells)
        assert all(left.right < right.left for left, right in pairwise(cells))
        rows.append(cells)
    for column in range(3):
        edges = [row[column].right for row in rows]
        assert max(edges) - min(edges) < 0.5, f"column {column} is not right-aligned: {edges}"
