"""The counter's hardware in the main window: ESC/POS receipts, the cash drawer, the print queue, the customer display.

`install_counter_hardware(window)` is the main window's one hook. It returns a `CounterHardware`
that the window asks to print a receipt straight to an ESC/POS printer (False when the receipt
printer is a system printer, which keeps the old path), to open the drawer on cash, and to open
it by hand ("open drawer", with a reason, recorded with the cashier's name). Printing runs in
the print queue's thread: the till never waits, and a receipt that could not be printed is
reported in the status bar and waits in the print queue dialog for a retry.

The ESC/POS service (and reportlab, python-escpos) is loaded on first use, not at start-up.
"""

from __future__ import annotations

import importlib
import logging
import threading
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice, Payment, PaymentMethod
from posapp.hardware.uri import is_printer_uri
from posapp.services.context import AppServices
from posapp.settings.documents import PRINT_RECEIPT_ON_ISSUE, RECEIPT_PRINTER
from posapp.settings.hardware import CUSTOMER_DISPLAY_SCREEN, DRAWER_OPENS_ON_CASH
from posapp.settings.shop import SHOP_LOGO_PATH, SHOP_NAME
from posapp.settings.store import SettingsStore
from posapp.ui.display import Display
from posapp.ui.messages import show_warning
from posapp.ui.paged_model import select_table_row

if TYPE_CHECKING:
    from posapp.hardware.print_queue import PrintJob, PrintQueue
    from posapp.services.counter import CounterService
    from posapp.ui.customer_display import CustomerDisplay

log = logging.getLogger(__name__)


def _job_title(job: PrintJob, display: Display) -> str:
    kind = str(job.kind)
    if kind == "receipt":
        return QCoreApplication.translate("CounterHardware", "رسید فاکتور %1").replace(
            "%1", display.number(job.reference))
    if kind == "drawer":
        return QCoreApplication.translate("CounterHardware", "باز کردن کشو")
    return QCoreApplication.translate("CounterHardware", "صفحهٔ تنظیم چاپگر")


