"""After each write made from the window, every pane shows what the database now holds: the
products pane's stock after a sale, a return and a cancellation (a cancellation once left it
one short), the history's status and balance after a cancellation and a payment."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from posapp.domain.changes import Changes
from posapp.domain.invoice import InvoiceStatus, PaymentMethod
from posapp.services.catalog import ProductInput
from posapp.services.invoicing import HistoryFilter
from posapp.ui.invoice_dialogs import CancelInvoiceDialog, ReturnDialog


def shown_row(model, matches):
    """The first row of a pane's model that `matches`."""
    for row in range(model.rowCount()):
        item = model.row_at(row)
        if item is not None and matches(item):
            return item
    raise AssertionError("the row is not in the pane")


def shown_stock(window, code: str) -> Decimal:
    """The stock the products pane shows for product `code`."""
    return shown_row(window.products.model, lambda product: product.code == code).stock


def stored_stock(services, code: str) -> Decimal:
    return services.catalog.find_by_code(code).stock


def shown_status(window, number: str) -> InvoiceStatus:
    return shown_row(window.history.model, lambda summary: summary.number == number).status


def answer_next_dialog(kind, fill) -> None:
    """Let `fill(dialog)` answer the next modal dialog, which must be a `kind`."""
    def in_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, kind)
        fill(dialog)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, in_dialog)


def sell_milk(window, count: int = 1):
    for _ in range(count):
        window.editor.scan("1001")
    return window.editor.quick_cash()


def test_a_sale_shows_the_lower_stock(window, services, qtbot):
    assert shown_stock(window, "1001") == Decimal(50)
    sale = sell_milk(window, 2)
    assert sale is not None
    assert stored_stock(services, "1001") == Decimal(48)
    qtbot.waitUntil(lambda: shown_stock(window, "1001") == Decimal(48))


def test_a_cancellation_from_the_window_puts_the_stock_back_in_the_products_pane(window, services, qtbot):
    sale = sell_milk(window)
    qtbot.waitUntil(lambda: shown_stock(window, "1001") == Decimal(49))

    def give_reason(dialog):
        dialog.reason.setPlainText("مشتری منصرف شد")
        dialog.accept()

    answer_next_dialog(CancelInvoiceDialog, give_reason)
    window.cancel_invoice(sale.number)
    assert services.invoicing.get_by_number(sale.number).status is InvoiceStatus.CANCELLED
    assert stored_stock(services, "1001") == Decimal(50)
    qtbot.waitUntil(lambda: shown_stock(window, "1001") == Decimal(50))
    qtbot.waitUntil(lambda: shown_status(window, sale.number) is InvoiceStatus.CANCELLED)


def test_a_return_from_the_window_puts_the_stock_back_in_the_products_pane(window, services, qtbot):
    sale = sell_milk(window, 3)
    qtbot.waitUntil(lambda: shown_stock(window, "1001") == Decimal(47))

    def return_two(dialog):
        dialog.set_quantity(0, "2")
        dialog.accept()

    answer_next_dialog(ReturnDialog, return_two)
    window.start_return(sale.number)
    assert services.invoicing.returned_quantities(sale.number) == {0: Decimal(2)}
    assert stored_stock(services, "1001") == Decimal(49)
    qtbot.waitUntil(lambda: shown_stock(window, "1001") == Decimal(49))


def test_a_payment_taken_later_shows_in_the_history(window, services, qtbot):
    draft = services.invoicing.new_draft(cashier="مریم")
    milk = services.catalog.find_by_code("1001")
    sale = services.invoicing.issue(draft.with_changes(
        lines=(services.invoicing.line_for_product(milk),)))
    window.history.refresh()
    qtbot.waitUntil(lambda: shown_status(window, sale.number) is InvoiceStatus.ISSUED)

    def pay_in_cash(dialog):
        dialog.method.setCurrentIndex(dialog.method.findData(PaymentMethod.CASH))
        dialog.accept()

    from posapp.ui.invoice_dialogs import ReceivePaymentDialog

    answer_next_dialog(ReceivePaymentDialog, pay_in_cash)
    window.receive_payment(sale)
    assert services.invoicing.get_by_number(sale.number).status is InvoiceStatus.PAID
    qtbot.waitUntil(lambda: shown_status(window, sale.number) is InvoiceStatus.PAID)


def test_a_write_on_a_worker_thread_refreshes_the_panes_on_the_gui_thread(window, services, qtbot):
    """The sync worker records a paid link on its own thread; the window hears it on its own."""
    import threading

    sale = sell_milk(window)
    seen_on: list[bool] = []
    window.change_hub.sig_changed.connect(
        lambda _changes: seen_on.append(threading.current_thread() is threading.main_thread()))
    worker = threading.Thread(
        target=lambda: services.invoicing.create_return(sale.number, {0: Decimal(1)}))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: shown_stock(window, "1001") == Decimal(50))
    qtbot.waitUntil(lambda: seen_on != [])
    assert seen_on == [True]


def test_a_closed_window_hears_no_more_changes(pos, services, qtbot):
    window = pos.window
    heard: list[object] = []
    window.change_hub.sig_changed.connect(heard.append)
    window.close()
    services.catalog.create(ProductInput(name="ماست", code="2001", price=Decimal(90000)))
    qtbot.wait(20)
    assert heard == []


def test_a_scan_typed_while_the_sale_is_being_issued_goes_to_the_next_sale(window, services, qtbot):
    """Issuing runs on the GUI thread (docs/architecture.md): keys the scanner sends meanwhile
    wait in Qt's queue and reach the new sale, so nothing is lost and nothing is issued twice."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    window.editor.scan("1001")
    field = window.editor.code_field
    for ch in "1002":
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.postEvent(field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.postEvent(field, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
    issued = window.editor.quick_cash()  # returns before the queued keys are read
    assert [line.product_code for line in issued.lines] == ["1001"]
    qtbot.waitUntil(lambda: len(window.editor.draft.lines) == 1)
    assert [line.product_code for line in window.editor.draft.lines] == ["1002"]
    assert services.invoicing.history_count(HistoryFilter()) == 1


def test_writes_a_worker_makes_in_a_burst_arrive_merged(window, services, qtbot):
    """Demo data issues batch after batch on the write lane: the window refreshes for them
    together, not once per batch, and hears every kind they changed."""
    import threading

    heard: list[Changes] = []
    window.change_hub.sig_changed.connect(heard.append)

    def burst():
        for _ in range(50):
            services.changes.publish(Changes(invoices=True))
        services.changes.publish(Changes(customers=True))

    worker = threading.Thread(target=burst)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: heard != [])
    qtbot.wait(20)
    assert heard == [Changes(invoices=True, customers=True)]


def test_demo_data_made_in_the_background_shows_in_every_pane(window, services, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from posapp.ui import main_window

    monkeypatch.setattr(main_window, "DEMO_PRODUCTS", 12)
    monkeypatch.setattr(main_window, "DEMO_CUSTOMERS", 5)
    monkeypatch.setattr(main_window, "DEMO_INVOICES", 7)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    products_before = window.products.model.rowCount()
    customers_before = window.customers.model.rowCount()
    window.add_demo_data()
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 7, timeout=20_000)
    qtbot.waitUntil(lambda: window.products.model.rowCount() == products_before + 12)
    qtbot.waitUntil(lambda: window.customers.model.rowCount() == customers_before + 5)
