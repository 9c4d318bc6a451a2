"""Pay by link at the counter: a large scannable QR of the provider's payment link with the amount,
asking the provider every few seconds whether the customer has paid, then closing with the paid invoice.

Polling is driven by a single-shot QTimer on the GUI thread: each tick runs one short
`PaymentLinkService.poll` on the read lane (ui/tasks.py) and the next tick is armed only when that
answer is back, so no pool thread is held while the dialog waits and polls never overlap. The
timer stops when the link is paid, when the invoice stops waiting for payment (cancelled or paid
another way) and when the dialog closes.

`pay_by_link(links, tasks, invoice_number, provider, parent)` opens the dialog and returns the
paid invoice, or None when the cashier closed it first (the sale stays issued with its balance
due; a later payment is still picked up by the sync engine's status pull). Only a link that
passed `posapp.domain.payment_links.check_payment_link` ever reaches this dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import qrcode
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.invoice import Invoice
from posapp.services.payment_links import (
    CounterLink,
    LinkPayment,
    PaymentLinkService,
    nothing_to_pay,
)
from posapp.ui.display import Display
from posapp.ui.i18n import current_language
from posapp.ui.messages import error_text
from posapp.ui.tasks import TaskContext, TaskManager

QR_PIXELS = 360
"""The QR's side on screen: large enough for a phone held at arm's length."""
POLL_SECONDS = 3.0
"""Seconds between one answer from the provider and the next question."""


def qr_image(text: str, side: int = QR_PIXELS) -> QImage:
    """A crisp black-on-white QR of `text` (error correction M, a four-module quiet zone).

    The pixels are built as one grayscale buffer and handed to Qt in a single call, rather
    than painted module by module."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    scale = max(1, side // len(matrix))
    width = len(matrix) * scale
    rows = []
    for modules in matrix:
        row = b"".join((b"\x00" if dark else b"\xff") * scale for dark in modules)
        rows.append(row * scale)
    pixels = b"".join(rows)
    return QImage(pixels, width, width, width, QImage.Format.Format_Grayscale8).copy()


class PayByLinkDialog(QDialog):
    """See the module docstring. Emits `sig_paid(invoice)` once the payment is recorded."""

    sig_paid = Signal(object)
    sig_link_shown = Signal(str, object)
    """The link's URL and amount, once it exists (for the customer display)."""

    def __init__(self, links: PaymentLinkService, tasks: TaskManager, invoice_number: str,
                 provider: str, parent: QWidget | None = None, *,
                 poll_seconds: float = POLL_SECONDS, display: Display | None = None) -> None:
        super().__init__(parent)
        self.display = display or Display()
        self.links = links
        self.tasks = tasks
        self.invoice_number = invoice_number
        self.provider = provider
        self.poll_seconds = poll_seconds
        self.link: CounterLink | None = None
        self.paid_invoice: Invoice | None = None
        self._polling: TaskContext | None = None
        self._closed = False
        self.poll_timer = QTimer(self)
        """Arms the next poll; single-shot, restarted only after the previous answer arrived."""
        self.poll_timer.setSingleShot(True)
        self.poll_timer.setInterval(max(1, round(poll_seconds * 1000)))
        self.poll_timer.timeout.connect(self._poll)
        self.setWindowTitle(self.tr("پرداخت با لینک — %1").replace("%1", self.display.number(invoice_number)))
        self.setModal(True)
        self.qr_label = QLabel(self)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setMinimumSize(QR_PIXELS, QR_PIXELS)
        self.amount_label = QLabel(self)
        self.amount_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.amount_label.setObjectName("payLinkAmount")
        font = self.amount_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.amount_label.setFont(font)
        self.url_label = QLabel(self)
        self.url_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_label.setWordWrap(True)
        self.status_label = QLabel(self.tr("در حال ساخت لینک پرداخت…"), self)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.qr_label, 1)
        layout.addWidget(self.amount_label)
        layout.addWidget(self.url_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        """Create the link in the background; polling starts once it is shown."""
        links, number, provider = self.links, self.invoice_number, self.provider
        self.tasks.run(lambda _context: links.create(number, provider),
                       on_done=self._show_link, on_error=self._failed)

    def _show_link(self, link: CounterLink) -> None:
        self.link = link
        self.qr_label.setPixmap(QPixmap.fromImage(qr_image(link.url)))
        self.amount_label.setText(self.display.amount(link.amount, with_unit=True))
        self.url_label.setText(link.url)
        self.status_label.setText(self.tr("منتظر پرداخت مشتری…"))
        self.sig_link_shown.emit(link.url, link.amount)
        self._poll()

    def _poll(self) -> None:
        """One tick: ask the provider once, on the read lane."""
        link, links = self.link, self.links
        if link is None or self._closed or self._polling is not None:
            return
        self._polling = self.tasks.run(lambda _context: links.poll(link), on_done=self._polled,
                                       on_error=self._poll_failed, on_cancelled=self._poll_cancelled)

    def _next_tick(self) -> None:
        if not self._closed:
            self.poll_timer.start()

    def _poll_cancelled(self) -> None:
        self._polling = None

    def _polled(self, payment: LinkPayment) -> None:
        self._polling = None
        if self._closed:
            return
        if payment.awaiting:
            self._next_tick()
            return
        if not payment.paid:
            self.status_label.setText(self._message(nothing_to_pay()))
            return
        self.paid_invoice = payment.invoice
        self.status_label.setText(self.tr("پرداخت شد: %1").replace("%1", self.display.amount(payment.amount, with_unit=True)))
        self.sig_paid.emit(payment.invoice)
        self.accept()

    def _poll_failed(self, error: BaseException) -> None:
        """A network error while waiting: say so and keep waiting (the link stays valid)."""
        self._polling = None
        if self._closed:
            return
        self.status_label.setText(self.tr("%1\nدوباره تلاش می‌شود…").replace("%1", self._message(error)))
        self._next_tick()

    def _failed(self, error: BaseException) -> None:
        self.qr_label.clear()
        self.status_label.setText(self._message(error))
        self.status_label.setObjectName("payLinkError")

    def _message(self, error: BaseException) -> str:
        """The error in the UI's language: a domain or provider error's own message for it,
        otherwise the exception's text."""
        language = current_language()
        message = getattr(error, "message_fa" if language == "fa" else "message_en", None)
        if isinstance(message, str) and message:
            return message
        return self.tr("خطا: %1").replace("%1", error_text(error, language))

    def done(self, result: int) -> None:
        """Closing stops the timer; a poll already on its way is told to stop and its answer
        is ignored."""
        self._closed = True
        self.poll_timer.stop()
        if self._polling is not None:
            self._polling.cancel()
        super().done(result)


def pay_by_link(links: PaymentLinkService, tasks: TaskManager, invoice_number: str, provider: str,
                parent: QWidget | None = None, *,
                on_link: Callable[[str, Decimal], None] | None = None, **options: Any) -> Invoice | None:
    """Show the dialog modally; the paid invoice, or None if the cashier closed it first.
    `on_link(url, amount)` hears of the link once it exists."""
    dialog = PayByLinkDialog(links, tasks, invoice_number, provider, parent, **options)
    if on_link is not None:
        dialog.sig_link_shown.connect(on_link)
    dialog.start()
    dialog.exec()
    return dialog.paid_invoice
