"""Taking the balance due on an open invoice from its view: a partial card payment, then the
rest in cash with change, each stored once; a bad amount is refused with a message."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from posapp.domain.invoice import InvoiceLine, InvoiceStatus, Payment, PaymentMethod
from posapp.ui.invoice_dialogs import InvoiceViewDialog, ReceivePaymentDialog
from tests.ui.keys import type_text


def open_sale(services):
    draft = services.invoicing.new_draft(cashier="مریم").with_changes(
        lines=(InvoiceLine("نان سنگک", Decimal(2), Decimal(120000)),))
    return services.invoicing.issue(draft)


def receive(window, number, fill) -> dict:
    """Open invoice `number`, press "receive the balance" and let `fill(dialog)` answer."""
    seen: dict = {}

    def in_receive_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReceivePaymentDialog)
        fill(dialog)
        seen["error"] = dialog.error_label.text()
        if dialog.isVisible():
            dialog.reject()

    def in_view_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, InvoiceViewDialog)
        seen["enabled"] = dialog.receive_button.isEnabled()
        if not dialog.receive_button.isEnabled():
            dialog.reject()
            return
        QTimer.singleShot(0, in_receive_dialog)
        dialog.receive_button.click()

    QTimer.singleShot(0, in_view_dialog)
    window.open_invoice(number)
    return seen


def test_the_balance_is_taken_in_parts_and_the_invoice_ends_paid(window, services):
    sale = open_sale(services)
    assert sale.totals.balance_due == Decimal(240000)

    def card_part(dialog):
        dialog.method.setCurrentIndex(dialog.method.findData(PaymentMethod.CARD))
        dialog.amount.clear()
        type_text(dialog.amount, "۱۰۰۰۰۰")
        type_text(dialog.reference, "778899")
        dialog.accept()

    receive(window, sale.number, card_part)
    stored = services.invoicing.get_by_number(sale.number)
    assert stored.status is InvoiceStatus.PARTLY_PAID
    assert [(p.method, p.amount, p.reference) for p in stored.payments] == [
        (PaymentMethod.CARD, Decimal(100000), "778899")]

    def cash_with_change(dialog):
        dialog.amount.clear()
        type_text(dialog.amount, "150000")
        dialog.accept()

    receive(window, sale.number, cash_with_change)
    stored = services.invoicing.get_by_number(sale.number)
    assert stored.status is InvoiceStatus.PAID
    assert stored.totals.balance_due == 0
    assert stored.totals.change == Decimal(10000)
    assert receive(window, sale.number, lambda dialog: None)["enabled"] is False


def test_a_card_payment_above_the_balance_is_refused_and_nothing_is_stored(window, services):
    sale = open_sale(services)

    def too_much(dialog):
        dialog.method.setCurrentIndex(dialog.method.findData(PaymentMethod.CARD))
        dialog.amount.clear()
        type_text(dialog.amount, "999999")
        dialog.accept()

    seen = receive(window, sale.number, too_much)
    assert "مانده" in seen["error"]
    assert services.invoicing.get_by_number(sale.number).payments == ()


def test_a_payment_link_is_offered_only_while_nothing_was_paid(qtbot, services, window):
    sale = open_sale(services)
    fresh = ReceivePaymentDialog(sale, window.display, link_provider="pod")
    qtbot.addWidget(fresh)
    assert fresh.link_button.isEnabled()
    part_paid = services.invoicing.record_payment(sale.number, Payment(PaymentMethod.CASH, Decimal(1000)))
    after_part = ReceivePaymentDialog(part_paid, window.display, link_provider="pod")
    qtbot.addWidget(after_part)
    assert not after_part.link_button.isEnabled()
    without_provider = ReceivePaymentDialog(sale, window.display)
    qtbot.addWidget(without_provider)
    assert without_provider.link_button is None
