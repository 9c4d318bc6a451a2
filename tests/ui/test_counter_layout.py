"""The counter screen at 1024×768 and 1366×768, in Persian and in English: every text shows whole,
every window and dialog fits the screen with its buttons reachable, and the sale's lines get the
room (at least 10 rows at 1366×768, 7 at 1024×768, in the default layout).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication, QTabWidget

from posapp.app import PosApplication, load_stylesheet
from posapp.domain.cash import parse_denominations
from posapp.domain.invoice import PartyKind
from posapp.domain.sync import OutboxItem, OutboxOperation, OutboxState, ProviderCounts
from posapp.services.catalog import ProductInput
from posapp.services.customers import CustomerInput
from posapp.services.moadian_sync import DeadlineWarning, DocumentStatus
from posapp.settings.ui import UI_LANGUAGE
from posapp.ui.customers import CustomerDialog, CustomerPickerDialog
from posapp.ui.forms import ScrollingForm
from posapp.ui.i18n import load_application_font
from posapp.ui.invoice_dialogs import (
    CancelInvoiceDialog,
    HeldInvoicesDialog,
    InvoiceViewDialog,
    ReceivePaymentDialog,
    ReturnDialog,
)
from posapp.ui.invoice_model import COL_DESCRIPTION, COL_PRICE, COL_QUANTITY, COL_TOTAL
from posapp.ui.payment import PaymentDialog
from posapp.ui.printing import preview_invoice
from posapp.ui.products import ProductDialog
from posapp.ui.provider_settings import ProviderSettingsDialog
from posapp.ui.reports import ReportsWindow
from posapp.ui.settings_dialog import SettingsDialog
from posapp.ui.shop_day_dialogs import (
    CashMoveDialog,
    CloseShiftDialog,
    FirstOwnerDialog,
    OpenShiftDialog,
    ReportDialog,
    UsersDialog,
)
from tests.ui.conftest import _close
from tests.ui.layout_checks import counter_screen, maximise, outside_the_screen, overflowing_texts

SIZES = {(1366, 768): 10, (1024, 768): 7}
"""Screen size -> rows of the invoice lines table that must be on screen."""

SYNC_ROWS = 7
"""Rows of the sync pane's problem list that must be on screen when it is shown (768 px high)."""

BIGGEST_SALE = Decimal(999_999_999_999)
"""Just under 10^12 Rial: every total must still show whole."""


@pytest.fixture(params=[pytest.param(size, id=f"{size[0]}x{size[1]}") for size in SIZES])
def screen_size(request):
    return request.param


@pytest.fixture
def styled(qapp):
    """The app's own font (Vazirmatn 10 pt) and stylesheet, as `posapp` runs with them."""
    font = qapp.font()
    load_application_font(qapp)
    qapp.setStyleSheet(load_stylesheet())
    yield
    qapp.setStyleSheet("")
    qapp.setFont(font)


@pytest.fixture(params=["fa", "en"])
def counter(request, screen_size, styled, monkeypatch, qapp, qtbot, store, services, catalog, customer):
    """The app on a counter monitor of `screen_size`, maximised, in the language asked for, with
    a sale of long names and a payable amount just under 10^12 Rial."""
    store.set(UI_LANGUAGE, request.param)
    with counter_screen(monkeypatch, *screen_size) as room:
        application = PosApplication(qapp, store, services, "posapp.sqlite3")
        window = application.build_window()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        maximise(window, room)
        big = services.catalog.create(ProductInput(
            name="یخچال فریزر ساید بای ساید هوشمند دوقلو با نمایشگر لمسی و یخ‌ساز خودکار",
            code="BIG-1", price=BIGGEST_SALE, tax_exempt=True))
        window.editor.scan(big.code)
        window.editor.scan(catalog["bread"].code)  # tax-exempt, taken off again as a discount
        window.editor.set_invoice_discount_text(window.display.amount(catalog["bread"].price))
        window.editor.set_customer(customer)
        QApplication.processEvents()
        yield window, room
        _close(qapp, application)


def test_main_window_shows_every_text_whole_and_gives_the_lines_the_room(counter, screen_size):
    window, room = counter
    assert window.editor.draft.totals.payable == BIGGEST_SALE
    assert overflowing_texts(window) == []
    assert outside_the_screen(window, room) == []
    table = window.editor.table
    rows_on_screen = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert rows_on_screen >= SIZES[screen_size]


