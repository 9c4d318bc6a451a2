"""Every theme renders the sample invoice as it should look, and wrong Persian would fail.

Pages are compared with reference images in tests/render/reference/ (see support.py for how
to regenerate them after an intended change).
"""

from __future__ import annotations

import dataclasses

import pypdfium2 as pdfium
import pytest

from posapp.domain.formatting import format_amount
from posapp.domain.invoice import InvoiceKind
from posapp.render import shaping
from posapp.render.document import RenderOptions
from posapp.render.registry import RENDERERS
from posapp.render.sample import SAMPLE_BRANDING, sample_invoice
from posapp.render.theme import load_theme
from tests.render.support import TOLERANCE, contains, page_texts, reference_difference

CASES = {
    "modern-a4": ("modern", {}),
    "modern-a5": ("modern", {"paper": "A5"}),
    "formal": ("formal", {}),
    "receipt-80": ("receipt", {"receipt_width_mm": 80}),
    "receipt-58": ("receipt", {"receipt_width_mm": 58}),
    "carbon": ("carbon", {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_sample_matches_reference(case, sample, render):
    theme, options = CASES[case]
    assert reference_difference(case, render(sample, theme, **options)) <= TOLERANCE


@pytest.mark.parametrize("case", ["modern-a4", "receipt-80"])
def test_disabled_shaping_differs_beyond_tolerance(case, sample, render, monkeypatch, fresh_caches):
    unjoined = dict.fromkeys(("init", "medi", "fina", "isol", "rlig", "calt", "liga"), False)
    monkeypatch.setattr(shaping, "_FEATURES", unjoined)
    theme, options = CASES[case]
    assert reference_difference(case, render(sample, theme, **options)) > 10 * TOLERANCE


@pytest.mark.parametrize("case", ["modern-a4", "formal", "receipt-80"])
def test_disabled_bidi_differs_beyond_tolerance(case, sample, render, monkeypatch, fresh_caches):
    monkeypatch.setattr(shaping, "bidi_levels", lambda text, rtl: [0] * len(text))
    theme, options = CASES[case]
    assert reference_difference(case, render(sample, theme, **options)) > 10 * TOLERANCE


def test_left_to_right_column_order_differs_beyond_tolerance(sample):
    theme = load_theme("formal")
    wrong = dataclasses.replace(theme, columns=tuple(reversed(theme.columns)))
    pdf = RENDERERS["formal"](wrong).render(sample, SAMPLE_BRANDING)
    assert reference_difference("formal", pdf) > 10 * TOLERANCE


@pytest.mark.parametrize("theme", sorted(RENDERERS))
def test_totals_appear_in_the_extracted_text(theme, sample, render):
    text = "\n".join(page_texts(render(sample, theme)))
    totals = sample.totals
    for amount in (totals.payable, totals.tax, totals.change):
        assert format_amount(amount, with_unit=False) in text
    assert contains(text, "۰۰۰۰۴۲")
    assert contains(text, "۱۴۰۵/۰۹/۰۲")


def test_receipt_is_one_page_as_tall_as_its_content(render):
    short = render(sample_invoice(line_count=2), "receipt")
    long = render(sample_invoice(line_count=30), "receipt")
    heights = []
    for pdf in (short, long):
        document = pdfium.PdfDocument(pdf)
        assert len(document) == 1
        width, height = document[0].get_size()
        assert width == pytest.approx(80 / 25.4 * 72)
        heights.append(height)
    assert heights[1] > heights[0] + 28 * 25  # every extra line adds height, no second page


def test_cancelled_and_returned_invoices_are_marked(render):
    cancelled = "\n".join(page_texts(render(sample_invoice(cancelled=True), "modern")))
    assert contains(cancelled, "باطل شده")
    assert contains(cancelled, "درخواست مشتری")  # the reason is printed
    returned = "\n".join(page_texts(render(sample_invoice(kind=InvoiceKind.RETURN), "carbon")))
    assert returned.count("برگشت از فروش") >= 2  # the title and the stamp on each copy
    assert "۰۰۰۰۳۱" in returned  # names the original invoice


def test_carbon_prints_a_seller_copy_and_a_buyer_copy(sample, render):
    texts = page_texts(render(sample, "carbon"))
    assert len(texts) == 2
    assert contains(texts[0], "نسخه فروشنده")
    assert contains(texts[1], "نسخه خریدار")
    assert all("صفحه ۱ از ۱" in t for t in texts)  # each copy counts its own pages
    single = page_texts(render(sample, "carbon", copies=()))
    assert len(single) == 1
    assert not contains(single[0], "نسخه")


def test_an_unknown_paper_for_a_theme_is_refused(sample):
    with pytest.raises(ValueError, match="A4"):
        RENDERERS["formal"](load_theme("formal"), RenderOptions(paper="A5")).render(sample, SAMPLE_BRANDING)


TORTURE_CASES = {
    **{f"torture-{case}": (theme, options, "sale", "wide") for case, (theme, options) in CASES.items()},
    "torture-carbon-a5": ("carbon", {"paper": "A5", "copies": ()}, "sale", "wide"),
    "torture-tall-logo-modern-a4": ("modern", {}, "sale", "tall"),
    "torture-tall-logo-receipt-58": ("receipt", {"receipt_width_mm": 58}, "sale", "tall"),
    "torture-return-formal": ("formal", {}, "return", "wide"),
    "torture-return-carbon": ("carbon", {}, "return", "wide"),
    "torture-cancelled-modern-a4": ("modern", {}, "cancelled", "wide"),
    "torture-cancelled-receipt-80": ("receipt", {"receipt_width_mm": 80}, "cancelled", "wide"),
}


@pytest.mark.parametrize("case", sorted(TORTURE_CASES))
def test_torture_sample_matches_reference(case, render):
    """Issue 11: the torture sample (posapp render --torture) in every theme and size, its
    return and cancellation, with a wide and a tall logo; each page was looked at."""
    from posapp.render.sample import torture_branding, torture_invoice

    theme, options, variant, logo = TORTURE_CASES[case]
    pdf = render(torture_invoice(variant), theme, branding=torture_branding(logo), **options)
    assert reference_difference(case, pdf) <= TOLERANCE


def figures_of(invoice):
    """Each line's discount and tax as printed (non-zero ones)."""
    return [format_amount(value, with_unit=False) for totals in invoice.totals.lines
            for value in (totals.discount, totals.tax) if value]


@pytest.mark.parametrize(("theme", "paper"), [("modern", "A5"), ("carbon", "A4"), ("carbon", "A5")])
def test_every_lines_discount_and_tax_is_printed_on_every_paper(theme, paper, sample, render):
    """Issue 11 item 9: modern A5 dropped discount and tax, carbon the tax (A5 also discount)."""
    text = "\n".join(page_texts(render(sample, theme, paper=paper, copies=())))
    assert [f for f in figures_of(sample) if f not in text] == []


def test_a_six_line_invoice_fits_one_a5_page(sample, render):
    """Issue 11 item 9: the six-line sample took two half-empty A5 pages."""
    assert len(page_texts(render(sample, "modern", paper="A5"))) == 1


def test_carbon_spares_toner(sample, render):
    """Issue 11 item 9: carbon's solid black table header on every page wasted toner."""
    from tests.render.support import pages

    page = pages(render(sample, "carbon", copies=()), scale=50 / 72)[0]
    dark = sum(page.histogram()[:64]) / (page.width * page.height)
    assert dark < 0.02
