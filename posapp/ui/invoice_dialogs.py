"""Dialogs around issued and held invoices: read-only view, return, price reduction,
cancellation, held list.

Issued invoices are immutable: the view shows them read-only, and corrections are new
documents made by the invoicing service (a return that points at the original, a reduction
that replaces it with what the customer still holds, or a cancellation that keeps the reason).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.invoice import (
    OPEN_STATUSES,
    Invoice,
    InvoiceKind,
    Payment,
    PaymentMethod,
    held_quantities,
    make_reduction,
    make_return,
)
from posapp.domain.money import ZERO
from posapp.domain.text import to_ascii_digits
from posapp.services.context import AppServices
from posapp.ui.amount_edit import AmountEdit
from posapp.ui.display import Display, parse_quantity
from posapp.ui.fitting_label import FittingLabel
from posapp.ui.forms import fit_placeholder
from posapp.ui.history import kind_label, status_label
from posapp.ui.invoice_model import COL_DESCRIPTION, InvoiceLinesModel


def method_label(method: PaymentMethod) -> str:
    from PySide6.QtCore import QCoreApplication

    labels = {
        PaymentMethod.CASH: QCoreApplication.translate("Payments", "نقد"),
        PaymentMethod.CARD: QCoreApplication.translate("Payments", "کارت"),
        PaymentMethod.LINK: QCoreApplication.translate("Payments", "پرداخت آنلاین"),
        PaymentMethod.CREDIT: QCoreApplication.translate("Payments", "نسیه"),
    }
    return labels[method]


def ask_invoice_number(parent: QWidget, title: str, default: str = "") -> str:
    """Ask for an invoice number; Persian digits are accepted. Empty when cancelled."""
    from PySide6.QtCore import QCoreApplication

    text, ok = QInputDialog.getText(
        parent, title, QCoreApplication.translate("Invoices", "شماره فاکتور:"), text=default,
    )
    return to_ascii_digits(text).strip().upper() if ok else ""


def error_label() -> QLabel:
    """A dialog's line for what was refused (styled as `errorLabel`), wrapping long messages."""
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    return label


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK (saying `ok_text`) and Cancel, wired to the dialog's accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class InvoiceViewDialog(QDialog):
    """An issued invoice, read-only, with reprint / return / reduce / cancel buttons where allowed."""

    sig_reprint = Signal(object)
    sig_return = Signal(object)
    sig_cancel = Signal(object)
    sig_receive = Signal(object)
    sig_reduce = Signal(object)

    def __init__(self, invoice: Invoice, display: Display, parent: QWidget | None = None, *,
                 cancel_refused: str = "") -> None:
        """`cancel_refused`: why the invoice cannot be cancelled (it has returns, a reduction
        took it over), shown on the disabled «ابطال…» button; empty when it can be."""
        super().__init__(parent)
        self.setObjectName("invoiceView")
        self.invoice = invoice
        self.setWindowTitle(self.tr("فاکتور %1").replace("%1", display.number(invoice.number or "")))
        totals = invoice.totals
        header = QFormLayout()
        header.addRow(self.tr("شماره:"), QLabel(display.number(invoice.number or "")))
        header.addRow(self.tr("تاریخ:"), QLabel(display.datetime(invoice.issued_at)))
        header.addRow(self.tr("نوع:"), QLabel(kind_label(invoice.kind)))
        header.addRow(self.tr("وضعیت:"), QLabel(status_label(invoice.status)))
        header.addRow(self.tr("خریدار:"), QLabel(invoice.buyer.name if invoice.buyer else self.tr("گذری")))
        if invoice.original_number:
            header.addRow(self.tr("فاکتور اصلی:"), QLabel(display.number(invoice.original_number)))
        if invoice.cancel_reason:
            header.addRow(self.tr("دلیل ابطال:"), QLabel(invoice.cancel_reason))
        self.lines_model = InvoiceLinesModel(invoice, display)
        lines = QTableView()
        lines.setObjectName("invoiceViewLines")
        lines.setModel(self.lines_model)
        lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lines.verticalHeader().hide()
        lines.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        lines.horizontalHeader().setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        summary = QFormLayout()
        summary.addRow(self.tr("تخفیف:"), QLabel(display.amount(totals.discount, with_unit=True)))
        summary.addRow(self.tr("مالیات و عوارض:"), QLabel(display.amount(totals.tax, with_unit=True)))
        payable = QLabel(display.amount(totals.payable, with_unit=True))
        payable.setObjectName("payableTotal")
        summary.addRow(self.tr("مبلغ کل:"), payable)
        for payment in invoice.payments:
            summary.addRow(method_label(payment.method) + ":", QLabel(display.amount(payment.amount, with_unit=True)))

        buttons = QHBoxLayout()
        self.reprint_button = QPushButton(self.tr("چاپ دوباره"))
        self.reprint_button.clicked.connect(lambda: self.sig_reprint.emit(invoice))
        self.return_button = QPushButton(self.tr("برگشت از فروش…"))
        self.return_button.clicked.connect(lambda: self._then_close(self.sig_return))
        self.reduce_button = QPushButton(self.tr("کاهش مبلغ…"))
        self.reduce_button.setObjectName("reduceButton")
        self.reduce_button.clicked.connect(lambda: self._then_close(self.sig_reduce))
        self.cancel_button = QPushButton(self.tr("ابطال…"))
        self.cancel_button.clicked.connect(lambda: self._then_close(self.sig_cancel))
        self.receive_button = QPushButton(self.tr("دریافت مانده…"))
        self.receive_button.setObjectName("receiveButton")
        self.receive_button.clicked.connect(lambda: self._then_close(self.sig_receive))
        is_open_sale = invoice.kind is InvoiceKind.SALE and invoice.status in OPEN_STATUSES
        self.return_button.setEnabled(is_open_sale)
        self.reduce_button.setEnabled(is_open_sale)
        self.cancel_button.setEnabled(invoice.status in OPEN_STATUSES and not cancel_refused)
        self.cancel_button.setToolTip(cancel_refused)
        self.receive_button.setEnabled(is_open_sale and totals.balance_due > ZERO)
        if totals.balance_due > ZERO:
            summary.addRow(self.tr("مانده:"), QLabel(display.amount(totals.balance_due, with_unit=True)))
        close = QPushButton(self.tr("بستن"))
        close.clicked.connect(self.reject)
        for button in (self.reprint_button, self.receive_button, self.return_button, self.reduce_button,
                       self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(lines, 1)
        layout.addLayout(summary)
        layout.addLayout(buttons)
        self.resize(820, 560)

    def _then_close(self, signal: Any) -> None:
        self.accept()
        signal.emit(self.invoice)


class ReceivePaymentDialog(QDialog):
    """Take (part of) the balance due on an issued invoice: cash, card or a bank transfer
    reference, or hand it to a payment link. After Accepted, `payment` holds what to record,
    or `wants_link` is True; nothing is stored here."""

    METHODS = (PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.LINK)

    def __init__(self, invoice: Invoice, display: Display, parent: QWidget | None = None, *,
                 link_provider: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receivePaymentDialog")
        self.setWindowTitle(self.tr("دریافت مانده فاکتور %1").replace(
            "%1", display.number(invoice.number or "")))
        self._display = display
        self._due = invoice.totals.balance_due
        self.payment: Payment | None = None
        self.wants_link = False
        self.method = QComboBox()
        self.method.setObjectName("receiveMethod")
        for method in self.METHODS:
            self.method.addItem(method_label(method), method)
        self.amount = AmountEdit(display)
        self.amount.set_amount(self._due)
        self.amount.setObjectName("receiveAmount")
        self.reference = QLineEdit()
        self.reference.setObjectName("receiveReference")
        self.reference.setPlaceholderText(self.tr("شماره پیگیری (کارت یا پرداخت آنلاین)"))
        fit_placeholder(self.reference)
        self.error_label = error_label()
        form = QFormLayout()
        form.addRow(self.tr("مانده:"), QLabel(display.amount(self._due, with_unit=True)))
        form.addRow(self.tr("روش:"), self.method)
        form.addRow(self.tr("مبلغ:"), self.amount)
        form.addRow("", self.reference)
        buttons = ok_cancel(self, self.tr("ثبت دریافت"))
        self.link_button: QPushButton | None = None
        if link_provider is not None:
            self.link_button = buttons.addButton(self.tr("لینک پرداخت و QR"),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
            self.link_button.setObjectName("receiveByLinkButton")
            self.link_button.clicked.connect(self._accept_by_link)
            if invoice.payments:
                # A provider's link asks for its whole invoice: after a part payment it would
                # charge the customer again.
                self.link_button.setEnabled(False)
                self.link_button.setToolTip(self.tr(
                    "پس از دریافت بخشی از مبلغ، لینک پرداخت ساخته نمی‌شود؛ لینک کل فاکتور را می‌خواهد"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.amount.setFocus()
        self.amount.selectAll()

    def _accept_by_link(self) -> None:
        self.wants_link = True
        super().accept()

    def accept(self) -> None:
        method = PaymentMethod(self.method.currentData())
        try:
            amount = self._display.parse_amount(self.amount.text().strip() or "0", field="payment")
            if amount <= ZERO:
                raise ValidationError("payment", "مبلغ دریافتی را بنویسید", "enter the amount received")
            if method is not PaymentMethod.CASH and amount > self._due:
                raise ValidationError(
                    "payment", "پرداخت غیرنقدی از مانده فاکتور بیشتر است",
                    "a non-cash payment cannot exceed the balance due")
        except DomainError as error:
            self.error_label.setText(self._display.error(error))
            return
        self.payment = Payment(method, amount, self.reference.text().strip())
        super().accept()


class ReturnDialog(QDialog):
    """Pick lines and quantities of `original` to take back and how to refund; accepting
    issues the return through the service (`issued` holds it)."""

    RETURN_COLUMN = 4

    def __init__(self, services: AppServices, original: Invoice, display: Display,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnDialog")
        self.setWindowTitle(self.tr("برگشت از فاکتور %1").replace("%1", display.number(original.number or "")))
        self._services = services
        self._original = original
        self._display = display
        self.issued: Invoice | None = None
        self._already = services.invoicing.returned_quantities(original.number or "")
        self.table = QTableWidget(len(original.lines), 5)
        self.table.setObjectName("returnLines")
        self.table.setHorizontalHeaderLabels([
            self.tr("ردیف"), self.tr("شرح کالا"), self.tr("فروخته"), self.tr("برگشت قبلی"), self.tr("تعداد برگشت"),
        ])
        for row, line in enumerate(original.lines):
            already = self._already.get(row, ZERO)
            values = (display.number(row + 1), line.description, display.quantity(line.quantity),
                      display.quantity(already))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
            self.table.setItem(row, self.RETURN_COLUMN, QTableWidgetItem(""))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._on_item_changed)
        self.refund_method = QComboBox()
        self.refund_method.setObjectName("refundMethod")
        methods = [PaymentMethod.CASH, PaymentMethod.CARD]
        if original.customer_id is not None:
            methods.append(PaymentMethod.CREDIT)
        for method in methods:
            self.refund_method.addItem(method_label(method), method)
        self.refund_label = FittingLabel()
        self.refund_label.setObjectName("bigAmount")
        self.error_label = error_label()
        buttons = ok_cancel(self, self.tr("صدور فاکتور برگشت"))
        self.issue_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form = QFormLayout()
        form.addRow(self.tr("روش بازپرداخت:"), self.refund_method)
        form.addRow(self.tr("مبلغ بازپرداخت:"), self.refund_label)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("تعداد برگشتی هر ردیف را در ستون آخر بنویسید.")))
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(720, 460)
        self._recalculate()
        if original.lines:  # the keyboard starts on the quantity of the first line
            self.table.setCurrentCell(0, self.RETURN_COLUMN)
        self.table.setFocus()

    def set_quantity(self, row: int, text: str) -> None:
        self.table.item(row, self.RETURN_COLUMN).setText(text)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        """A quantity typed in any digits is shown in the UI's digits (۲ in Persian)."""
        if item.column() == self.RETURN_COLUMN and (text := item.text().strip()):
            try:
                shown = self._display.quantity(parse_quantity(text))
            except DomainError:
                shown = text  # left as typed; _recalculate says what is wrong with it
            if shown != item.text():
                item.setText(shown)  # comes back here once, with nothing left to change
                return
        self._recalculate()

    def quantities(self) -> dict[int, Decimal]:
        chosen: dict[int, Decimal] = {}
        for row in range(self.table.rowCount()):
            text = self.table.item(row, self.RETURN_COLUMN).text().strip()
            if text:
                quantity = parse_quantity(text)
                if quantity:
                    chosen[row] = quantity
        return chosen

    def _draft(self) -> Invoice:
        return make_return(self._original, self.quantities(), self._already)

    def _recalculate(self) -> None:
        try:
            refund = self._draft().totals.payable if self.quantities() else ZERO
        except DomainError as error:
            self.error_label.setText(self._display.error(error))
            self.issue_button.setEnabled(False)
            return
        self.error_label.clear()
        self.issue_button.setEnabled(refund > ZERO)
        self.refund_label.setText(self._display.amount(refund, with_unit=True))

    def accept(self) -> None:
        try:
            refund = self._draft().totals.payable
            payments = (Payment(PaymentMethod(self.refund_method.currentData()), refund),) if refund else ()
            self.issued = self._services.invoicing.create_return(
                self._original.number or "", self.quantities(), payments,
            )
        except DomainError as error:
            self.error_label.setText(self._display.error(error))
            return
        super().accept()


class ReductionDialog(QDialog):
    """Lower the price (or the quantity) of what the customer still holds of sale `original`:
    each line shows what was sold, what came back and what is left, the quantity and unit price
    to keep start at what is left and at the sale's price, and a line returned in full is shown
    but cannot be reduced. Accepting issues the reduction, which replaces the sale (`issued`
    holds it)."""

    HELD_COLUMN = 4
    QUANTITY_COLUMN = 5
    PRICE_COLUMN = 6

    def __init__(self, services: AppServices, original: Invoice, display: Display,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reductionDialog")
        self.setWindowTitle(self.tr("کاهش مبلغ فاکتور %1").replace("%1", display.number(original.number or "")))
        self._services = services
        self._original = original
        self._display = display
        self.issued: Invoice | None = None
        self._returned = services.invoicing.returned_quantities(original.number or "")
        self._held = held_quantities(original, self._returned)
        self.table = QTableWidget(len(original.lines), 7)
        self.table.setObjectName("reductionLines")
        self.table.setHorizontalHeaderLabels([
            self.tr("ردیف"), self.tr("شرح کالا"), self.tr("فروخته"), self.tr("برگشت‌شده"), self.tr("نزد مشتری"),
            self.tr("مقدار پس از کاهش"), self.tr("قیمت واحد پس از کاهش"),
        ])
        read_only = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        for row, line in enumerate(original.lines):
            held = self._held.get(row, ZERO)
            values = (display.number(row + 1), line.description, display.quantity(line.quantity),
                      display.quantity(self._returned.get(row, ZERO)), display.quantity(held))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(read_only)
                self.table.setItem(row, column, item)
            if held > ZERO:
                quantity, price = display.quantity(held), display.amount(line.unit_price)
                flags = read_only | Qt.ItemFlag.ItemIsEditable
            else:
                quantity, price = "", self.tr("کامل برگشت خورده")
                flags = Qt.ItemFlag.NoItemFlags
            for column, value in ((self.QUANTITY_COLUMN, quantity), (self.PRICE_COLUMN, price)):
                item = QTableWidgetItem(value)
                item.setFlags(flags)
                self.table.setItem(row, column, item)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._recalculate)
        self.before_label = QLabel()
        self.before_label.setObjectName("heldAmount")
        self.after_label = FittingLabel()
        self.after_label.setObjectName("bigAmount")
        self.error_label = error_label()
        buttons = ok_cancel(self, self.tr("صدور فاکتور کاهشی"))
        self.issue_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form = QFormLayout()
        form.addRow(self.tr("آنچه نزد مشتری مانده، پیش از کاهش:"), self.before_label)
        form.addRow(self.tr("مبلغ فاکتور کاهشی:"), self.after_label)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "مقدار یا قیمت واحد هر ردیف را کم کنید. فاکتور کاهشی جای این فروش را می‌گیرد و کالای "
            "برگشت‌شده در آن نمی‌آید.")))
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(860, 480)
        self._recalculate()
        first = min(self._held, default=None)
        if first is not None:  # the keyboard starts on the price of the first line still held
            self.table.setCurrentCell(first, self.PRICE_COLUMN)
        self.table.setFocus()

    def set_cell(self, row: int, column: int, text: str) -> None:
        self.table.item(row, column).setText(text)

    def held_quantities(self) -> dict[int, Decimal]:
        """What the customer still holds of each line (line index -> quantity), as shown."""
        return dict(self._held)

    def changes(self) -> dict[int, tuple[Decimal, Decimal]]:
        """(quantity, unit price) per line still held, as typed; raises ValidationError."""
        chosen: dict[int, tuple[Decimal, Decimal]] = {}
        for row in self._held:
            quantity = parse_quantity(self.table.item(row, self.QUANTITY_COLUMN).text())
            price = self._display.parse_amount(self.table.item(row, self.PRICE_COLUMN).text(), field="unit_price")
            chosen[row] = (quantity, price)
        return chosen

    def _draft(self) -> Invoice:
        return make_reduction(self._original, self.changes(), returned=self._returned)

    def _recalculate(self) -> None:
        before = make_reduction(self._original, {}, returned=self._returned).totals.payable if self._held else ZERO
        self.before_label.setText(self._display.amount(before, with_unit=True))
        try:
            after = self._draft().totals.payable
        except DomainError as error:
            self.error_label.setText(self._display.error(error))
            self.issue_button.setEnabled(False)
            return
        self.error_label.clear()
        self.after_label.setText(self._display.amount(after, with_unit=True))
        self.issue_button.setEnabled(after < before)

    def accept(self) -> None:
        invoicing = self._services.invoicing
        try:
            self.issued = invoicing.issue(invoicing.draft_reduction(self._original.number or "", self.changes()))
        except DomainError as error:
            self.error_label.setText(self._display.error(error))
            return
        super().accept()


