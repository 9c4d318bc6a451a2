"""What is on the page: the payment QR, pagination of long invoices, and user text that must
never be read as markup."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from posapp.domain.invoice import InvoiceKind, InvoiceLine, Party
from posapp.render.document import Branding
from posapp.render.registry import RENDERERS
from posapp.render.sample import SAMPLE_BRANDING, SAMPLE_LINES, SAMPLE_PAYMENT_LINK, sample_invoice
from tests.render.support import contains, page_texts, pages

HOSTILE = {
    "name": "<font size=80>X</font>",
    "description": "a & b <b",
    "notes": '<img src=/etc/passwd>\n<a href="javascript:x">',
}


def decoded(pdf: bytes, dpi: float, *, one_bit: bool = False) -> list[str]:
    results = []
    for image in pages(pdf, scale=dpi / 72):
        if one_bit:
            image = image.point(lambda v: 255 if v > 127 else 0).convert("1")
        results += [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    return results


@pytest.mark.parametrize("theme", sorted(RENDERERS))
def test_payment_qr_decodes_to_the_link(theme, sample, render):
    assert decoded(render(sample, theme), 150) == [SAMPLE_PAYMENT_LINK] * (2 if theme == "carbon" else 1)


@pytest.mark.parametrize("width", [58, 80])
def test_receipt_qr_decodes_at_thermal_resolution_in_black_and_white(width, sample, render):
    assert decoded(render(sample, "receipt", receipt_width_mm=width), 203, one_bit=True) == [SAMPLE_PAYMENT_LINK]


def test_no_qr_without_a_payment_link(render):
    assert decoded(render(sample_invoice(payment_link=None), "modern"), 150) == []


@pytest.fixture(scope="module")
def long_invoice():
    return sample_invoice(line_count=200)


@pytest.mark.parametrize("theme", ["formal", "modern"])
def test_a_200_line_invoice_repeats_the_header_and_counts_pages(theme, long_invoice, render):
    texts = page_texts(render(long_invoice, theme))
    count = len(texts)
    assert count >= 4
    for number, text in enumerate(texts, start=1):
        persian = str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        total = str(count).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        assert contains(text, f"صفحه {persian} از {total}")
        assert contains(text, "۰۰۰۰۴۲")  # the running header names the invoice
        if number < count:  # the last page may hold only the totals and signatures
            assert contains(text, "شرح کالا یا خدمات")  # the table's header row repeats
    # The catalogue cycles every ten lines: each name is printed twenty times, none lost
    # or doubled at a page break.
    assert "\n".join(texts).count("فرابکر") == 20


@pytest.fixture(scope="module")
def hostile_invoice():
    lines = (InvoiceLine(HOSTILE["description"], Decimal(1), Decimal(1_000_000)), *SAMPLE_LINES[1:])
    return sample_invoice(buyer=Party(name=HOSTILE["name"]), notes=HOSTILE["notes"], lines=lines)


@pytest.fixture(scope="module")
def logo(tmp_path_factory):
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    Image.new("RGB", (120, 60), (15, 118, 110)).save(path)
    return path


@pytest.mark.parametrize("theme", sorted(RENDERERS))
def test_hostile_text_is_printed_literally(theme, hostile_invoice, logo, render):
    branding = Branding(shop_name=SAMPLE_BRANDING.shop_name, logo_path=logo)
    pdf = render(hostile_invoice, theme, branding=branding)
    reader = read_pdf(pdf)
    text = "\n".join(page_texts(pdf))
    for literal in (HOSTILE["name"], HOSTILE["description"], *HOSTILE["notes"].split("\n")):
        assert contains(text, literal)
    for page in reader.pages:
        assert "/Annots" not in page  # no javascript: link was made
        images = list(page.images)
        assert len(images) <= 1  # the logo at most; nothing from /etc/passwd
    assert_no_giant_text(pdf)


def read_pdf(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def assert_no_giant_text(pdf: bytes) -> None:
    """`<font size=80>` must not have changed any glyph's size: nothing taller than a title."""
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            text_page = page.get_textpage()
            for index in range(text_page.count_chars()):
                _, bottom, _, top = text_page.get_charbox(index)
                assert top - bottom < 30
    finally:
        document.close()


def test_logo_is_drawn_once_per_page(sample, logo, render):
    branding = Branding(shop_name="فروشگاه", logo_path=logo)
    reader = read_pdf(render(sample, "modern", branding=branding))
    assert [len(page.images) for page in reader.pages] == [1] * len(reader.pages)


def test_a_missing_logo_is_skipped_not_fatal(sample, tmp_path, render):
    branding = Branding(shop_name="فروشگاه", logo_path=tmp_path / "missing.png")
    assert page_texts(render(sample, "modern", branding=branding))


@pytest.mark.parametrize("theme", sorted(RENDERERS))
def test_very_long_notes_flow_over_pages_instead_of_failing(theme, render):
    notes = " ".join(f"بند{i:03d} از شرایط فروش و تحویل کالا." for i in range(150))
    texts = page_texts(render(sample_invoice(notes=notes), theme, copies=()))  # one copy
    # pdfium reads a word of letters and digits in its own order (بند۰۰۱ or ۱۰۰بند), so the
    # clauses are counted, and the last one looked for
    printed = "\n".join(texts)
    assert len(re.findall("بند[۰-۹]|[۰-۹]بند", printed)) == 150  # each clause once, none lost
    assert "۱۴۹" in printed or "۹۴۱" in printed
    if theme != "receipt":
        assert len(texts) >= 2


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "http://evil.example.com/pay", "https://pay.example.ir/i/1",
    "https://pay.pod.ir.evil.example/x", "https://user@pay.pod.ir/x",
])
@pytest.mark.parametrize("theme", sorted(RENDERERS))
def test_a_link_the_screen_would_refuse_is_never_printed(theme, link, render):
    """Issue 11 item 5: a stored javascript: or http:// link was drawn as a QR."""
    assert decoded(render(sample_invoice(payment_link=link), theme), 150) == []


@pytest.mark.parametrize("theme", sorted(RENDERERS))
def test_no_qr_once_nothing_is_due(theme, render):
    """Issue 11 item 5: a card-paid sale still printed «پرداخت آنلاین: کد را اسکن کنید»."""
    paid = sample_invoice(paid_in_full=True)
    pdf = render(paid, theme)
    assert decoded(pdf, 150) == []
    assert not contains("\n".join(page_texts(pdf)), "کد را اسکن کنید")


def test_no_qr_on_a_cancelled_invoice(render):
    assert decoded(render(sample_invoice(cancelled=True), "modern"), 150) == []


@pytest.mark.parametrize("theme", ["modern", "carbon", "receipt", "formal"])
def test_a_return_reads_as_a_refund(theme, render):
    """Issue 11 item 7: a return showed «مبلغ قابل پرداخت» and «مانده حساب»."""
    text = "\n".join(page_texts(render(sample_invoice(kind=InvoiceKind.RETURN), theme)))
    assert contains(text, "مبلغ برگشتی به خریدار")
    assert contains(text, "استرداد از طریق")
    assert "قابل پرداخت" not in text


@pytest.mark.parametrize("theme", sorted(RENDERERS))
def test_rendering_reports_the_characters_the_font_lacks(theme):
    """Issue 11 item 2: emoji and ✓ vanished without a word; now they print as � and are named."""
    from posapp.render.registry import renderer_for
    from posapp.render.sample import TORTURE_BRANDING, torture_invoice

    _pdf, missing = renderer_for(theme).render_checked(torture_invoice(), TORTURE_BRANDING)
    assert missing == {"✓", "😀"}
