"""What a new cashier ran into at 1366×768 and 1024×768 (issue 10), one test (or a few) per defect,
driven through the real widgets."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from bidi import get_display
from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from posapp.app import PosApplication
from posapp.domain.invoice import InvoiceKind, PaymentMethod
from posapp.render.labels import DEFAULT_LABELS
from posapp.services.catalog import ProductInput
from posapp.services.context import AppServices
from posapp.settings.ui import ALERT_SOUND, WINDOW_GEOMETRY
from posapp.ui import invoice_actions
from posapp.ui import main_window as main_window_module
from posapp.ui.actions import ACTIONS_BY_ID, shortcut_text
from posapp.ui.history import kind_label
from posapp.ui.invoice_dialogs import ReturnDialog
from posapp.ui.payment import PaymentDialog
from posapp.ui.printing import preview_invoice
from tests.ui.conftest import _close
from tests.ui.keys import press, type_text
from tests.ui.layout_checks import counter_screen
from tests.ui.test_editor import scan


@pytest.fixture
def beeps(monkeypatch):
    calls = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: calls.append(1)))
    return calls


# -- 1. the payable amount is never cut -----------------------------------------------------------


def test_payable_amount_shows_whole_in_a_narrow_totals_box(window, services):
    product = services.catalog.create(ProductInput(name="طلا", code="G1", price=Decimal(999_999_999_999),
                                                   tax_exempt=True))
    window.editor.scan(product.code)
    label = window.editor._total_labels["payable"]
    label.setStyleSheet("font-size: 22pt; font-weight: bold;")
    label.resize(160, label.height())
    needed = QFontMetrics(label.drawn_font()).horizontalAdvance(label.text())
    assert label.text() == "۹۹۹٬۹۹۹٬۹۹۹٬۹۹۹ ریال"
    assert needed <= label.contentsRect().width()
    assert label.drawn_font().pointSizeF() < 22


def test_a_saved_layout_of_the_old_version_is_not_restored(pos, store, qtbot):
    window = pos.window
    window.history_dock.show()
    old_state = base64.b64encode(bytes(window.saveState(0).data())).decode()  # as saved before
    window.close()
    store.set(main_window_module.WINDOW_STATE, window._screen_key() + old_state)
    again = pos.build_window()
    qtbot.addWidget(again)
    again.show()
    assert not again.history_dock.isVisible()


def test_a_layout_saved_on_a_bigger_screen_is_not_restored_on_a_smaller_one(monkeypatch, pos, qapp, qtbot,
                                                                           store):
    window = pos.window
    window.history_dock.show()
    window.close()
    with counter_screen(monkeypatch, 1024, 768):
        application = PosApplication(qapp, store, pos.services, "posapp.sqlite3")
        again = application.build_window()
        qtbot.addWidget(again)
        assert not again.history_dock.isVisible()
        _close(qapp, application)


# -- 2. an unknown code never poisons the next scan -----------------------------------------------


def test_after_an_unknown_code_the_next_scan_replaces_it(window, catalog, beeps):
    scan(window, "999999")
    field = window.editor.code_field
    assert field.selectedText() == "999999"
    assert beeps == [1]
    scan(window, "1001")
    assert [line.product_id for line in window.editor.draft.lines] == [catalog["milk"].id]
    assert not window.editor.error_label.isVisible()


def test_escape_clears_the_code_field_after_an_unknown_code(window, catalog, beeps):
    scan(window, "999999")
    press(window.editor.code_field, Qt.Key.Key_Escape)
    assert window.editor.code_field.text() == ""
    assert not window.editor.error_label.isVisible()


def test_the_alert_sound_can_be_switched_off(window, store, catalog, beeps):
    store.set(ALERT_SOUND, False)
    scan(window, "999999")
    assert beeps == []


# -- 3. an open sale is never lost ----------------------------------------------------------------


def test_ctrl_n_holds_a_sale_with_lines_instead_of_dropping_it(window, services, catalog, customer):
    window.editor.set_customer(customer)
    scan(window, "1001")
    window.action("new_invoice").trigger()
    assert window.editor.draft.lines == ()
    assert "Shift+F9" in window.statusBar().currentMessage()
    held = services.invoicing.held()
    assert [h.label for h in held] == [customer.name]
    assert window.editor.resume(held[0].id)
    assert [line.product_id for line in window.editor.draft.lines] == [catalog["milk"].id]


def test_a_crash_brings_the_open_sale_back_at_the_next_start(pos, qapp, qtbot, store, services, catalog,
                                                             customer):
    window = pos.window
    window.editor.set_customer(customer)
    scan(window, "1001")
    scan(window, "1001")
    scan(window, "1002")
    # The process dies here: nothing is closed, held or flushed. A new process opens the file.
    restarted = AppServices.open(services.database.url, settings=store)
    try:
        again = PosApplication(qapp, store, restarted, "posapp.sqlite3")
        window2 = again.build_window()
        qtbot.addWidget(window2)
        lines = window2.editor.draft.lines
        assert [(line.product_id, line.quantity) for line in lines] == [
            (catalog["milk"].id, Decimal(2)), (catalog["bread"].id, Decimal(1))]
        assert window2.editor.draft.customer_id == customer.id
        assert window2.editor.customer_label.text() == customer.name
        assert "بازگردانده" in window2.statusBar().currentMessage()
        assert restarted.invoicing.held() == []  # not offered to other tills as a held sale
        _close(qapp, again)
    finally:
        restarted.close()


def test_quitting_keeps_the_sale_for_the_next_start(pos, qapp, qtbot, store, services, catalog):
    scan(pos.window, "1003")
    pos.window.action("quit").trigger()
    assert not pos.window.isVisible()
    again = PosApplication(qapp, store, services, "posapp.sqlite3")
    window = again.build_window()
    qtbot.addWidget(window)
    assert [line.product_id for line in window.editor.draft.lines] == [catalog["cheese"].id]
    _close(qapp, again)


def test_issuing_or_holding_the_sale_leaves_nothing_to_bring_back(window, services, catalog):
    till = window.editor.draft.till
    scan(window, "1001")
    assert services.invoicing.open_sale(till) is not None
    assert window.editor.quick_cash() is not None
    assert services.invoicing.open_sale(till) is None
    scan(window, "1002")
    assert window.editor.hold("بعداً")
    assert services.invoicing.open_sale(till) is None
    assert [h.label for h in services.invoicing.held()] == ["بعداً"]


# -- 4. windows and dialogs fit the screen ---------------------------------------------------------


def test_on_a_small_screen_the_window_starts_maximised_inside_it(monkeypatch, qapp, qtbot, store, services):
    with counter_screen(monkeypatch, 1024, 768) as room:
        application = PosApplication(qapp, store, services, "posapp.sqlite3")
        window = application.build_window()
        qtbot.addWidget(window)
        assert window.isMaximized()
        assert room.contains(window.geometry())
        _close(qapp, application)


def test_a_remembered_window_bigger_than_the_screen_is_fitted(monkeypatch, qapp, qtbot, store, services):
    from PySide6.QtWidgets import QWidget

    big = QWidget()
    big.setGeometry(10, 10, 1440, 900)
    from posapp.ui.main_window import MainWindow

    store.set(WINDOW_GEOMETRY, base64.b64encode(bytes(MainWindow.saveGeometry(big).data())).decode())
    big.deleteLater()
    with counter_screen(monkeypatch, 1024, 768) as room:
        application = PosApplication(qapp, store, services, "posapp.sqlite3")
        window = application.build_window()
        qtbot.addWidget(window)
        assert room.contains(window.frameGeometry())
        _close(qapp, application)


def test_print_preview_fits_a_768_high_screen_with_its_buttons_on_it(monkeypatch, window, catalog):
    scan(window, "1001")
    issued = window.editor.quick_cash()
    with counter_screen(monkeypatch, 1024, 768) as room:
        preview = preview_invoice(issued, window, settings=window.store)
        QApplication.processEvents()
        assert room.contains(preview.frameGeometry())
        for button in (preview.print_button, preview.save_button):
            assert room.contains(QRect(button.mapToGlobal(button.rect().topLeft()), button.size()))
        preview.close()


# -- 5. the sale gets the room; cut names show on hover -----------------------------------------------


def test_secondary_panes_start_hidden_and_cut_names_show_whole_on_hover(window, services, catalog):
    assert not window.history_dock.isVisible()
    window.action("show_products").trigger()
    model = window.products.model
    names = {model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole) for row in range(model.rowCount())}
    assert catalog["milk"].name in names
    scan(window, "1001")
    lines = window.editor.model
    assert lines.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == catalog["milk"].name


# -- 6. focus paths -------------------------------------------------------------------------------


def test_ctrl_3_puts_the_keyboard_on_the_history_list(window, services, catalog, qtbot):
    for _ in range(3):
        scan(window, "1002")
        window.editor.quick_cash()
    window.action("show_history").trigger()
    table = window.history.table
    qtbot.waitUntil(table.hasFocus)
    assert table.currentIndex().row() == 0
    press(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1


def test_the_return_dialog_starts_on_the_first_quantity_and_shows_persian_digits(window, services, catalog,
                                                                              qtbot):
    scan(window, "1001")
    scan(window, "1001")
    issued = window.editor.quick_cash()
    dialog = ReturnDialog(services, issued, window.display, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.table.hasFocus)
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (0, ReturnDialog.RETURN_COLUMN)
    type_text(dialog.table, "2")  # typing starts editing the quantity
    editor = QApplication.focusWidget()
    press(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits through a queued call
    assert dialog.table.item(0, ReturnDialog.RETURN_COLUMN).text() == "۲"
    assert dialog.quantities() == {0: Decimal(2)}
    assert dialog.issue_button.isEnabled()
    dialog.close()


def test_ctrl_k_refuses_an_invoice_with_returns_before_asking_the_reason(window, services, catalog,
                                                                        monkeypatch):
    scan(window, "1001")
    scan(window, "1001")
    sale = window.editor.quick_cash()
    services.invoicing.create_return(sale.number, {0: Decimal(1)})
    asked = []
    monkeypatch.setattr(invoice_actions.CancelInvoiceDialog, "exec", lambda self: asked.append(1) or 0)
    monkeypatch.setattr(main_window_module, "show_warning", lambda *args: None)
    window.cancel_invoice(sale.number)
    assert asked == []
    assert "برگشتی" in window.statusBar().currentMessage()


def test_ctrl_k_and_ctrl_r_offer_the_last_sale_not_the_last_return(window, services, catalog, monkeypatch):
    scan(window, "1001")
    scan(window, "1001")
    sale = window.editor.quick_cash()
    dialog = ReturnDialog(services, sale, window.display, window)
    dialog.set_quantity(0, "1")
    dialog.accept()
    window._on_issued(dialog.issued)
    assert window.last_issued.kind is InvoiceKind.RETURN
    offered = []
    monkeypatch.setattr(invoice_actions, "ask_invoice_number",
                        lambda _parent, _title, default: offered.append(default) or "")
    window.action("cancel_invoice").trigger()
    window.action("return").trigger()
    assert offered == [window.display.number(sale.number)] * 2


# -- 7. no stale messages ------------------------------------------------------------------------


def test_an_error_under_the_editor_goes_with_the_next_successful_edit(window, catalog, customer):
    from posapp.ui.invoice_model import COL_QUANTITY

    scan(window, "1001")
    editor = window.editor
    assert not editor.model.setData(editor.model.index(0, COL_QUANTITY), "-3")
    assert editor.error_label.isVisible()
    window.editor.set_customer(customer)
    assert not editor.error_label.isVisible()


def test_send_now_with_no_provider_says_so(qtbot, services, tasks):
    from posapp.services.sync.engine import SyncEngine
    from posapp.ui.sync_pane import create_sync_pane

    engine = SyncEngine(services, lambda name: None, providers=())
    pane = create_sync_pane(engine, tasks)
    qtbot.addWidget(pane)
    pane.show()
    pane.send_button.click()
    assert pane.unreachable_label.isVisible()
    assert "هیچ سامانه‌ای فعال نیست" in pane.unreachable_label.text()


def test_a_short_payment_by_a_walk_in_customer_is_not_offered_on_account(window, catalog, customer):
    scan(window, "1001")
    dialog = PaymentDialog(window.editor.draft, window.display, window)
    dialog.cash_edit.set_amount(Decimal(1000))
    dialog.accept()
    assert "نقد یا با کارت" in dialog.error_label.text()
    assert "باقی‌مانده را نسیه" not in dialog.error_label.text()
    window.editor.set_customer(customer)
    named = PaymentDialog(window.editor.draft, window.display, window)
    named.cash_edit.set_amount(Decimal(1000))
    named.accept()
    assert "نسیه" in named.error_label.text()


# -- 8. amounts as typed -------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "shown"), [
    ("6604510", "۶٬۶۰۴٬۵۱۰"),
    ("۶۶۰۴۵۱۰", "۶٬۶۰۴٬۵۱۰"),
    ("٦٦٠٤٥١٠", "۶٬۶۰۴٬۵۱۰"),
])
def test_payment_amounts_show_persian_digits_grouped_as_they_are_typed(window, catalog, qtbot, typed, shown):
    for _ in range(4):
        scan(window, "TEA-7")
    dialog = PaymentDialog(window.editor.draft, window.display, window)
    qtbot.addWidget(dialog)
    dialog.card_edit.setFocus()
    type_text(dialog.card_edit, typed)
    assert dialog.card_edit.text() == shown
    assert dialog.card_edit.cursorPosition() == len(shown)
    assert [p.amount for p in dialog.payments() if p.method is PaymentMethod.CARD] == [Decimal(6604510)]


def test_english_amounts_are_grouped_with_latin_digits(english_pos, catalog, qtbot):
    window = english_pos.window
    scan(window, "1001")
    dialog = PaymentDialog(window.editor.draft, window.display, window)
    qtbot.addWidget(dialog)
    assert dialog.cash_edit.text() == "495,000"
    dialog.cash_edit.selectAll()
    type_text(dialog.cash_edit, "۵۰۰۰۰۰")
    assert dialog.cash_edit.text() == "500,000"
    assert dialog.change_label.text() == "5,000 Rial"


def test_the_card_reference_field_has_a_label(window, catalog):
    scan(window, "1001")
    dialog = PaymentDialog(window.editor.draft, window.display, window)
    form = dialog.findChild(QFormLayout)
    for field in (dialog.card_reference, dialog.link_reference):
        label = form.labelForField(field)
        assert isinstance(label, QLabel)
        assert label.text().strip()


# -- 9. mixed-direction rows ---------------------------------------------------------------------


def test_live_search_rows_isolate_name_code_and_price(window, catalog):
    row = window.editor._describe_product(catalog["tea"])
    fields = [part for part in row.split("    ") if part]
    assert fields == ["\u2068چای سیاه گلستان\u2069", "\u2068TEA-7\u2069", "\u2068۱٬۸۵۰٬۰۰۰ ریال\u2069"]


# -- 10. words -----------------------------------------------------------------------------------


def test_the_change_has_one_name_on_screen_and_on_paper(window, catalog):
    scan(window, "1002")
    dialog = PaymentDialog(window.editor.draft, window.display, window)
    captions = {label.text() for label in dialog.findChildren(QLabel)}
    assert DEFAULT_LABELS["totals.change"] in captions
    dialog.cash_edit.set_amount(Decimal(200000))
    window.editor.issue(dialog._read_payments())
    assert DEFAULT_LABELS["totals.change"] in window.statusBar().currentMessage()


def test_the_help_overlay_writes_keys_as_printed_on_the_keyboard(window):
    assert shortcut_text(ACTIONS_BY_ID["quick_cash"]) == "Ctrl+Return  Ctrl+Enter"
    keys = dict(window.help_overlay.rows)
    assert keys["quick_cash"] == "Ctrl+Return  Ctrl+Enter"
    assert not any("\u0600" <= ch <= "\u06ff" for text in keys.values() for ch in text)


def seen_in_a_right_to_left_line(text: str) -> str:
    """`text` as the Unicode bidi algorithm lays it out in a right-to-left line, left to right."""
    return get_display(text, base_dir="R").replace("\u2066", "").replace("\u2069", "")


def test_negative_stock_shows_its_sign_before_the_number_in_the_products_pane(window, services):
    services.catalog.create(ProductInput(name="باتری قلمی", code="NEG-1", price=Decimal(90000),
                                         stock=Decimal(-1)))
    services.catalog.create(ProductInput(name="لامپ کم‌مصرف", code="NEG-2", price=Decimal(90000),
                                         stock=Decimal("-1250.5")))
    window.action("show_products").trigger()
    pane = window.products
    pane.refresh()
    model = pane.model
    stock_column = next(column for column in range(model.columnCount())
                        if model.headerData(column, Qt.Orientation.Horizontal) == "موجودی")
    shown = {model.row_at(row).code: model.index(row, stock_column).data()
             for row in range(model.rowCount())}
    assert seen_in_a_right_to_left_line(shown["NEG-1"]) == "−۱"
    assert seen_in_a_right_to_left_line(shown["NEG-2"]) == "−۱٬۲۵۰٫۵"
    in_a_sentence = seen_in_a_right_to_left_line(f"موجودی: {shown['NEG-1']} عدد")
    assert " −۱ " in in_a_sentence


def test_a_persian_name_in_the_english_balance_line_keeps_the_amount_after_it(english_pos, services,
                                                                            customer):
    """«Balance of 0 علی رضایی: Rial» was shown: the name pulled the amount into its direction."""
    window = english_pos.window
    window.action("show_customers").trigger()
    pane = window.customers
    pane.refresh()
    pane.table.selectRow(0)
    pane.refresh_details()
    text = pane.balance_label.text()
    assert customer.name in text
    seen = get_display(text, base_dir="L")
    assert seen.startswith("Balance of ")
    assert seen.endswith(": 0 Rial")


def test_a_return_shows_a_negative_amount_and_its_whole_type_in_the_history(window, services, catalog):
    scan(window, "1001")
    sale = window.editor.quick_cash()
    services.invoicing.create_return(sale.number, {0: Decimal(1)})
    history = window.history
    history.refresh()
    window.action("show_history").trigger()
    model = history.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).kind is InvoiceKind.RETURN)
    amount = model.index(row, 5).data()
    assert seen_in_a_right_to_left_line(amount).startswith("−")
    kind = model.index(row, 2).data()
    assert kind == kind_label(InvoiceKind.RETURN)
    metrics = history.table.fontMetrics()
    assert metrics.horizontalAdvance(kind) + 8 <= history.table.columnWidth(2)
    QCoreApplication.processEvents()
