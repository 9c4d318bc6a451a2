"""Issue 11 item 9, the till receipt: type large enough for thermal paper, each line's tax, and
no translucent watermark to dither over the digits on a 1-bit raster."""

from __future__ import annotations

import pytest

from posapp.domain.formatting import format_amount
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


@pytest.mark.parametrize("width", [58, 80])
def test_each_line_shows_its_tax(width):
    invoice = sample_invoice()
    printed = {box.text for box in receipt_layout(width, invoice)}
    for totals in invoice.totals.lines:
        if totals.tax:
            assert f"مالیات: {to_persian_digits(format_amount(totals.tax, with_unit=False))}" in printed


@pytest.mark.parametrize("width", [58, 80])
def test_a_cancelled_slip_says_so_in_solid_type_without_a_watermark(width):
    boxes = receipt_layout(width, sample_invoice(cancelled=True))
    assert [box for box in boxes if box.kind == "mark"] == []
    assert sum("باطل شده" in box.text for box in boxes) >= 2  # at the head and at the foot
