"""What the cashier does to an invoice after it is issued: view it, take a later payment, have
it paid by link, return from it, reduce its price or cancel it; and what follows an issue at the till.

`InvoiceActions` is owned by the main window and works through the window's services, task
helper, counter hardware and status bar. It never refreshes a pane: each write it makes says
what it changed on the services' change feed, and the window's `on_changes` refreshes what
shows it. Runs on the GUI thread; the dialogs it opens are modal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog

from posapp.domain.access import Permission
from posapp.domain.errors import DomainError
from posapp.domain.invoice import OPEN_STATUSES, Invoice, InvoiceKind
from posapp.settings.documents import PRINT_RECEIPT_ON_ISSUE
from posapp.ui.invoice_dialogs import (
    CancelInvoiceDialog,
    InvoiceViewDialog,
    ReceivePaymentDialog,
    ReductionDialog,
    ReturnDialog,
    ask_invoice_number,
)
from posapp.ui.shop_day import ShopDay, guarded

if TYPE_CHECKING:
    from posapp.ui.main_window import MainWindow


class InvoiceActions(QObject):
    """The invoice flows of one main window. `last_issued` is the last invoice issued or paid
    here (what Ctrl+P reprints); `last_sale_number` the last sale's number (not a return's),
    which Ctrl+R and Ctrl+K offer first."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.services = window.services
        self.display = window.display
        self.shop_day: ShopDay = window.shop_day
        """Asked by `guarded` whether the signed-in user may act."""
        self.last_issued: Invoice | None = None
        self.last_sale_number = ""
        self._receipts_waiting_for_link: set[str] = set()
        """Sales being paid by link: their automatic receipt waits until the link exists."""

    # -- after an issue ----------------------------------------------------------------------

    def after_issue(self, invoice: Invoice) -> None:
        """A sale or return was issued here: remember it, open the drawer, print its receipt."""
        self.last_issued = invoice
        if invoice.kind is InvoiceKind.SALE and invoice.number:
            self.last_sale_number = invoice.number
        self.window.counter.drawer_after_issue(invoice)
        if self.window.store.get(PRINT_RECEIPT_ON_ISSUE):
            # After the editor's own "issued" message (emitted after this signal), so a printing
            # problem is added to that message instead of being overwritten by it.
            QTimer.singleShot(0, self, lambda: self._print_receipt_after_issue(invoice))

    def _print_receipt_after_issue(self, invoice: Invoice) -> None:
        from posapp.ui.printing import print_receipt_after_issue

        if invoice.number in self._receipts_waiting_for_link:
            return
        if self.window.counter.print_receipt(invoice):
            return  # queued for the ESC/POS printer

        problem = print_receipt_after_issue(invoice, self.window.store, self.display)
        if problem:
            shown = self.window.statusBar().currentMessage()
            self.window.show_message(f"{shown} — {problem}" if shown else problem)

    # -- paying later and by link ------------------------------------------------------------

    def pay_just_issued_by_link(self, invoice: Invoice) -> None:
        """Pay-by-link chosen at payment: the automatic receipt is printed once the link
        dialog closes, so it carries the link's QR (or shows the sale paid)."""
        number = invoice.number or ""
        self._receipts_waiting_for_link.add(number)
        try:
            self.pay_by_link(invoice)
        finally:
            self._receipts_waiting_for_link.discard(number)
        if self.window.store.get(PRINT_RECEIPT_ON_ISSUE):
            try:
                current = self.services.invoicing.get_by_number(number)
            except DomainError as error:
                self.window.report_error(error)
                return
            self._print_receipt_after_issue(current)

    def pay_by_link(self, invoice: Invoice) -> None:
        """An unpaid invoice is to be paid by link: show the link's QR until the customer
        pays. Closing it first leaves the invoice open with its balance
        due; the sync worker records a later payment, and the receipt carries the QR."""
        from posapp.ui.pay_by_link import pay_by_link

        sync = self.window.sync
        provider = sync.link_provider if sync is not None else None
        if sync is None or provider is None or not invoice.number:
            return
        counter = self.window.counter
        try:
            paid = pay_by_link(sync.links, self.window.tasks, invoice.number, provider, self.window,
                               display=self.display, on_link=counter.show_link)
        finally:
            counter.end_link()
        if paid is not None:
            self.last_issued = paid
            self.window.show_message(self.tr("فاکتور %1 با لینک پرداخت شد").replace(
                "%1", self.display.number(paid.number or "")))
        else:
            self.window.show_message(
                self.tr("فاکتور %1 با مانده باز ماند؛ رسید آن QR پرداخت را دارد (Ctrl+P)")
                .replace("%1", self.display.number(invoice.number)))

    def receive_payment(self, invoice: Invoice) -> None:
        """Take the balance due on an open invoice (a link the customer never paid, a partial
        payment): cash, card or transfer is recorded at once, or a payment link is shown."""
        sync = self.window.sync
        link_provider = sync.link_provider if sync is not None else None
        dialog = ReceivePaymentDialog(invoice, self.display, self.window, link_provider=link_provider)
        try:
            if dialog.exec() != ReceivePaymentDialog.DialogCode.Accepted:
                return
            if dialog.wants_link:
                self.pay_by_link(invoice)
                return
            assert dialog.payment is not None
            try:
                paid = self.services.invoicing.record_payment(invoice.number or "", dialog.payment)
            except DomainError as error:
                self.window.report_error(error)
                return
            self.last_issued = paid
            self.window.counter.drawer_for_payment(dialog.payment, paid.number or "")
            self.window.show_message(self.tr("دریافت %1 برای فاکتور %2 ثبت شد").replace(
                "%1", self.display.amount(dialog.payment.amount, with_unit=True)).replace(
                "%2", self.display.number(paid.number or "")))
        finally:
            dialog.deleteLater()
            self.window.editor.focus_code()

    # -- viewing, returning, cancelling ------------------------------------------------------

    def open_invoice(self, number: str) -> None:
        try:
            invoice = self.services.invoicing.get_by_number(number)
        except DomainError as error:
            self.window.show_message(self.display.error(error))
            return
        cancel_refused = ""
        if invoice.status in OPEN_STATUSES:
            try:
                self.services.invoicing.check_cancellable(invoice.number or "")
            except DomainError as error:
                cancel_refused = self.display.error(error)
        dialog = InvoiceViewDialog(invoice, self.display, self.window, cancel_refused=cancel_refused)
        dialog.sig_reprint.connect(self.window.print_invoice)
        dialog.sig_return.connect(lambda inv: self.start_return(inv.number))
        dialog.sig_cancel.connect(lambda inv: self.cancel_invoice(inv.number))
        dialog.sig_reduce.connect(lambda inv: self.start_reduction(inv.number))
        dialog.sig_receive.connect(self.receive_payment)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
            self.window.editor.focus_code()

    def invoice_for(self, number: str | None, title: str) -> Invoice | None:
        """Invoice `number`, or the one whose number the cashier types (the last sale offered)."""
        if number is None:
            number = ask_invoice_number(self.window, title, self.display.number(self.last_sale_number))
            if not number:
                return None
        try:
            return self.services.invoicing.get_by_number(number)
        except DomainError as error:
            self.window.editor.show_error(error)
            return None

    @guarded(Permission.MAKE_RETURN)
    def start_return(self, number: str | None = None) -> None:
        original = self.invoice_for(number, self.tr("برگشت از فروش"))
        if original is None:
            return
        self._issue_from(ReturnDialog(self.services, original, self.display, self.window),
                         self.tr("فاکتور برگشت %1 صادر شد"))

    @guarded(Permission.CANCEL_INVOICE)
    def start_reduction(self, number: str | None = None) -> None:
        """A price reduction of a sale: it cancels the sale it replaces, so it needs the right
        to cancel. The dialog offers what the customer still holds after every return."""
        original = self.invoice_for(number, self.tr("کاهش مبلغ فاکتور"))
        if original is None:
            return
        self._issue_from(ReductionDialog(self.services, original, self.display, self.window),
                         self.tr("فاکتور کاهشی %1 صادر شد"))

    def _issue_from(self, dialog: ReturnDialog | ReductionDialog, issued_message: str) -> None:
        """Run a dialog that issues a correction of a sale (it sets `issued`); say so and do
        what follows an issue, then give the code field back to the scanner."""
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.issued is not None:
                self.window.show_message(issued_message.replace(
                    "%1", self.display.number(dialog.issued.number or "")))
                self.after_issue(dialog.issued)
        finally:
            dialog.deleteLater()
            self.window.editor.focus_code()

    @guarded(Permission.CANCEL_INVOICE)
    def cancel_invoice(self, number: str | None = None) -> None:
        invoice = self.invoice_for(number, self.tr("ابطال فاکتور"))
        if invoice is None:
            return
        try:
            self.services.invoicing.check_cancellable(invoice.number or "")
        except DomainError as error:  # refused before the reason is asked for
            self.window.report_error(error)
            return
        dialog = CancelInvoiceDialog(self.services, invoice, self.display, self.window)
        try:
            if dialog.exec() == CancelInvoiceDialog.DialogCode.Accepted:
                self.window.show_message(self.tr("فاکتور %1 ابطال شد").replace(
                    "%1", self.display.number(invoice.number or "")))
        finally:
            dialog.deleteLater()
            self.window.editor.focus_code()