class CancelInvoiceDialog(QDialog):
    """Cancel an issued invoice; the reason is required and kept with it."""

    def __init__(self, services: AppServices, invoice: Invoice, display: Display,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelDialog")
        self.setWindowTitle(self.tr("ابطال فاکتور %1").replace("%1", display.number(invoice.number or "")))
        self._services = services
        self._invoice = invoice
        self._display = display
        self.cancelled: Invoice | None = None
        summary = QLabel(self.tr("مبلغ: %1 — خریدار: %2")
                         .replace("%1", display.amount(invoice.totals.payable, with_unit=True))
                         .replace("%2", invoice.buyer.name if invoice.buyer else self.tr("گذری")))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("cancelReason")
        self.reason.setPlaceholderText(self.tr("دلیل ابطال (الزامی)"))
        self.reason.setTabChangesFocus(True)
        self.error_label = error_label()
        buttons = ok_cancel(self, self.tr("ابطال فاکتور"))
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.reason)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            reason = self.reason.toPlainText().strip()
            if not reason:
                raise ValidationError("cancel_reason", "دلیل ابطال را بنویسید",
                                      "give a reason for the cancellation")
            self.cancelled = self._services.invoicing.cancel(self._invoice.number or "", reason)
        except DomainError as error:
            self.error_label.setText(self._display.error(error))
            return
        super().accept()


class HeldInvoicesDialog(QDialog):
    """The parked sales; Enter or double-click resumes one (`chosen_id`)."""

    def __init__(self, services: AppServices, display: Display, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heldDialog")
        self.setWindowTitle(self.tr("فاکتورهای نگه‌داشته"))
        self.chosen_id: int | None = None
        self.list = QListWidget()
        self.list.setObjectName("heldList")
        for held in services.invoicing.held():
            item = QListWidgetItem(
                f"{held.label}    {display.datetime(held.created_at)}    "
                + self.tr("%1 ردیف").replace("%1", display.number(held.line_count))
                + f"    {display.amount(held.payable, with_unit=True)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, held.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        empty = QLabel(self.tr("فاکتور نگه‌داشته‌ای نیست"))
        empty.setVisible(self.list.count() == 0)
        buttons = ok_cancel(self, self.tr("ادامه این فاکتور"))
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.reject()
            return
        self.chosen_id = int(item.data(Qt.ItemDataRole.UserRole))
        super().accept()
