"""The document service and `posapp render`: settings choose the theme, issued invoices are
found by number in a real database, the sample needs none."""

from __future__ import annotations

import dataclasses

import pypdfium2 as pdfium
import pytest

from posapp.cli import main
from posapp.domain.errors import NotFoundError
from posapp.domain.invoice import Party, PartyKind
from posapp.render.sample import SAMPLE_LINES, sample_invoice
from posapp.services.context import AppServices
from posapp.services.documents import (
    DocumentService,
    document_kind_for,
    options_from_settings,
    theme_for,
)
from posapp.settings.documents import (
    CARBON_COPIES,
    INVOICE_THEME,
    PAPER,
    RECEIPT_WIDTH_MM,
    DocumentKind,
)
from posapp.settings.shop import SHOP_NAME
from posapp.settings.store import SettingsStore
from tests.render.support import contains, page_texts


@pytest.fixture
def settings(tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    store.set(SHOP_NAME, "فروشگاه آزمایشی")
    return store


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'posapp.sqlite3'}"


@pytest.fixture
def issued(database_url, settings):
    """An invoice issued through the real invoicing service and its SQLite store."""
    with AppServices.open(database_url, settings=settings) as services:
        draft = dataclasses.replace(services.invoicing.new_draft("علی"), lines=SAMPLE_LINES[:3])
        return services.invoicing.issue(draft)


def test_theme_per_kind_falls_back_on_unknown_names(settings):
    assert theme_for(settings, DocumentKind.INVOICE) == "modern"
    assert theme_for(settings, DocumentKind.RECEIPT) == "receipt"
    assert theme_for(settings, DocumentKind.OFFICIAL) == "formal"
    settings.set(INVOICE_THEME, "carbon")
    assert theme_for(settings, DocumentKind.INVOICE) == "carbon"
    settings.set(INVOICE_THEME, "no-such-theme")
    assert theme_for(settings, DocumentKind.INVOICE) == "modern"


def test_options_come_from_settings_and_bad_values_are_defaulted(settings):
    settings.set(PAPER, "A5")
    settings.set(RECEIPT_WIDTH_MM, 58)
    settings.set(CARBON_COPIES, False)
    options = options_from_settings(settings, "modern")
    assert (options.paper, options.receipt_width_mm, options.copies) == ("A5", 58, ())
    assert options_from_settings(settings, "formal").paper is None  # formal is A4 only
    settings.set(RECEIPT_WIDTH_MM, 99)
    assert options_from_settings(settings, "receipt").receipt_width_mm == 80


def test_render_by_number_from_the_database(database_url, settings, issued):
    with AppServices.open(database_url, settings=settings) as services:
        documents = DocumentService(services.invoicing, services.settings)
        rendered = documents.render_number(issued.number, DocumentKind.RECEIPT)
        assert rendered.theme == "receipt"
        assert rendered.file_name == f"receipt-{issued.number}-receipt.pdf"
        text = page_texts(rendered.pdf)[0]
        assert contains(text, "فروشگاه آزمایشی")
        assert contains(text, "چای ایرانی قلم لاهیجان")
        with pytest.raises(NotFoundError):
            documents.render_number("9Z-999999")


def test_render_a_draft_with_the_invoice_theme(settings):
    documents = DocumentService(invoices=None, settings=settings)
    rendered = documents.render(sample_invoice(), DocumentKind.OFFICIAL)
    assert rendered.theme == "formal"
    assert contains(page_texts(rendered.pdf)[0], "صورتحساب فروش کالا و خدمات")


@pytest.mark.parametrize(("theme", "extra", "pages"), [
    ("modern", [], 1), ("formal", [], 1), ("carbon", [], 2), ("carbon", ["--copies", "none"], 1),
    ("receipt", ["--width", "58"], 1),
])
def test_cli_renders_the_sample(theme, extra, pages, tmp_path, capsys):
    out = tmp_path / f"{theme}.pdf"
    assert main(["render", "--sample", "--theme", theme, *extra, "--out", str(out)]) == 0
    document = pdfium.PdfDocument(out.read_bytes())
    assert len(document) == pages
    if theme == "receipt":
        assert document[0].get_size()[0] == pytest.approx(58 / 25.4 * 72)
    document.close()


def test_cli_renders_an_issued_invoice_and_reports_unknown_numbers(database_url, issued, tmp_path, capsys):
    out = tmp_path / "issued.pdf"
    assert main(["--database-url", database_url, "render", issued.number, "--theme", "formal",
                 "--out", str(out)]) == 0
    assert contains(page_texts(out.read_bytes())[0], "صورتحساب")
    assert main(["--database-url", database_url, "render", "9Z-999999", "--out", str(out)]) == 1
    assert "پیدا نشد" in capsys.readouterr().err


def test_cli_needs_a_number_or_sample(tmp_path, capsys):
    assert main(["render", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "--sample" in capsys.readouterr().err


def test_business_buyers_get_the_official_form():
    sale = sample_invoice()
    assert document_kind_for(dataclasses.replace(sale, buyer=None)) is DocumentKind.INVOICE
    assert document_kind_for(dataclasses.replace(sale, buyer=Party("علی رضایی"))) is DocumentKind.INVOICE
    company = Party("شرکت نمونه", kind=PartyKind.LEGAL, national_id="10101234567")
    assert document_kind_for(dataclasses.replace(sale, buyer=company)) is DocumentKind.OFFICIAL
    trader = Party("علی رضایی", economic_code="411111554876")
    assert document_kind_for(dataclasses.replace(sale, buyer=trader)) is DocumentKind.OFFICIAL


@pytest.mark.parametrize(("theme", "extra"), [
    ("modern", ["--paper", "A5"]), ("formal", []), ("carbon", ["--logo", "tall"]),
    ("receipt", ["--width", "58"]),
])
def test_cli_renders_the_torture_sample_and_names_what_the_font_lacks(theme, extra, tmp_path, capsys):
    out = tmp_path / f"torture-{theme}.pdf"
    assert main(["render", "--torture", "--theme", theme, *extra, "--out", str(out)]) == 0
    assert "✓" in capsys.readouterr().err
    assert main(["render", "--torture", "return", "--theme", theme, *extra, "--out", str(out)]) == 0
    assert len(pdfium.PdfDocument(out.read_bytes())) >= 1


def test_cli_takes_one_source_only(tmp_path, capsys):
    assert main(["render", "--sample", "--torture", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "--torture" in capsys.readouterr().err
