"""The counter's hardware use cases: receipts straight to an ESC/POS printer, the cash drawer, the calibration page.

Qt-free, shared by the GUI and the CLI. The receipt is the receipt theme's PDF from the document
service (the same drawing the print preview shows), rasterised to the printer's dots and queued
as one ESC/POS job; the sale is stored before anything here runs, and `PrintQueue` never blocks
the caller. Opening the drawer by hand is written to the audit log with who and why; whether
the cashier may (`Permission.OPEN_DRAWER`) is the caller's to check, as for every other permission.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice, PaymentMethod
from posapp.hardware.calibration import calibration_pdf
from posapp.hardware.commands import CutMode, DrawerKick, drawer_job, image_job
from posapp.hardware.print_queue import JobKind, PrintJob, PrintQueue
from posapp.hardware.raster import DOT_WIDTHS, rasterise_receipt
from posapp.hardware.uri import PrinterUri, is_printer_uri, parse_printer_uri
from posapp.render.receipt import RECEIPT_WIDTHS
from posapp.render.theme import load_theme
from posapp.services.access import AccessService
from posapp.services.documents import DocumentService, options_from_settings, theme_for
from posapp.settings.documents import RECEIPT_PRINTER, RECEIPT_WIDTH_MM, DocumentKind
from posapp.settings.hardware import (
    DRAWER_KICK_PIN,
    DRAWER_OPENS_ON_CASH,
    DRAWER_PULSE_OFF_MS,
    DRAWER_PULSE_ON_MS,
    ESCPOS_CUT,
    ESCPOS_DOT_WIDTH,
    ESCPOS_TIMEOUT_SECONDS,
)
from posapp.settings.shop import TILL_CODE
from posapp.settings.store import SettingsStore
from posapp.settings.ui import CASHIER_NAME
from posapp.storage.engine import Database
from posapp.storage.invoices import add_audit

DOTS_PER_MM = 8
"""A 203 dpi head: 8 dots per millimetre."""
DRAWER_AUDIT_ACTION = "drawer.open"


class NoEscposPrinterError(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "چاپگر رسید یک چاپگر ESC/POS نیست؛ در تنظیمات، زبانهٔ «چاپ»، نشانی آن را بدهید (مانند tcp://192.168.1.50)",
            "the receipt printer is not an ESC/POS printer; give its address in Settings, Printing "
            "(like tcp://192.168.1.50)",
        )


class DrawerReasonMissingError(DomainError):
    def __init__(self) -> None:
        super().__init__("دلیل باز کردن کشو را بنویسید", "say why the drawer is opened")


@dataclass(frozen=True)
class EscposSetup:
    """Everything a job for one ESC/POS printer needs, read and checked from the settings."""

    uri: PrinterUri
    paper_mm: int
    dot_width: int
    printable_mm: float
    cut: CutMode
    kick: DrawerKick
    timeout: float
    opens_on_cash: bool


def _valid(value: int, low: int, high: int, fallback: int) -> int:
    return value if low <= value <= high else fallback


def escpos_setup(settings: SettingsStore, printer: str | None = None) -> EscposSetup:
    """The ESC/POS printer `printer` (default: the receipt printer setting) with the hardware
    settings; PrinterUriError for a malformed address, NoEscposPrinterError for a system
    printer. Unusable stored values fall back to their defaults."""
    text = printer if printer is not None else settings.get(RECEIPT_PRINTER)
    if printer is None and not is_printer_uri(text):
        raise NoEscposPrinterError()
    return escpos_setup_for(settings, parse_printer_uri(text))


def escpos_setup_for(settings: SettingsStore, uri: PrinterUri) -> EscposSetup:
    paper = settings.get(RECEIPT_WIDTH_MM)
    paper = paper if paper in RECEIPT_WIDTHS else RECEIPT_WIDTH_MM.default
    dot_width = settings.get(ESCPOS_DOT_WIDTH)
    if dot_width <= 0 or dot_width % 8 or dot_width > paper * DOTS_PER_MM:
        dot_width = DOT_WIDTHS[paper]
    geometry = load_theme(theme_for(settings, DocumentKind.RECEIPT)).geometry
    printable = geometry.get(f"printable_{paper}", dot_width / DOTS_PER_MM)
    cut = settings.get(ESCPOS_CUT).strip().lower()
    pin = settings.get(DRAWER_KICK_PIN)
    kick = DrawerKick(
        pin=pin if pin in (2, 5) else DRAWER_KICK_PIN.default,
        on_ms=_valid(settings.get(DRAWER_PULSE_ON_MS), 2, 510, DRAWER_PULSE_ON_MS.default),
        off_ms=_valid(settings.get(DRAWER_PULSE_OFF_MS), 2, 510, DRAWER_PULSE_OFF_MS.default),
    )
    timeout = settings.get(ESCPOS_TIMEOUT_SECONDS)
    return EscposSetup(
        uri=uri, paper_mm=paper, dot_width=dot_width, printable_mm=printable,
        cut=CutMode(cut) if cut in CutMode._value2member_map_ else CutMode(ESCPOS_CUT.default),
        kick=kick, timeout=timeout if 0.5 <= timeout <= 60 else ESCPOS_TIMEOUT_SECONDS.default,
        opens_on_cash=settings.get(DRAWER_OPENS_ON_CASH),
    )


def takes_cash(invoice: Invoice) -> bool:
    """Whether cash changes hands: a sale or return paid (or refunded) partly in cash."""
    return any(payment.method is PaymentMethod.CASH for payment in invoice.payments)


def receipt_job(documents: DocumentService, settings: SettingsStore, invoice: Invoice,
                setup: EscposSetup, *, kick: bool = False) -> bytes:
    """The ESC/POS bytes of `invoice`'s till receipt: the receipt theme at the setup's paper
    width, rasterised to its dots, cut, with the drawer pulse first when `kick`."""
    base = options_from_settings(settings, theme_for(settings, DocumentKind.RECEIPT))
    options = replace(base, receipt_width_mm=setup.paper_mm)
    pdf = documents.render(invoice, DocumentKind.RECEIPT, options=options).pdf
    image = rasterise_receipt(pdf, setup.dot_width, setup.printable_mm)
    return image_job(image, cut=setup.cut, kick=setup.kick if kick else None)


def calibration_job(setup: EscposSetup) -> bytes:
    pdf = calibration_pdf(setup.paper_mm, setup.printable_mm, setup.dot_width, str(setup.uri))
    return image_job(rasterise_receipt(pdf, setup.dot_width, setup.printable_mm), cut=setup.cut)


class CounterService:
    """Queues receipts, calibration pages and drawer pulses for the ESC/POS receipt printer."""

    def __init__(self, documents: DocumentService, settings: SettingsStore, database: Database | None,
                 queue: PrintQueue | None = None, access: AccessService | None = None) -> None:
        self.documents = documents
        self.settings = settings
        self.database = database
        self.queue = queue or PrintQueue()
        self.access = access

    def uses_escpos(self) -> bool:
        return is_printer_uri(self.settings.get(RECEIPT_PRINTER))

    def setup(self, printer: str | None = None) -> EscposSetup:
        return escpos_setup(self.settings, printer)

    def print_receipt(self, invoice: Invoice, *, printer: str | None = None,
                      open_drawer: bool | None = None) -> PrintJob:
        """Queue `invoice`'s receipt. The drawer opens with it when cash changed hands and the
        setting says so (or as `open_drawer` says)."""
        setup = self.setup(printer)
        kick = open_drawer if open_drawer is not None else setup.opens_on_cash and takes_cash(invoice)
        return self.queue.submit(JobKind.RECEIPT, invoice.number or "", setup.uri,
                                 lambda: receipt_job(self.documents, self.settings, invoice, setup, kick=kick),
                                 setup.timeout)

    def print_calibration(self, printer: str | None = None, *, setup: EscposSetup | None = None) -> PrintJob:
        """The calibration page on `printer` (default: the receipt printer), or exactly as
        `setup` says (the settings dialog's values before they are saved)."""
        setup = setup or self.setup(printer)
        return self.queue.submit(JobKind.CALIBRATION, "", setup.uri, lambda: calibration_job(setup),
                                 setup.timeout)

    def kick_drawer(self, reference: str, printer: str | None = None) -> PrintJob:
        """The drawer pulse alone, for a cash payment or return that prints no receipt here."""
        setup = self.setup(printer)
        return self.queue.submit(JobKind.DRAWER, reference, setup.uri, lambda: drawer_job(setup.kick),
                                 setup.timeout)

    def open_drawer(self, reason: str, *, actor: str | None = None,
                    printer: str | None = None) -> PrintJob:
        """The "open drawer" action: recorded with who and why (in the audit log, and in the
        journal under the user signed in at this till, with the approving manager if any; the
        caller checks `Permission.OPEN_DRAWER`), then the pulse is queued."""
        who = (actor if actor is not None else self.settings.get(CASHIER_NAME)).strip()
        why = " ".join(reason.split())
        if not why:
            raise DrawerReasonMissingError()
        setup = self.setup(printer)
        if self.database is not None:
            with self.database.write() as session:
                add_audit(session, DRAWER_AUDIT_ACTION, f"till:{self.settings.get(TILL_CODE).strip()}",
                          details=why, actor=who)
        if self.access is not None:
            self.access.record(self.access.session.actor, DRAWER_AUDIT_ACTION,
                               f"till:{self.settings.get(TILL_CODE).strip()}", {"reason": why})
        return self.queue.submit(JobKind.DRAWER, why, setup.uri, lambda: drawer_job(setup.kick),
                                 setup.timeout)

    def close(self) -> None:
        self.queue.close()