@pytest.mark.parametrize("pane", ["show_history", "show_products", "show_customers"])
def test_a_pane_shown_leaves_the_sale_whole(counter, pane, qtbot):
    window, _room = counter
    window.action(pane).trigger()
    QApplication.processEvents()
    assert overflowing_texts(window) == []
    editor = window.editor
    assert editor.width() >= editor.minimumSizeHint().width()
    assert editor.height() >= editor.minimumSizeHint().height()
    assert lines_a_cashier_must_see(editor.table) == []
    docks = {"show_history": window.history_dock, "show_products": window.products_dock,
             "show_customers": window.customers_dock}
    docks[pane].close()  # closed again: every column comes back once the window relays out
    qtbot.waitUntil(lambda: not any(editor.table.isColumnHidden(column)
                                    for column in range(editor.model.columnCount())))


def lines_a_cashier_must_see(table) -> list[str]:
    """What of the sale's description, quantity, price and total is not wholly in the table's
    viewport, or a sideways scroll bar (the columns a narrow table can spare may be hidden)."""
    problems = ["the lines scroll sideways"] if table.horizontalScrollBar().isVisible() else []
    room = table.viewport().width()
    for column in (COL_DESCRIPTION, COL_QUANTITY, COL_PRICE, COL_TOTAL):
        left = table.columnViewportPosition(column)
        if table.isColumnHidden(column) or left < 0 or left + table.columnWidth(column) > room:
            problems.append(f"column {column} not whole on screen")
    return problems


def _check_dialog(dialog, room):
    """Shown on the counter's screen, the dialog lies inside it with every button reachable and
    every text whole, on each of its tabs; a form that fits the screen does not scroll."""
    dialog.show()
    QApplication.processEvents()
    try:
        tabs = dialog.findChild(QTabWidget)
        for index in range(tabs.count()) if tabs is not None else (None,):
            if index is not None:
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
            where = f"{dialog.objectName()} {tabs.tabText(index) if index is not None else ''}"
            assert outside_the_screen(dialog, room) == [], where
            assert overflowing_texts(dialog) == [], where
        for scrolling in dialog.findChildren(ScrollingForm):
            if scrolling.widget().sizeHint().height() + 120 <= room.height():
                assert not scrolling.verticalScrollBar().isVisible(), dialog.objectName()
    finally:
        dialog.close()


LONG_CUSTOMER = CustomerInput(
    name="شرکت بازرگانی و تولیدی آریا پخش نوین", kind=PartyKind.LEGAL, national_id="10101750408",
    economic_code="411111111111", registration_number="123456", mobile="09121234567",
    phone="02188776655", postal_code="1593835111",
    address="تهران، خیابان ولیعصر، بالاتر از میدان ونک، کوچه نمونه، پلاک ۱۲، طبقه سوم، واحد ۹",
)


def test_customer_dialog_fits_with_every_field_whole_new_edited_and_refused(counter, services):
    window, room = counter
    _check_dialog(CustomerDialog(services, window.display, None, window), room)
    customer = services.customers.create(LONG_CUSTOMER)
    _check_dialog(CustomerDialog(services, window.display, customer, window), room)
    refused = CustomerDialog(services, window.display, None, window)
    for field, text in (("name", ""), ("national_id", "123"), ("mobile", "0912"), ("phone", "12"),
                        ("economic_code", "12"), ("postal_code", "00000"), ("registration_number", "x")):
        refused.edits[field].setText(text)
        refused.edits[field].editingFinished.emit()
    refused.accept()
    assert refused.form.error_text("name")
    _check_dialog(refused, room)


def test_product_dialog_fits_with_every_field_and_hint_whole(counter, services, catalog):
    window, room = counter
    _check_dialog(ProductDialog(services, window.display, None, window), room)
    _check_dialog(ProductDialog(services, window.display, catalog["tea"], window), room)


def test_shift_and_users_dialogs_fit_with_every_text_whole(counter, services):
    window, room = counter
    display = window.display
    _check_dialog(OpenShiftDialog(services, display, window), room)
    services.shifts.open(Decimal(5_000_000))
    _check_dialog(CloseShiftDialog(services, display, parse_denominations(""), window), room)
    _check_dialog(CashMoveDialog(services, display, window), room)
    _check_dialog(ReportDialog(services.shifts.x_report(), display, window.store, "فروشگاه نمونه", window),
                  room)
    _check_dialog(UsersDialog(services, window.store, display.language, window), room)
    _check_dialog(FirstOwnerDialog(services, display.language, window), room)


