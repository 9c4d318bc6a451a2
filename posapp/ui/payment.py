"""The payment dialog: split what is payable across cash, card, online link and on-account.

Cash tendered and the change to hand back ("بقیه پول", the word the receipt prints too) are
shown large, in labels that shrink their font rather than cut a digit. Enter issues the invoice (the
dialog accepts only when the split covers the amount exactly, except that cash may exceed it
and is given back as change; the domain's `compute_totals` decides, so the rules live there).
With a payment-link provider configured, "pay by link" issues the invoice unpaid and leaves the
whole amount to the provider's link, shown as a QR by the main window.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.invoice import Invoice, Payment, PaymentMethod
from posapp.domain.money import ZERO
from posapp.services.sync_settings import provider_title
from posapp.ui.amount_edit import AmountEdit
from posapp.ui.display import Display
from posapp.ui.fitting_label import FittingLabel
from posapp.ui.screen_fit import screen_room


class PaymentDialog(QDialog):
    """Collects the payments for `draft`. After `exec()` returns Accepted, `payments()` holds
    them; nothing is stored here (the editor issues the invoice)."""

    def __init__(self, draft: Invoice, display: Display, parent: QWidget | None = None, *,
                 link_provider: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setWindowTitle(self.tr("پرداخت و صدور فاکتور"))
        self._draft = draft.with_changes(payments=())
        self._display = display
        self._payable = self._draft.totals.payable
        self._payments: tuple[Payment, ...] = ()
        self.pays_by_link = False
        """True when accepted through "pay by link": the whole amount is due by the provider's link."""

        self.payable_label = FittingLabel(display.amount(self._payable, with_unit=True))
        self.payable_label.setObjectName("payableAmount")
        self.cash_edit = self._amount_edit("cashEdit")
        self.card_edit = self._amount_edit("cardEdit")
        self.card_reference = QLineEdit()
        self.card_reference.setObjectName("cardReference")
        self.card_reference.setPlaceholderText(self.tr("اختیاری"))
        self.link_edit = self._amount_edit("linkEdit")
        self.link_reference = QLineEdit()
        self.link_reference.setObjectName("linkReference")
        self.link_reference.setPlaceholderText(self.tr("اختیاری"))
        self.credit_edit = self._amount_edit("creditEdit")
        self._walk_in = draft.customer_id is None
        if self._walk_in:
            self.credit_edit.setEnabled(False)
            self.credit_edit.setToolTip(self.tr("فروش نسیه فقط برای مشتری ثبت‌شده ممکن است"))
        self.tendered_label = FittingLabel()
        self.tendered_label.setObjectName("bigAmount")
        self.change_label = FittingLabel()
        self.change_label.setObjectName("changeAmount")
        self.remaining_label = FittingLabel()
        self.remaining_label.setObjectName("remainingAmount")
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("مبلغ قابل پرداخت:"), self.payable_label)
        form.addRow(self.tr("نقد (دریافتی):"), self.cash_edit)
        form.addRow(self.tr("کارت:"), self.card_edit)
        form.addRow(self.tr("شماره پیگیری کارت‌خوان:"), self.card_reference)
        form.addRow(self.tr("پرداخت آنلاین (لینک):"), self.link_edit)
        form.addRow(self.tr("شماره پیگیری پرداخت آنلاین:"), self.link_reference)
        form.addRow(self.tr("نسیه (به حساب مشتری):"), self.credit_edit)

        big = QGridLayout()
        big.setHorizontalSpacing(24)
        for column, (caption, value) in enumerate((
            (self.tr("نقد دریافتی"), self.tendered_label),
            (self.tr("باقی‌مانده"), self.remaining_label),
            (self.tr("بقیه پول"), self.change_label),
        )):
            caption_label = QLabel(caption)
            caption_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            big.addWidget(caption_label, 0, column)
            big.addWidget(value, 1, column)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.issue_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.issue_button.setText(self.tr("صدور فاکتور (Enter)"))
        self.issue_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.link_button: QPushButton | None = None
        if link_provider is not None:
            self.link_button = buttons.addButton(
                self.tr("پرداخت با لینک و QR (%1)").replace("%1", provider_title(link_provider,
                                                                                       display.language)),
                QDialogButtonBox.ButtonRole.ActionRole)
            self.link_button.setObjectName("payByLinkButton")
            self.link_button.clicked.connect(self.accept_by_link)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(big)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.setMinimumWidth(min(640, screen_room(self).width()))
        self.cash_edit.set_amount(self._payable)
        self._recalculate()
        self.cash_edit.setFocus()
        self.cash_edit.selectAll()

    def _amount_edit(self, name: str) -> AmountEdit:
        edit = AmountEdit(self._display)
        edit.setObjectName(name)
        edit.textEdited.connect(self._recalculate)
        return edit

    def payments(self) -> tuple[Payment, ...]:
        return self._payments

    def _read_payments(self) -> tuple[Payment, ...]:
        """The payments typed so far; raises DomainError naming the bad field."""
        fields = (
            (self.cash_edit, PaymentMethod.CASH, None),
            (self.card_edit, PaymentMethod.CARD, self.card_reference),
            (self.link_edit, PaymentMethod.LINK, self.link_reference),
            (self.credit_edit, PaymentMethod.CREDIT, None),
        )
        payments = []
        for edit, method, reference in fields:
            text = edit.text().strip()
            if not text:
                continue
            amount = self._display.parse_amount(text, field="payment")
            if amount > ZERO:
                payments.append(Payment(method, amount, reference.text().strip() if reference else ""))
        return tuple(payments)

    def _recalculate(self) -> None:
        display = self._display
        try:
            payments = self._read_payments()
            totals = self._draft.with_changes(payments=payments).totals
        except DomainError as error:
            self._show_error(error)
            return
        cash = sum((p.amount for p in payments if p.method is PaymentMethod.CASH), ZERO)
        self.tendered_label.setText(display.amount(cash, with_unit=True))
        self.change_label.setText(display.amount(totals.change, with_unit=True))
        self.remaining_label.setText(display.amount(totals.balance_due, with_unit=True))
        self._payments = payments
        self._show_error(None)

    def _show_error(self, error: DomainError | None) -> None:
        self.error_label.setText(self._display.error(error) if error else "")
        self.issue_button.setEnabled(error is None)

    def remaining(self) -> Decimal:
        return self._draft.with_changes(payments=self._payments).totals.balance_due

    def accept_by_link(self) -> None:
        """Accept with the whole amount to be paid by the provider's link. The providers' links
        ask for their whole invoice, so any other payment typed here (the cash the dialog filled
        in by itself aside) would be charged twice: it is refused with a message."""
        cash_typed = self.cash_edit.isModified()
        try:
            others = tuple(
                p for p in self._read_payments()
                if p.method is not PaymentMethod.LINK and (cash_typed or p.method is not PaymentMethod.CASH))
            if others:
                raise ValidationError(
                    "payment",
                    "پرداخت با لینک برای کل مبلغ فاکتور است؛ مبالغ دیگر را پاک کنید",
                    "pay by link takes the whole invoice; clear the other amounts first",
                )
        except DomainError as error:
            self._show_error(error)
            return
        self._payments = ()
        self.pays_by_link = True
        super().accept()

    def accept(self) -> None:
        try:
            payments = self._read_payments()
            totals = self._draft.with_changes(payments=payments).totals
            if totals.balance_due > ZERO and self._walk_in:
                raise ValidationError(
                    "payment",
                    "مبلغ پرداخت‌شده کمتر از مبلغ فاکتور است؛ باقی‌مانده را نقد یا با کارت بگیرید "
                    "(نسیه فقط برای مشتری ثبت‌شده است)",
                    "the payments do not cover the invoice; take the rest in cash or by card "
                    "(on account is only for a named customer)",
                )
            if totals.balance_due > ZERO:
                raise ValidationError(
                    "payment",
                    "مبلغ پرداخت‌شده کمتر از مبلغ فاکتور است؛ باقی‌مانده را نسیه یا با روش دیگری بگیرید",
                    "the payments do not cover the invoice; take the rest by another method or on account",
                )
        except DomainError as error:
            self._show_error(error)
            return
        self._payments = payments
        super().accept()
