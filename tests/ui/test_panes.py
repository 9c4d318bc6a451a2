"""Panes and dialogs through real widgets: customers, products, import, history, returns,
cancellation, language and direction, layout memory, and the models' Qt contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt

from posapp.domain.invoice import InvoiceKind, InvoiceStatus, PaymentMethod
from posapp.services.invoicing import HistoryFilter
from posapp.settings.ui import DISPLAY_UNIT, UI_LANGUAGE
from posapp.ui.customers import CustomerDialog, CustomerPickerDialog
from posapp.ui.invoice_dialogs import CancelInvoiceDialog, InvoiceViewDialog, ReturnDialog
from posapp.ui.products import ImportPreviewDialog, ProductDialog
from tests.ui.keys import press, type_text


def _sell(window, *codes: str):
    for code in codes:
        window.editor.scan(code)
    return window.editor.quick_cash()


def test_customer_create_shows_the_validation_error_next_to_the_field(window, services, qtbot):
    dialog = CustomerDialog(services, window.display, None, window)
    qtbot.addWidget(dialog)
    dialog.edits["name"].setText("زهرا احمدی")
    dialog.edits["national_id"].setText("0012345678")
    dialog.edits["mobile"].setText("۰۹۱۲۳۴۵۶۷۸۹")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.form.errors["national_id"].isVisibleTo(dialog)
    assert "کد ملی" in dialog.form.error_text("national_id")
    assert dialog.edits["national_id"].text() == "0012345678"
    dialog.edits["national_id"].setText("0012345679")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.saved.mobile == "09123456789"
    assert services.customers.count("زهرا") == 1


def test_customer_pane_searches_as_you_type_and_shows_balance(window, services, customer, qtbot):
    pane = window.customers
    pane.refresh()
    assert pane.model.rowCount() == 1
    type_text(pane.search_field, "۰۹۱۲")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1 and pane.model.row_at(0).id == customer.id)
    type_text(pane.search_field, "xyz")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0)
    pane.search_field.clear()
    pane.refresh()
    pane.table.setCurrentIndex(pane.model.index(0, 0))
    assert customer.name in pane.balance_label.text()


def test_customer_picker_finds_by_mobile_and_sets_the_buyer(window, services, customer, qtbot):
    picker = CustomerPickerDialog(services, window.tasks, window.display, window)
    qtbot.addWidget(picker)
    picker.show()
    with qtbot.waitSignal(picker.live.sig_results_shown, timeout=5000):
        type_text(picker.search_field, "09121234567")
    press(picker.search_field, Qt.Key.Key_Return)
    assert picker.chosen.id == customer.id
    window.editor.set_customer(picker.chosen)
    assert window.editor.draft.buyer.name == customer.name
    assert window.editor.customer_label.text() == customer.name


def test_product_create_with_a_validation_error_then_several_barcodes(window, services, qtbot):
    dialog = ProductDialog(services, window.display, None, window)
    qtbot.addWidget(dialog)
    dialog.code.setText("2001")
    dialog.name.setText("ماست موسیر")
    dialog.price.setText("-5")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "منفی" in dialog.form.error_text("price")
    dialog.price.setText("۲۵۰٬۰۰۰")
    dialog.barcodes.setText("6260000000011; 6260000000028")
    dialog.tax.setText("9")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = services.catalog.find_by_code("6260000000028")
    assert saved.price == Decimal(250000)
    assert saved.barcodes == ("6260000000011", "6260000000028")
    assert saved.tax_rate_override == Decimal("0.09")


def test_toman_display_reads_and_shows_amounts_in_toman(pos, store, services, qtbot):
    store.set(DISPLAY_UNIT, "toman")
    pos.rebuild_window()
    window = pos.window
    dialog = ProductDialog(services, window.display, None, window)
    qtbot.addWidget(dialog)
    dialog.code.setText("3001")
    dialog.name.setText("کره")
    dialog.price.setText("45000")
    dialog.accept()
    assert services.catalog.find_by_code("3001").price == Decimal(450000)
    window.editor.scan("3001")
    assert "تومان" in window.editor._total_labels["payable"].text()
    assert window.editor._total_labels["payable"].text() == "۴۹٬۵۰۰ تومان"  # 45,000 + 10% VAT


def test_import_with_a_bad_row_previews_errors_and_imports_only_when_confirmed(window, services, tmp_path, qtbot):
    path = tmp_path / "prices.csv"
    path.write_text(
        "کد,نام,قیمت,بارکد\n"
        "5001,برنج هاشمی,1200000,6261111111111\n"
        "5002,,50000,\n"
        "5003,روغن,abc,\n"
        "5004,عدس,300000,\n",
        encoding="utf-8",
    )
    before = services.catalog.count("")
    preview = services.catalog.preview_import(path)
    dialog = ImportPreviewDialog(preview, window.display, window)
    qtbot.addWidget(dialog)
    assert dialog.rows_table.rowCount() == 2
    assert dialog.errors_table.rowCount() == 2
    error_rows = {dialog.errors_table.item(r, 0).text() for r in range(2)}
    assert error_rows == {"۳", "۴"}
    assert services.catalog.count("") == before
    with qtbot.waitSignal(window.products.sig_imported, timeout=10_000) as imported:
        window.products.commit_import(preview)
    assert imported.args[0].created == 2
    assert services.catalog.count("") == before + 2
    assert services.catalog.find_by_code("6261111111111").name == "برنج هاشمی"
    assert window.products.model.rowCount() == before + 2


def test_export_runs_in_the_background(window, tmp_path, qtbot):
    path = tmp_path / "out.csv"
    with qtbot.waitSignal(window.products.sig_message, timeout=10_000):
        window.products.export_products(str(path))
    assert "1001" in path.read_text(encoding="utf-8")


def test_partial_return_from_an_earlier_invoice(window, services, qtbot):
    original = _sell(window, "1002", "1002", "1002", "1001")
    dialog = ReturnDialog(services, original, window.display, window)
    qtbot.addWidget(dialog)
    dialog.set_quantity(0, "۵")
    assert not dialog.issue_button.isEnabled()
    assert "بیش از" in dialog.error_label.text()
    dialog.set_quantity(0, "2")
    assert dialog.issue_button.isEnabled()
    assert dialog.refund_label.text() == "۲۴۰٬۰۰۰ ریال"
    dialog.accept()
    returned = dialog.issued
    assert returned.kind is InvoiceKind.RETURN
    assert returned.original_number == original.number
    assert returned.payments[0].method is PaymentMethod.CASH
    assert services.invoicing.returned_quantities(original.number) == {0: Decimal(2)}
    again = ReturnDialog(services, original, window.display, window)
    qtbot.addWidget(again)
    assert again.table.item(0, 3).text() == "۲"


def test_cancellation_needs_a_reason(window, services, qtbot):
    issued = _sell(window, "1001")
    dialog = CancelInvoiceDialog(services, issued, window.display, window)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert "دلیل" in dialog.error_label.text()
    dialog.reason.setPlainText("مشتری منصرف شد")
    dialog.accept()
    stored = services.invoicing.get_by_number(issued.number)
    assert stored.status is InvoiceStatus.CANCELLED
    assert stored.cancel_reason == "مشتری منصرف شد"
    view = InvoiceViewDialog(stored, window.display, window)
    qtbot.addWidget(view)
    assert not view.cancel_button.isEnabled()
    assert not view.return_button.isEnabled()


def test_the_invoice_view_offers_no_cancel_for_a_sale_with_returns_and_says_why(window, services, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    issued = _sell(window, "1001", "1002")
    services.invoicing.create_return(issued.number, {0: Decimal(1)})
    seen = []

    def look(tries=300):
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, InvoiceViewDialog):
            assert tries > 0, "the invoice view did not open"
            QTimer.singleShot(10, lambda: look(tries - 1))
            return
        seen.append((dialog.cancel_button.isEnabled(), dialog.cancel_button.toolTip(),
                     dialog.reduce_button.isEnabled()))
        dialog.reject()

    QTimer.singleShot(0, look)
    window.invoice_actions.open_invoice(issued.number)
    [(cancel_enabled, why, reduce_enabled)] = seen
    assert not cancel_enabled
    assert "برگشتی دارد" in why  # the service's own reason, not a silent grey button
    assert reduce_enabled  # what is left of the sale can still be corrected


def test_history_filters_by_status_date_and_amount(window, services, qtbot, qtmodeltester):
    first = _sell(window, "1002")
    _sell(window, "1001")
    services.invoicing.cancel(first.number, "اشتباه")
    history = window.history
    history.refresh()
    assert history.model.rowCount() == 2
    qtmodeltester.check(history.model)
    history.status.setCurrentIndex(history.status.findData(InvoiceStatus.CANCELLED))
    history.refresh()
    assert [history.model.row_at(0).number] == [first.number]
    history.clear_filters()
    history.min_amount.setText("۲۰۰۰۰۰")
    history.refresh()
    assert history.model.rowCount() == 1
    history.min_amount.setText("abc")
    history.refresh()
    assert history.filter_error.isVisibleTo(history)
    history.clear_filters()
    history.date_to.set_date(date(2000, 1, 1))
    history.refresh()
    assert history.model.rowCount() == 0
    assert history.current_filter() == HistoryFilter(date_to=date(2000, 1, 1))


def test_pane_models_pass_the_qt_model_tester(window, customer, qtmodeltester):
    window.customers.refresh()
    window.products.refresh()
    qtmodeltester.check(window.customers.model)
    qtmodeltester.check(window.products.model)
    window.editor.scan("1001")
    qtmodeltester.check(window.editor.model)


def test_persian_is_right_to_left_with_persian_digits(window, qapp):
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.isRightToLeft()
    assert window.editor.code_field.isRightToLeft()
    assert window.action("new_invoice").text() == "فاکتور جدید"
    window.editor.scan("1001")
    assert window.editor.model.index(0, 0).data() == "۱"


def test_english_switch_translates_and_turns_left_to_right(pos, store, qapp):
    pos.window.editor.scan("1001")
    store.set(UI_LANGUAGE, "en")
    pos.rebuild_window()
    window = pos.window
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert not window.isRightToLeft()
    assert window.action("new_invoice").text() == "New invoice"
    assert window.action("pay").text() == "Pay and issue"
    assert window.customers_dock.windowTitle() == "Customers"
    assert window.editor.code_field.placeholderText().startswith("Scan")
    assert [line.product_code for line in window.editor.draft.lines] == ["1001"]
    assert window.editor.model.index(0, 0).data() == "1"


def test_dock_layout_is_remembered(pos, qapp, qtbot):
    window = pos.window
    assert not window.history_dock.isVisible()  # the default layout leaves the room to the sale
    window.history_dock.show()
    window.customers_dock.show()
    window.products_dock.hide()
    window.close()
    again = pos.build_window()
    qtbot.addWidget(again)
    again.show()
    assert again.history_dock.isVisible()
    assert again.customers_dock.isVisible()
    assert not again.products_dock.isVisible()


def test_closing_the_window_stops_its_clock(window):
    assert window.clock.isActive()
    window.close()
    assert not window.clock.isActive()


def test_another_areas_pane_docks_beside_the_history(window, qtbot):
    from PySide6.QtWidgets import QLabel

    dock = window.add_pane("syncDock", "همگام‌سازی", QLabel("sync"))
    assert dock.toggleViewAction() in window.menus["lists"].actions()
    assert window.dockWidgetArea(dock) == window.dockWidgetArea(window.history_dock)
    window.set_sync_state("۳ فاکتور در صف")
    assert "۳ فاکتور در صف" in window.sync_label.text()