def test_invoice_and_provider_dialogs_fit_with_every_text_whole(counter, services):
    window, room = counter
    issued = window.editor.quick_cash()
    _check_dialog(ReceivePaymentDialog(issued, window.display, window), room)
    _check_dialog(InvoiceViewDialog(issued, window.display, window), room)
    _check_dialog(HeldInvoicesDialog(services, window.display, window), room)
    _check_dialog(CustomerPickerDialog(services, window.tasks, window.display, window), room)
    _check_dialog(ProviderSettingsDialog("hesabfa", window.store, window.tasks, window), room)


def test_reports_window_fits_with_every_text_whole_on_each_tab(counter, services):
    window, room = counter
    _check_dialog(ReportsWindow(services, window.tasks, window.display, window), room)


def test_payment_dialog_fits_with_every_text_whole(counter):
    window, room = counter
    dialog = PaymentDialog(window.editor.draft, window.display, window)
    dialog.cash_edit.set_amount(BIGGEST_SALE * 2)
    dialog.cash_edit.textEdited.emit(dialog.cash_edit.text())
    assert dialog.change_label.text().startswith(window.display.amount(BIGGEST_SALE))
    _check_dialog(dialog, room)


def test_return_cancel_and_preview_dialogs_fit_with_every_text_whole(counter, services):
    window, room = counter
    issued = window.editor.quick_cash()
    assert issued is not None
    returning = ReturnDialog(services, issued, window.display, window)
    returning.set_quantity(0, "1")
    _check_dialog(returning, room)
    _check_dialog(CancelInvoiceDialog(services, issued, window.display, window), room)
    preview = preview_invoice(issued, window, settings=window.store)
    QApplication.processEvents()
    assert outside_the_screen(preview, room) == []
    assert overflowing_texts(preview) == []
    preview.close()


def test_settings_dialog_fits_with_every_text_whole_on_each_tab(counter):
    window, room = counter
    dialog = SettingsDialog(window.store, window)
    dialog.show()
    QApplication.processEvents()
    tabs = dialog.findChild(QTabWidget)
    try:
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            assert outside_the_screen(dialog, room) == [], tabs.tabText(index)
            assert overflowing_texts(dialog) == [], tabs.tabText(index)
    finally:
        dialog.close()


def _busy_queue(now):
    """What a busy shop's sync pane shows: five providers' queues, thirty rows that failed with
    long provider messages, and three Moadian invoices close to their deadline."""
    counts = [ProviderCounts(name, 12, 1, 6, 340, 0, 2, now, "", None)
              for name in ("pod", "hesabfa", "hesabit", "sepidar", "payping")]
    problems = [OutboxItem(row, "hesabfa", row, f"1A-{row:06d}", OutboxOperation.ISSUE, f"key-{row}",
                           OutboxState.FAILED, 3, now, "کالای «شیر پاستوریزه» در حسابفا تعریف نشده "
                           "است؛ آن را در حسابفا بسازید و دوباره بفرستید", now, now)
                for row in range(1, 31)]
    deadlines = [DeadlineWarning(f"1A-{row:06d}", "A" * 22, DocumentStatus.REJECTED, now)
                 for row in range(1, 4)]
    return counts, problems, deadlines


def test_the_sync_pane_shown_lists_its_rows_and_the_sale_gets_its_room_back_when_hidden(
        counter, qtbot, screen_size):
    window, room = counter
    qtbot.waitUntil(lambda: window.sync_pane is not None)
    pane = window.sync_pane
    window.action("show_sync").trigger()
    qtbot.waitUntil(lambda: not window.tasks.busy)
    QApplication.processEvents()
    pane._show(_busy_queue(datetime.now(UTC)))
    pane.show_unreachable((("sepidar", "گواهی سپیدار پذیرفته نشد"),))
    QApplication.processEvents()
    table = pane.table
    assert table.viewport().height() // table.verticalHeader().defaultSectionSize() >= SYNC_ROWS
    assert overflowing_texts(pane) == []
    assert outside_the_screen(window, room) == []
    window.sync_dock.hide()
    QApplication.processEvents()
    lines = window.editor.table
    assert lines.viewport().height() // lines.verticalHeader().defaultSectionSize() >= SIZES[screen_size]
