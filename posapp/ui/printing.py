"""Print preview, printing and saving of rendered invoices (PDF bytes from the document service).

The small API the rest of the GUI calls:

- `PrintPreviewDialog(pdf_bytes, parent)`: the pages as the printer will get them, with zoom,
  print, send-to-receipt-printer and save-as-PDF buttons;
- `print_pdf(pdf_bytes, printer=None, parent=None)`: through Qt's print dialog (printer None),
  to a system printer by name (a str, e.g. the configured receipt printer), or to a QPrinter;
- `save_pdf(pdf_bytes, parent, suggested_name)`: ask for a file name and write the PDF;
- `preview_invoice(invoice, parent)`: render with the shop's settings and open the preview;
- `print_receipt(invoice, parent)`: the till slip straight to the configured receipt printer;
- `print_receipt_after_issue(invoice, settings, display)`: the same for a sale just issued, never
  opening a dialog and never raising; it returns what the status bar should say when it could
  not print.

Pages are rasterised with pypdfium2 and painted at the printer's resolution, so what prints is
exactly what was previewed, Persian shaping included, on any driver (thermal ones too). All of
it runs on the GUI thread: rendering an invoice takes tens of milliseconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice
from posapp.services.documents import DocumentService
from posapp.settings.documents import RECEIPT_PRINTER, DocumentKind
from posapp.settings.store import SettingsStore
from posapp.ui.display import Display
from posapp.ui.i18n import current_language
from posapp.ui.messages import error_text, show_warning

log = logging.getLogger(__name__)

POINTS_PER_INCH = 72.0
SCREEN_DPI = 96.0
MAX_PRINT_DPI = 600
"""Rasterising above this only costs memory: no office or thermal printer resolves more."""
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)


class PrinterNotFoundError(DomainError):
    """The configured printer is not installed on this computer."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"چاپگر «{name}» روی این رایانه پیدا نشد؛ نام چاپگر رسید را در تنظیمات بررسی کنید",
            f"printer '{name}' was not found on this computer; check the receipt printer setting",
        )


class PrintFailedError(DomainError):
    def __init__(self) -> None:
        super().__init__("چاپ انجام نشد؛ چاپگر را بررسی کنید", "printing failed; check the printer")


def page_sizes(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """Width and height of each page in points."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        return [document.get_page_size(index) for index in range(len(document))]
    finally:
        document.close()


def rasterise(pdf_bytes: bytes, dpi: float) -> list[QImage]:
    """Every page as an RGB QImage at `dpi` (each image owns its pixels)."""
    document = pdfium.PdfDocument(pdf_bytes)
    images = []
    try:
        for page in document:
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888)
            images.append(image.copy())
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images


def _prepare(printer: QPrinter, first_page: tuple[float, float]) -> None:
    """Give the printer the document's own paper (A4, A5 landscape, an 80 mm slip) and no
    margins: the PDF already has its own."""
    width, height = first_page
    orientation = (QPageLayout.Orientation.Landscape if width > height
                   else QPageLayout.Orientation.Portrait)
    size = QPageSize(QSizeF(min(width, height), max(width, height)), QPageSize.Unit.Point,
                     "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)


def print_images(pdf_bytes: bytes, dpi: float, *, monochrome: bool = False) -> list[QImage]:
    """The pages as they go to a printer. `monochrome` thresholds them to 1 bit, which thermal
    printers print crisper than their drivers' own dithering of grey anti-aliasing."""
    images = rasterise(pdf_bytes, dpi)
    if monochrome:
        images = [image.convertToFormat(QImage.Format.Format_Mono, Qt.ImageConversionFlag.ThresholdDither)
                  for image in images]
    return images


def paint_pages(printer: QPrinter, pdf_bytes: bytes, *, monochrome: bool = False) -> int:
    """Paint every page onto `printer` at its resolution; returns the number of pages."""
    images = print_images(pdf_bytes, min(printer.resolution(), MAX_PRINT_DPI), monochrome=monochrome)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailedError()
    try:
        for index, image in enumerate(images):
            if index:
                printer.newPage()
            target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            scaled = QSizeF(image.size()).scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.topLeft(), scaled), image)
    finally:
        painter.end()
    return len(images)


