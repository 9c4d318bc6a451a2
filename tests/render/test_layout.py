"""Issue 11 item 4: every line of text stays on its page and off every other line, logo and
stamp, in every theme and size, for the torture sample (long names, address, footer, logos)."""

from __future__ import annotations

import itertools

import pytest
from PIL import Image

from posapp.render.document import Branding, RenderOptions
from posapp.render.registry import renderer_for
from posapp.render.sample import TORTURE_BRANDING, sample_invoice, torture_invoice
from posapp.render.text import recorded_layout

SIZES = {
    "modern-a4": ("modern", {}), "modern-a5": ("modern", {"paper": "A5"}),
    "carbon-a4": ("carbon", {}), "carbon-a5": ("carbon", {"paper": "A5"}),
    "formal": ("formal", {}),
    "receipt-80": ("receipt", {"receipt_width_mm": 80}), "receipt-58": ("receipt", {"receipt_width_mm": 58}),
}


@pytest.fixture(scope="module", params=["wide", "tall"])
def logo(request, tmp_path_factory):
    size = (1200, 150) if request.param == "wide" else (150, 900)
    path = tmp_path_factory.mktemp("logo") / f"{request.param}.png"
    Image.new("RGB", size, (15, 118, 110)).save(path)
    return path


def layout(theme, options, invoice, branding):
    renderer = renderer_for(theme, RenderOptions(**options))
    with recorded_layout() as boxes:
        pdf = renderer.render(invoice, branding)
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    sizes = [page.get_size() for page in document]
    document.close()
    return boxes, sizes


def collisions(boxes, sizes):
    problems = []
    solid = [b for b in boxes if b.kind != "mark"]
    for box in solid:
        width, height = sizes[box.page - 1]
        if box.left < 0 or box.bottom < 0 or box.right > width or box.top > height:
            problems.append(f"off page {box.page}: {box.text[:40]!r} {box.left:.0f}..{box.right:.0f}")
    for page in {b.page for b in solid}:
        on_page = sorted((b for b in solid if b.page == page), key=lambda b: b.left)
        for first, second in itertools.combinations(on_page, 2):
            if second.left >= first.right:
                continue
            if first.overlaps(second) and not (first.kind == "stamp" or second.kind == "stamp"):
                problems.append(f"page {page}: {first.text[:30]!r} over {second.text[:30]!r}")
            elif first.overlaps(second) and {first.kind, second.kind} == {"stamp", "text"}:
                stamp_frame = first if first.kind == "text" and first.text == second.text else None
                if stamp_frame is None:
                    problems.append(f"page {page}: stamp over {first.text[:30]!r} / {second.text[:30]!r}")
    return problems


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("variant", ["sale", "return", "cancelled"])
def test_torture_sample_text_stays_in_its_place(size, variant, logo):
    theme, options = SIZES[size]
    branding = Branding(TORTURE_BRANDING.shop_name, logo, TORTURE_BRANDING.footer_text)
    boxes, sizes = layout(theme, options, torture_invoice(variant), branding)
    assert collisions(boxes, sizes) == []


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_logo_fits_its_box_keeping_its_aspect_ratio(size, logo):
    theme, options = SIZES[size]
    branding = Branding("فروشگاه", logo)
    boxes, sizes = layout(theme, options, sample_invoice(), branding)
    images = [b for b in boxes if b.kind == "image"]
    assert images
    source = Image.open(logo).size
    for image in images:
        width, _height = sizes[image.page - 1]
        assert image.left >= 0
        assert image.right <= width
        assert image.right - image.left <= (0.9 if theme == "receipt" else 0.3) * width
        assert (image.right - image.left) / (image.top - image.bottom) == pytest.approx(source[0] / source[1], rel=0.01)


@pytest.mark.parametrize(("theme", "options"), [("modern", {}), ("carbon", {"copies": ()}), ("formal", {})])
def test_amounts_line_up_on_their_right_edge(theme, options):
    """Issue 11 item 8: amounts were left-aligned, so their digits did not line up."""
    from posapp.domain.formatting import format_amount
    from posapp.render.sample import SAMPLE_BRANDING

    invoice = sample_invoice()
    boxes, _sizes = layout(theme, options, invoice, SAMPLE_BRANDING)
    totals = {format_amount(t.total, with_unit=False) for t in invoice.totals.lines}
    drawn = [box for box in boxes if box.text in totals]
    column = min(box.left for box in drawn) + 60  # the total column is the leftmost
    edges = [box.right for box in drawn if box.left < column]
    assert len(edges) >= len(invoice.lines)
    assert max(edges) - min(edges) < 0.6  # digits' side bearings differ a little
