"""The invoice editor driven through its real widgets: scan, edit, pay, issue, hold, resume."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from posapp.domain.invoice import InvoiceStatus, PaymentMethod
from posapp.ui.invoice_model import COL_QUANTITY, COL_TOTAL
from posapp.ui.payment import PaymentDialog
from tests.ui.keys import press, type_text


def scan(window, code: str) -> None:
    """Type `code` into the code field as a keyboard-wedge scanner does, then Enter."""
    field = window.editor.code_field
    field.setFocus()
    type_text(field, code)
    press(field, Qt.Key.Key_Return)


def test_scan_adds_a_line_and_scanning_again_adds_to_its_quantity(window, catalog):
    scan(window, "6260100110011")
    model = window.editor.model
    assert model.rowCount() == 1
    assert model.draft.lines[0].product_id == catalog["milk"].id
    assert window.editor.code_field.text() == ""
    scan(window, "1001")
    assert model.rowCount() == 1
    assert model.draft.lines[0].quantity == Decimal(2)
    assert model.index(0, COL_QUANTITY).data() == "۲"


def test_scan_with_persian_digits_and_persian_layout(window, catalog):
    scan(window, "۶۲۶۰۱۰۰۱۱۰۰۱۱")
    # "TEA-7" typed by a scanner while the Persian layout is on: Shift+T, Shift+E, Shift+A
    # give these characters under ISIRI 9147.
    scan(window, "ُ\u064dؤ-۷")
    lines = window.editor.model.draft.lines
    assert [line.product_id for line in lines] == [catalog["milk"].id, catalog["tea"].id]


def test_digits_being_scanned_start_no_live_search(window, qtbot, catalog):
    editor = window.editor
    editor.code_field.setFocus()
    type_text(editor.code_field, "۶۲۶۰۱")
    qtbot.wait(30)
    assert not editor.product_search.is_open()
    assert not window.tasks.busy


def test_unknown_code_shows_a_message_and_keeps_the_text(window, catalog):
    scan(window, "999999")
    assert window.editor.model.rowCount() == 0
    assert "999999" in window.editor.error_label.text()
    assert window.editor.code_field.text() == "999999"


def test_typing_a_name_shows_live_results_and_enter_picks(window, qtbot, catalog):
    editor = window.editor
    editor.code_field.setFocus()
    with qtbot.waitSignal(editor.product_search.sig_results_shown, timeout=5000):
        type_text(editor.code_field, "نان")
    assert editor.product_search.is_open()
    assert editor.product_search.rows[0].id == catalog["bread"].id
    press(editor.code_field, Qt.Key.Key_Down)
    press(editor.code_field, Qt.Key.Key_Return)
    assert [line.product_id for line in editor.model.draft.lines] == [catalog["bread"].id]
    assert not editor.product_search.is_open()


def test_edit_quantity_in_place_updates_totals(window, qtbot, catalog):
    scan(window, "1002")
    editor = window.editor
    editor.edit_current(COL_QUANTITY)
    cell_editor = editor.table.findChild(QLineEdit, "cellEditor")
    assert cell_editor is not None
    cell_editor.selectAll()
    type_text(cell_editor, "۳")
    press(cell_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.draft.lines[0].quantity == Decimal(3))
    assert editor.draft.totals.payable == Decimal(360000)
    assert editor.model.index(0, COL_TOTAL).data() == "۳۶۰٬۰۰۰"
    qtbot.waitUntil(lambda: editor.code_field.hasFocus())


def test_invalid_quantity_is_refused_with_the_editor_kept(window, qtbot, catalog):
    scan(window, "1002")
    editor = window.editor
    editor.edit_current(COL_QUANTITY)
    cell_editor = editor.table.findChild(QLineEdit, "cellEditor")
    cell_editor.selectAll()
    type_text(cell_editor, "-2")
    press(cell_editor, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert cell_editor.isVisible()
    assert cell_editor.text() == "-2"
    assert "منفی" in editor.error_label.text()
    assert editor.model.draft.lines[0].quantity == Decimal(1)


def test_invoice_discount_and_line_removal(window, catalog):
    scan(window, "1002")
    scan(window, "1001")
    editor = window.editor
    assert editor.set_invoice_discount_text("۱۰٪")
    assert editor.draft.totals.invoice_discount > 0
    assert not editor.set_invoice_discount_text("abc")
    editor.select_row(0)
    editor.delete_current_line()
    assert [line.product_id for line in editor.draft.lines] == [catalog["milk"].id]


def _fill_payment_dialog(qtbot, card: str, cash: str):
    def fill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PaymentDialog)
        dialog.cash_edit.clear()
        type_text(dialog.card_edit, card)
        type_text(dialog.cash_edit, cash)
        fill.change = dialog.change_label.text()
        press(dialog.cash_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)
    return fill


def test_split_payment_with_change_issues_a_numbered_stored_invoice(window, services, qtbot, catalog):
    scan(window, "1002")
    scan(window, "1002")
    editor = window.editor
    assert editor.draft.totals.payable == Decimal(240000)
    filler = _fill_payment_dialog(qtbot, card="100000", cash="150000")
    with qtbot.waitSignal(editor.sig_issued) as issued_signal:
        editor.pay()
    assert filler.change == "۱۰٬۰۰۰ ریال"
    issued = issued_signal.args[0]
    assert issued.number == "1A-000001"
    stored = services.invoicing.get_by_number("1A-000001")
    assert stored.status is InvoiceStatus.PAID
    assert {p.method: p.amount for p in stored.payments} == {
        PaymentMethod.CARD: Decimal(100000), PaymentMethod.CASH: Decimal(150000)}
    assert stored.totals.change == Decimal(10000)
    assert stored.cashier == "مریم"
    assert editor.model.rowCount() == 0
    assert window.history.model.rowCount() == 1


def test_quick_cash_key_issues_at_once(window, services, catalog):
    scan(window, "1001")
    window.action("quick_cash").trigger()
    stored = services.invoicing.get_by_number("1A-000001")
    assert stored.totals.payable == stored.totals.paid
    assert window.last_issued.number == "1A-000001"


def test_empty_invoice_is_not_issued(window, services):
    assert window.editor.quick_cash() is None
    assert "خالی" in window.editor.error_label.text()


def test_hold_and_resume(window, services, catalog, customer):
    editor = window.editor
    editor.set_customer(customer)
    scan(window, "1003")
    assert editor.hold("آقای رضایی")
    assert editor.model.rowCount() == 0
    held = services.invoicing.held()
    assert [h.label for h in held] == ["آقای رضایی"]
    scan(window, "1002")
    assert editor.resume(held[0].id)
    assert [line.product_id for line in editor.draft.lines] == [catalog["cheese"].id]
    assert editor.draft.customer_id == customer.id
    assert editor.customer_label.text() == customer.name
    assert [h.label for h in services.invoicing.held()] == ["فاکتور جاری"]


def test_every_frequent_action_has_a_key_and_the_help_overlay_lists_it(window, qtbot):
    from posapp.ui.actions import ACTIONS

    keys = [key for spec in ACTIONS for key in spec.shortcuts]
    assert len(keys) == len(set(keys))
    assert all(window.action(spec.id).shortcuts() for spec in ACTIONS)
    window.action("help").trigger()
    overlay = window.help_overlay
    assert overlay.isVisible()
    assert {row[0] for row in overlay.rows} == {spec.id for spec in ACTIONS}
    press(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()


def test_text_typed_while_the_table_has_focus_goes_to_the_code_field(window, qtbot, catalog):
    scan(window, "1001")
    editor = window.editor
    editor.table.setFocus()
    type_text(editor.table, "1002")
    assert editor.code_field.hasFocus()
    assert editor.code_field.text() == "1002"
    press(editor.code_field, Qt.Key.Key_Return)
    assert editor.model.rowCount() == 2


def test_the_application_font_is_the_bundled_vazirmatn(qapp):
    from posapp.ui.i18n import load_application_font

    previous = qapp.font()
    try:
        assert load_application_font(qapp) == "Vazirmatn"
        assert qapp.font().family() == "Vazirmatn"
    finally:
        qapp.setFont(previous)