def system_printer(name: str) -> QPrinter:
    """The printer installed under `name`, in high resolution; PrinterNotFoundError if this
    computer has none by that name. Every print by printer name goes through here (tests put a
    PDF-file printer in its place)."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrinterNotFoundError(name)
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def print_pdf(pdf_bytes: bytes, printer: QPrinter | str | None = None,
              parent: QWidget | None = None, *, monochrome: bool = False) -> bool:
    """Print the PDF. `printer` None opens Qt's print dialog (False if the user cancels);
    a name sends it straight to that system printer (PrinterNotFoundError if there is none);
    a QPrinter is used as it is configured. See `paint_pages` for `monochrome`."""
    sizes = page_sizes(pdf_bytes)
    if isinstance(printer, QPrinter):
        target = printer
        _prepare(target, sizes[0])
    elif isinstance(printer, str):
        target = system_printer(printer)
        _prepare(target, sizes[0])
    else:
        target = QPrinter(QPrinter.PrinterMode.HighResolution)
        _prepare(target, sizes[0])
        dialog = QPrintDialog(target, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    paint_pages(target, pdf_bytes, monochrome=monochrome)
    return True


def save_pdf(pdf_bytes: bytes, parent: QWidget | None = None,
             suggested_name: str = "invoice.pdf") -> Path | None:
    """Ask where to save and write the PDF; None if the user cancels. A write error is shown
    to the user and re-raised as OSError for the caller's log."""
    path, _ = QFileDialog.getSaveFileName(
        parent, QDialog.tr("ذخیره به صورت PDF"), suggested_name, QDialog.tr("سند PDF (*.pdf)"),
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_suffix(".pdf")
    target.write_bytes(pdf_bytes)
    return target


class PrintPreviewDialog(QDialog):
    """Shows the rendered pages; prints, saves the PDF, or prints the till receipt.

    With a receipt printer (its system name) and `receipt()` (the same invoice rendered as a
    till receipt, made only when asked for), a button sends the receipt straight to that
    printer without the print dialog; the pages shown are never sent to a receipt printer."""

    def __init__(self, pdf_bytes: bytes, parent: QWidget | None = None, *,
                 receipt_printer: str = "", receipt: Callable[[], bytes] | None = None,
                 send_receipt: Callable[[], None] | None = None,
                 suggested_name: str = "invoice.pdf") -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(self.tr("پیش‌نمایش چاپ"))
        self.pdf_bytes = pdf_bytes
        self.suggested_name = suggested_name
        self.receipt_printer = receipt_printer
        self.receipt = receipt
        self.send_receipt = send_receipt
        """Queues the receipt for an ESC/POS printer instead (see posapp.ui.counter)."""
        self._zoom_index = ZOOM_STEPS.index(1.0)
        self._images = rasterise(pdf_bytes, SCREEN_DPI * max(ZOOM_STEPS) / 2)

        self.pages_box = QWidget()
        self.pages_box.setObjectName("previewPages")
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        for index in range(len(self._images)):
            label = QLabel()
            label.setObjectName(f"previewPage{index}")
            label.setFrameShape(QLabel.Shape.Box)
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(self.pages_box)
        scroll.setWidgetResizable(True)

        self.print_button = QPushButton(self.tr("چاپ…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self._on_print)
        self.receipt_button = QPushButton(self.tr("چاپ رسید صندوق"))
        self.receipt_button.setVisible(
            (bool(receipt_printer) and receipt is not None) or send_receipt is not None)
        self.receipt_button.setToolTip(receipt_printer)
        self.receipt_button.clicked.connect(self._on_print_receipt)
        self.save_button = QPushButton(self.tr("ذخیره PDF…"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self._on_save)
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.zoom_in_button.clicked.connect(lambda: self.set_zoom_index(self._zoom_index + 1))
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.zoom_out_button.clicked.connect(lambda: self.set_zoom_index(self._zoom_index - 1))
        close_button = QPushButton(self.tr("بستن"))
        close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        for button in (self.print_button, self.receipt_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.zoom_out_button, self.zoom_in_button, close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.set_zoom_index(self._zoom_index)
        self.resize(900, 1000)

    @property
    def zoom(self) -> float:
        return ZOOM_STEPS[self._zoom_index]

    @property
    def page_count(self) -> int:
        return len(self._images)

    def set_zoom_index(self, index: int) -> None:
        self._zoom_index = max(0, min(len(ZOOM_STEPS) - 1, index))
        scale = self.zoom / (max(ZOOM_STEPS) / 2)
        for label, image in zip(self.page_labels, self._images, strict=True):
            size = image.size() * scale
            label.setPixmap(QPixmap.fromImage(image).scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation,
            ))
        self.zoom_out_button.setEnabled(self._zoom_index > 0)
        self.zoom_in_button.setEnabled(self._zoom_index < len(ZOOM_STEPS) - 1)

    def _report(self, error: BaseException) -> None:
        log.warning("printing failed: %s", error)
        show_warning(self, self.tr("چاپ"), error_text(error, current_language()))

    def _on_print(self) -> None:
        try:
            if print_pdf(self.pdf_bytes, None, self):
                self.accept()
        except (DomainError, OSError) as error:
            self._report(error)

    def _on_print_receipt(self) -> None:
        if self.send_receipt is not None:
            self.send_receipt()
            self.accept()
            return
        if self.receipt is None:
            return
        try:
            print_pdf(self.receipt(), self.receipt_printer, self, monochrome=True)
            self.accept()
        except (DomainError, OSError) as error:
            self._report(error)

    def _on_save(self) -> None:
        try:
            save_pdf(self.pdf_bytes, self, self.suggested_name)
        except OSError as error:
            self._report(error)


def print_receipt(invoice: Invoice, parent: QWidget | None = None, *,
                  settings: SettingsStore | None = None) -> bool:
    """Render the till receipt and send it to the configured receipt printer in 1-bit, with
    no dialog; with no receipt printer configured, Qt's print dialog asks. PrinterNotFoundError
    if the configured printer is not installed."""
    settings = settings or SettingsStore()
    rendered = DocumentService(None, settings).render(invoice, DocumentKind.RECEIPT)
    return print_on_receipt_printer(rendered.pdf, settings, parent)


def print_on_receipt_printer(pdf_bytes: bytes, settings: SettingsStore, parent: QWidget | None = None) -> bool:
    """Send a till-width PDF to the configured receipt printer in 1-bit, with no dialog; with no
    receipt printer configured, Qt's print dialog asks (False if cancelled)."""
    name = settings.get(RECEIPT_PRINTER).strip()
    return print_pdf(pdf_bytes, name or None, parent, monochrome=True)


def print_receipt_after_issue(invoice: Invoice, settings: SettingsStore, display: Display) -> str:
    """Print the receipt of an invoice just stored straight to the configured receipt printer,
    without a dialog. Returns "" when it printed; otherwise the status-bar text saying what to
    configure or what went wrong, and that the invoice is saved all the same.

    Never raises: the sale is already stored, so whatever fails here (a missing printer, a
    driver error, a broken theme) is logged and reported, and the till carries on."""
    number = display.number(invoice.number or "")
    if not settings.get(RECEIPT_PRINTER).strip():
        return QCoreApplication.translate(
            "Printing", "رسید چاپ نشد: چاپگر رسید انتخاب نشده است (تنظیمات، زبانهٔ «چاپ»). "
                        "فاکتور %1 ذخیره شده است.").replace("%1", number)
    try:
        print_receipt(invoice, None, settings=settings)
    except Exception as error:
        log.warning("the receipt of %s was not printed: %s", invoice.number, error,
                    exc_info=not isinstance(error, DomainError | OSError))
        return QCoreApplication.translate(
            "Printing", "رسید فاکتور %1 چاپ نشد (%2)؛ فاکتور ذخیره شده است و Ctrl+P دوباره چاپ می‌کند.",
        ).replace("%1", number).replace("%2", error_text(error, display.language))
    return ""


def preview_invoice(invoice: Invoice, parent: QWidget | None = None, *,
                    kind: DocumentKind = DocumentKind.INVOICE,
                    settings: SettingsStore | None = None,
                    send_receipt: Callable[[Invoice], None] | None = None) -> PrintPreviewDialog:
    """Render `invoice` with the shop's settings (theme for `kind`) and open the preview
    non-modally; returns the dialog, which deletes itself when closed. `send_receipt` prints
    the till receipt another way (an ESC/POS printer) than the system receipt printer."""
    settings = settings or SettingsStore()
    documents = DocumentService(None, settings)
    rendered = documents.render(invoice, kind)
    dialog = PrintPreviewDialog(
        rendered.pdf, parent, receipt_printer=settings.get(RECEIPT_PRINTER).strip(),
        receipt=lambda: documents.render(invoice, DocumentKind.RECEIPT).pdf,
        send_receipt=None if send_receipt is None else lambda: send_receipt(invoice),
        suggested_name=rendered.file_name,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