class CounterHardware(QObject):
    """See the module docstring. `sig_message(text)` carries status-bar messages;
    `sig_jobs_changed()` fires on the GUI thread after any print job changes."""

    sig_message = Signal(str)
    sig_jobs_changed = Signal()
    _sig_job = Signal(object)

    def __init__(self, services: AppServices, store: SettingsStore, display: Display, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self.store = store
        self.display = display
        self._parent = parent
        self._service: CounterService | None = None
        self.customer_display: CustomerDisplay | None = None
        self._sig_job.connect(self._on_job)

    # -- the ESC/POS service, loaded on first use --------------------------------------------

    @property
    def service(self) -> CounterService:
        if self._service is None:
            self._service = self._services.counter
            self._service.queue.subscribe(self._sig_job.emit)
        return self._service

    @property
    def queue(self) -> PrintQueue | None:
        """The print queue once anything was printed through it in this session."""
        return None if self._service is None else self._service.queue

    def uses_escpos(self) -> bool:
        return is_printer_uri(self.store.get(RECEIPT_PRINTER))

    def warm_up(self) -> None:
        """With an ESC/POS printer, import its service (reportlab, python-escpos: about a
        second on a slow till) on a background thread now, so the first receipt after a sale
        does not freeze the till while they load."""
        if self.uses_escpos() and self._service is None:
            threading.Thread(target=importlib.import_module, args=("posapp.services.counter",),
                             name="escpos-warm-up", daemon=True).start()

    def detach(self) -> None:
        """The window is closing: stop listening to the queue (it outlives the window) and
        close the customer display."""
        if self._service is not None:
            self._service.queue.unsubscribe(self._sig_job.emit)
        if self.customer_display is not None:
            self.customer_display.close()

    # -- receipts and the drawer -------------------------------------------------------------

    def print_receipt(self, invoice: Invoice, *, open_drawer: bool | None = None) -> bool:
        """Queue `invoice`'s receipt for the ESC/POS printer (opening the drawer as the
        settings say for cash, or as `open_drawer` says). False when the receipt printer is a
        system printer, so the caller prints the old way."""
        if not self.uses_escpos():
            return False
        try:
            self.service.print_receipt(invoice, open_drawer=open_drawer)
        except DomainError as error:
            self.sig_message.emit(self.display.error(error))
        return True

    def reprint(self, invoice: Invoice) -> None:
        """The preview's "till receipt" button: the receipt again, without the drawer."""
        self.print_receipt(invoice, open_drawer=False)

    def drawer_after_issue(self, invoice: Invoice) -> None:
        """A sale or return just stored: open the drawer when cash changed hands, unless the
        receipt printed on issue carries the pulse itself."""
        if self.store.get(PRINT_RECEIPT_ON_ISSUE):
            return
        if any(payment.method is PaymentMethod.CASH for payment in invoice.payments):
            self._kick(invoice.number or "")

    def drawer_for_payment(self, payment: Payment | None, number: str) -> None:
        """A later payment was recorded: open the drawer for cash."""
        if payment is not None and payment.method is PaymentMethod.CASH:
            self._kick(number)

    def _kick(self, reference: str) -> None:
        if not self.uses_escpos() or not self.store.get(DRAWER_OPENS_ON_CASH):
            return
        try:
            self.service.kick_drawer(reference)
        except DomainError as error:
            self.sig_message.emit(self.display.error(error))

    def open_drawer(self, reason: str | None = None) -> bool:
        """The "open drawer" action: asks why (unless `reason` is given), checks the
        permission, records who and why, and sends the pulse. False if nothing was sent."""
        if reason is None:
            reason, ok = QInputDialog.getText(self._parent, self.tr("باز کردن کشوی پول"),
                                              self.tr("دلیل باز کردن کشو:"))
            if not ok:
                return False
        try:
            self.service.open_drawer(reason)
        except DomainError as error:
            show_warning(self._parent, self.tr("کشوی پول"), self.display.error(error))
            return False
        return True

    # -- the queue ---------------------------------------------------------------------------

    def _on_job(self, job: PrintJob) -> None:
        from posapp.hardware.print_queue import JobState

        title = _job_title(job, self.display)
        if job.state is JobState.FAILED and job.error is not None:
            self.sig_message.emit(self.tr(
                "%1 چاپ نشد: %2 — فاکتور ذخیره شده است؛ «صف چاپ» (Ctrl+Shift+J) آن را دوباره می‌فرستد.")
                .replace("%1", title).replace("%2", self.display.error(job.error)))
        elif job.state is JobState.PRINTED and job.attempts > 1:
            self.sig_message.emit(self.tr("%1 چاپ شد").replace("%1", title))
        self.sig_jobs_changed.emit()

    def show_queue(self) -> PrintQueueDialog:
        dialog = PrintQueueDialog(self, self._parent)
        dialog.open()
        return dialog

    # -- the customer display ----------------------------------------------------------------

    def start_customer_display(self, editor: Any) -> None:
        """Open the customer display on the chosen screen, following `editor`'s sale."""
        screen = self.store.get(CUSTOMER_DISPLAY_SCREEN)
        if screen < 0:
            return
        from posapp.ui.customer_display import CustomerDisplay

        display = CustomerDisplay(self.display, self.store.get(SHOP_NAME).strip(),
                                  self.store.get(SHOP_LOGO_PATH).strip())
        if not display.show_on_screen(screen):
            log.warning("screen %s for the customer display does not exist", screen)
            self.sig_message.emit(self.tr("صفحهٔ نمایش مشتری (شمارهٔ %1) وصل نیست").replace(
                "%1", self.display.number(screen + 1)))
            display.deleteLater()
            return
        editor.sig_draft_changed.connect(display.show_draft)
        display.show_draft(editor.draft)
        self.customer_display = display

    def show_link(self, url: str, amount: Decimal) -> None:
        if self.customer_display is not None:
            self.customer_display.show_link(url, amount)

    def end_link(self) -> None:
        if self.customer_display is not None:
            self.customer_display.end_link()


class PrintQueueDialog(QDialog):
    """The print jobs of this session: failed ones to retry, printed ones to reprint."""

    def __init__(self, counter: CounterHardware, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printQueue")
        self.setWindowTitle(self.tr("صف چاپ"))
        self.counter = counter
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("printJobs")
        self.table.setHorizontalHeaderLabels(
            [self.tr("کار"), self.tr("وضعیت"), self.tr("تلاش"), self.tr("پیام")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column in range(3):
            header.setSectionResizeMode(column, header.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.empty_label = QLabel(self.tr("در این نوبت چیزی به چاپگر ESC/POS فرستاده نشده است"))
        self.retry_button = QPushButton(self.tr("چاپ دوباره"))
        self.retry_button.setObjectName("retryJob")
        self.retry_button.clicked.connect(self.retry_selected)
        self.retry_all_button = QPushButton(self.tr("تلاش دوباره برای همهٔ چاپ‌نشده‌ها"))
        self.retry_all_button.clicked.connect(self.retry_failed)
        self.discard_button = QPushButton(self.tr("حذف از صف"))
        self.discard_button.clicked.connect(self.discard_selected)
        close = QPushButton(self.tr("بستن"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.retry_all_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(760, 360)
        self._job_ids: list[int] = []
        counter.sig_jobs_changed.connect(self.refresh)
        self.refresh()

    def _jobs(self) -> list[PrintJob]:
        queue = self.counter.queue
        return [] if queue is None else queue.jobs()

    def refresh(self) -> None:
        display = self.counter.display
        states = {"waiting": self.tr("در انتظار"), "sending": self.tr("در حال ارسال"),
                  "printed": self.tr("چاپ شد"), "failed": self.tr("چاپ نشد")}
        jobs = list(reversed(self._jobs()))
        selected = self.selected_id()
        self._job_ids = [job.id for job in jobs]
        self.table.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            values = (_job_title(job, display), states[str(job.state)], display.number(job.attempts),
                      display.error(job.error) if job.error else str(job.uri))
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        if selected in self._job_ids:
            select_table_row(self.table, self._job_ids.index(selected))
        elif jobs:
            select_table_row(self.table, 0)
        self.empty_label.setVisible(not jobs)
        self.retry_all_button.setEnabled(any(str(job.state) == "failed" for job in jobs))

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self._job_ids[rows[0].row()] if rows and rows[0].row() < len(self._job_ids) else None

    def retry_selected(self) -> None:
        job_id = self.selected_id()
        if job_id is not None and self.counter.queue is not None:
            self.counter.queue.retry(job_id)

    def retry_failed(self) -> None:
        if self.counter.queue is not None:
            self.counter.queue.retry_failed()

    def discard_selected(self) -> None:
        job_id = self.selected_id()
        if job_id is not None and self.counter.queue is not None:
            self.counter.queue.discard(job_id)
            self.refresh()


def install_counter_hardware(window: QMainWindow) -> CounterHardware:
    """Give the main window its counter hardware: status messages and the customer display.
    The window calls the returned object's methods (`detach` when it closes)."""
    window_any: Any = window
    counter = CounterHardware(window_any.services, window_any.store, window_any.display, window)
    counter.sig_message.connect(window_any.show_message)
    counter.start_customer_display(window_any.editor)
    QTimer.singleShot(0, counter, counter.warm_up)  # once the window is up and painted
    return counter
