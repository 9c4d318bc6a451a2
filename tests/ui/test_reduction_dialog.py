"""The price-reduction dialog, driven as a cashier drives it: it offers what the customer still
holds after every return (never the quantities sold), a line returned in full cannot be reduced,
and accepting issues a reduction of the kept goods that replaces the sale."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from posapp.domain.invoice import InvoiceKind, InvoiceStatus
from posapp.ui import invoice_actions
from posapp.ui.invoice_dialogs import InvoiceViewDialog, ReductionDialog
from tests.ui.keys import press, type_text
from tests.ui.test_editor import scan


def _sale_with_returns(window, services):
    """Three milk and a bread paid in cash; one milk and the bread came back."""
    for code in ("1001", "1001", "1001", "1002"):
        scan(window, code)
    sale = window.editor.quick_cash()
    services.invoicing.create_return(sale.number, {0: Decimal(1), 1: Decimal(1)})
    return sale


def _text(dialog, row, column):
    return dialog.table.item(row, column).text()


def test_the_dialog_offers_what_the_customer_still_holds_and_issues_a_reduction_of_it(window, services, catalog,
                                                                                       qtbot):
    sale = _sale_with_returns(window, services)
    dialog = ReductionDialog(services, sale, window.display, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.table.hasFocus)
    assert [_text(dialog, 0, column) for column in range(2, 6)] == ["۳", "۱", "۲", "۲"]
    assert [_text(dialog, 1, column) for column in range(2, 5)] == ["۱", "۱", "۰"]
    returned_in_full = dialog.table.item(1, ReductionDialog.QUANTITY_COLUMN)
    assert not returned_in_full.flags() & Qt.ItemFlag.ItemIsEditable
    assert _text(dialog, 1, ReductionDialog.PRICE_COLUMN) == "کامل برگشت خورده"
    assert dialog.held_quantities() == {0: Decimal(2)}
    assert not dialog.issue_button.isEnabled(), "nothing lowered yet"
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (0, ReductionDialog.PRICE_COLUMN)
    type_text(dialog.table, "4")  # typing starts editing the price...
    editor = QApplication.focusWidget()
    type_text(editor, "00000")  # ...and the rest goes into the cell's editor
    press(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits through a queued call
    assert dialog.changes() == {0: (Decimal(2), Decimal(400_000))}
    assert dialog.issue_button.isEnabled()
    dialog.accept()
    reduction = dialog.issued
    assert reduction is not None
    assert reduction.kind is InvoiceKind.REDUCTION
    assert [(line.origin_line, line.quantity, line.unit_price) for line in reduction.lines] == [
        (0, Decimal(2), Decimal(400_000))]
    assert services.invoicing.get(sale.id).status is InvoiceStatus.CANCELLED


def test_more_than_the_customer_holds_is_refused_with_a_message_and_issues_nothing(window, services, catalog,
                                                                                  qtbot):
    sale = _sale_with_returns(window, services)
    dialog = ReductionDialog(services, sale, window.display, window)
    qtbot.addWidget(dialog)
    dialog.set_cell(0, ReductionDialog.QUANTITY_COLUMN, "3")
    dialog.set_cell(0, ReductionDialog.PRICE_COLUMN, "400000")
    assert not dialog.issue_button.isEnabled()
    assert "بیش از آنچه نزد مشتری مانده" in dialog.error_label.text()
    dialog.accept()
    assert dialog.issued is None
    assert services.invoicing.get(sale.id).status is not InvoiceStatus.CANCELLED


def test_the_invoice_view_opens_the_reduction_of_an_open_sale(window, services, catalog, qtbot, monkeypatch):
    sale = _sale_with_returns(window, services)
    view = InvoiceViewDialog(services.invoicing.get(sale.id), window.display, window)
    qtbot.addWidget(view)
    assert view.reduce_button.isEnabled()
    offered = []

    def capture(dialog):
        offered.append(dialog.held_quantities())
        return ReductionDialog.DialogCode.Rejected

    monkeypatch.setattr(invoice_actions.ReductionDialog, "exec", capture)
    view.sig_reduce.connect(lambda invoice: window.invoice_actions.start_reduction(invoice.number))
    qtbot.mouseClick(view.reduce_button, Qt.MouseButton.LeftButton)
    assert offered == [{0: Decimal(2)}]
    returned = [s for s in services.invoicing.history(_all(), 0, 10) if s.kind is InvoiceKind.RETURN]
    assert not InvoiceViewDialog(services.invoicing.get(returned[0].id), window.display, window).reduce_button.isEnabled()


def _all():
    from posapp.services.invoicing import HistoryFilter

    return HistoryFilter()
