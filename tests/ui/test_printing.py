"""Print preview, printing through QPrinter and saving, and the receipt printed when a sale is
issued, with real widgets (offscreen Qt has no printers: a PDF-file QPrinter stands in)."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from posapp.render.registry import render_invoice
from posapp.render.sample import SAMPLE_BRANDING, sample_invoice
from posapp.settings.documents import (
    INVOICE_THEME,
    PRINT_RECEIPT_ON_ISSUE,
    RECEIPT_PRINTER,
    DocumentKind,
)
from posapp.settings.store import SettingsStore
from posapp.ui import invoice_actions, printing


@pytest.fixture(scope="module")
def carbon_pdf():
    return render_invoice(sample_invoice(), SAMPLE_BRANDING, "carbon")


@pytest.fixture(scope="module")
def receipt_pdf():
    return render_invoice(sample_invoice(), SAMPLE_BRANDING, "receipt")


def test_preview_shows_every_page_and_zooms(qtbot, carbon_pdf):
    dialog = printing.PrintPreviewDialog(carbon_pdf)
    qtbot.addWidget(dialog)
    assert dialog.page_count == 2
    width = dialog.page_labels[0].pixmap().width()
    assert width == pytest.approx(210 / 25.4 * printing.SCREEN_DPI, rel=0.02)
    dialog.zoom_in_button.click()
    assert dialog.page_labels[0].pixmap().width() > width
    for _ in range(10):
        dialog.zoom_out_button.click()
    assert dialog.zoom == printing.ZOOM_STEPS[0]
    assert not dialog.zoom_out_button.isEnabled()
    assert not dialog.receipt_button.isVisibleTo(dialog)  # no receipt printer configured


def printed_to(tmp_path, name, pdf):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(150)
    output = tmp_path / name
    printer.setOutputFileName(str(output))
    assert printing.print_pdf(pdf, printer)
    return pdfium.PdfDocument(output.read_bytes())


def test_printing_paints_every_page_on_the_documents_own_paper(qtbot, tmp_path, carbon_pdf):
    document = printed_to(tmp_path, "printed.pdf", carbon_pdf)
    assert len(document) == 2
    width, height = document[0].get_size()
    assert (width, height) == (pytest.approx(595, abs=2), pytest.approx(842, abs=2))
    # The page carries the raster, not an empty sheet: it is mostly white but not all white.
    image = document[0].render(scale=0.5, grayscale=True).to_pil()
    dark = image.convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255]
    assert 0 < dark < image.width * image.height / 4
    document.close()


def test_a_receipt_prints_on_a_slip_as_long_as_the_receipt(qtbot, tmp_path, receipt_pdf):
    expected_width, expected_height = printing.page_sizes(receipt_pdf)[0]
    document = printed_to(tmp_path, "receipt.pdf", receipt_pdf)
    width, height = document[0].get_size()
    assert width == pytest.approx(expected_width, abs=2)
    assert height == pytest.approx(expected_height, abs=2)
    document.close()


def test_an_unknown_receipt_printer_is_reported_in_persian_and_english(qtbot, receipt_pdf):
    with pytest.raises(printing.PrinterNotFoundError) as error:
        printing.print_pdf(receipt_pdf, "no-such-printer-xyz")
    assert "no-such-printer-xyz" in error.value.message_fa
    assert "not found" in error.value.message_en


def test_save_pdf_writes_the_bytes_and_adds_the_extension(qtbot, tmp_path, monkeypatch, receipt_pdf):
    target = tmp_path / "slip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    saved = printing.save_pdf(receipt_pdf)
    assert saved == target.with_suffix(".pdf")
    assert saved.read_bytes() == receipt_pdf
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert printing.save_pdf(receipt_pdf) is None


def test_preview_invoice_uses_the_settings(qtbot, tmp_path):
    settings = SettingsStore(tmp_path / "settings.json")
    settings.set(INVOICE_THEME, "carbon")
    settings.set(RECEIPT_PRINTER, "Thermal-80")
    dialog = printing.preview_invoice(sample_invoice(), None, settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.page_count == 2  # carbon: seller's and buyer's copy
    assert dialog.receipt_button.isVisibleTo(dialog)
    assert dialog.suggested_name == "invoice-1A-000042-carbon.pdf"
    receipt = printing.preview_invoice(sample_invoice(), None, kind=DocumentKind.RECEIPT, settings=settings)
    qtbot.addWidget(receipt)
    assert receipt.page_count == 1


def test_monochrome_pages_are_one_bit_at_thermal_resolution(qtbot, receipt_pdf):
    (grey,) = printing.print_images(receipt_pdf, 203)
    (mono,) = printing.print_images(receipt_pdf, 203, monochrome=True)
    assert grey.format() == QImage.Format.Format_RGB888
    assert mono.format() == QImage.Format.Format_Mono
    assert mono.width() == pytest.approx(80 / 25.4 * 203, abs=2)  # about 640 dots


def test_print_receipt_reports_a_missing_configured_printer(qtbot, tmp_path):
    settings = SettingsStore(tmp_path / "settings.json")
    settings.set(RECEIPT_PRINTER, "no-such-thermal-printer")
    with pytest.raises(printing.PrinterNotFoundError):
        printing.print_receipt(sample_invoice(), None, settings=settings)


# -- the receipt printed when a sale is issued -------------------------------------------------

def _sell_milk(window):
    window.editor.scan("1001")
    return window.editor.quick_cash()


def _pdf_printers(monkeypatch, tmp_path, name):
    """Stand-in for the installed printer `name`: each print goes to a new PDF file."""
    printed = []

    def system_printer(wanted):
        if wanted != name:
            raise printing.PrinterNotFoundError(wanted)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setResolution(203)
        output = tmp_path / f"receipt-{len(printed) + 1}.pdf"
        printer.setOutputFileName(str(output))
        printed.append(output)
        return printer

    monkeypatch.setattr(printing, "system_printer", system_printer)
    return printed


def _no_print_dialog(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("a print dialog was opened at the till")

    monkeypatch.setattr(printing, "QPrintDialog", refuse)


def test_an_issued_sale_prints_its_receipt_on_the_receipt_printer(window, services, qtbot,
                                                                  monkeypatch, tmp_path):
    window.store.set(PRINT_RECEIPT_ON_ISSUE, True)
    window.store.set(RECEIPT_PRINTER, "Thermal-80")
    printed = _pdf_printers(monkeypatch, tmp_path, "Thermal-80")
    _no_print_dialog(monkeypatch)
    issued = _sell_milk(window)
    qtbot.waitUntil(lambda: bool(printed) and printed[0].exists())
    document = pdfium.PdfDocument(printed[0].read_bytes())
    width, _height = document[0].get_size()
    assert width == pytest.approx(80 / 25.4 * 72, abs=2)  # the receipt theme on an 80 mm roll
    document.close()
    assert "چاپ نشد" not in window.statusBar().currentMessage()
    assert services.invoicing.get_by_number(issued.number).number == issued.number


def test_a_missing_receipt_printer_is_reported_and_the_sale_is_kept(window, services, qtbot,
                                                                     monkeypatch):
    window.store.set(PRINT_RECEIPT_ON_ISSUE, True)
    window.store.set(RECEIPT_PRINTER, "no-such-thermal-printer")
    _no_print_dialog(monkeypatch)
    issued = _sell_milk(window)
    status = window.statusBar()
    qtbot.waitUntil(lambda: "چاپ نشد" in status.currentMessage())
    message = status.currentMessage()
    assert "no-such-thermal-printer" in message
    assert "ذخیره شده است" in message
    assert "صادر شد" in message  # the editor's own message is kept, not overwritten
    assert services.invoicing.get_by_number(issued.number).totals.payable > 0
    assert window.history.model.rowCount() == 1


def test_with_no_receipt_printer_the_status_bar_says_what_to_configure(window, services, qtbot,
                                                                        monkeypatch):
    window.store.set(PRINT_RECEIPT_ON_ISSUE, True)
    _no_print_dialog(monkeypatch)
    issued = _sell_milk(window)
    status = window.statusBar()
    qtbot.waitUntil(lambda: "چاپ نشد" in status.currentMessage())
    assert "چاپگر رسید انتخاب نشده" in status.currentMessage()
    assert services.invoicing.get_by_number(issued.number).number == issued.number


def test_nothing_prints_on_issue_while_the_setting_is_off(window, qtbot, monkeypatch, tmp_path):
    window.store.set(RECEIPT_PRINTER, "Thermal-80")
    printed = _pdf_printers(monkeypatch, tmp_path, "Thermal-80")
    _sell_milk(window)
    qtbot.wait(50)
    assert printed == []


def test_a_return_issued_from_the_return_dialog_prints_too(window, qtbot, monkeypatch, tmp_path):
    window.store.set(PRINT_RECEIPT_ON_ISSUE, True)
    window.store.set(RECEIPT_PRINTER, "Thermal-80")
    printed = _pdf_printers(monkeypatch, tmp_path, "Thermal-80")
    sale = _sell_milk(window)
    qtbot.waitUntil(lambda: len(printed) == 1)

    class ReturnEverything(invoice_actions.ReturnDialog):
        def exec(self):
            self.set_quantity(0, "1")
            self.accept()
            return self.result()

    monkeypatch.setattr(invoice_actions, "ReturnDialog", ReturnEverything)
    window.start_return(sale.number)
    assert window.last_issued.original_number == sale.number
    qtbot.waitUntil(lambda: len(printed) == 2 and printed[1].exists())


def test_the_previews_receipt_button_prints_the_till_receipt_not_the_pages_shown(
        qtbot, store, monkeypatch, tmp_path):
    store.set(RECEIPT_PRINTER, "Thermal-80")
    printed = _pdf_printers(monkeypatch, tmp_path, "Thermal-80")
    dialog = printing.preview_invoice(sample_invoice(), None, settings=store)
    qtbot.addWidget(dialog)
    assert dialog.page_labels[0].pixmap().width() > 500  # an A4 page is shown
    assert dialog.receipt_button.isVisibleTo(dialog)
    dialog.receipt_button.click()
    document = pdfium.PdfDocument(printed[0].read_bytes())
    width, _height = document[0].get_size()
    assert width == pytest.approx(80 / 25.4 * 72, abs=2)
    document.close()
