"""The counter screen at 1024×768 and 1366×768, in Persian and in English: every text shows whole,
every window and dialog fits the screen with its buttons reachable, and the sale's lines get the
room (at least 10 rows at 1366×768, 7 at 1024×768, in the default layout).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication, QTabWidget

from posapp.app import PosApplication, load_stylesheet
from posapp.services.catalog import ProductInput
from posapp.settings.ui import UI_LANGUAGE
from posapp.ui.i18n import load_application_font
from posapp.ui.invoice_dialogs import CancelInvoiceDialog, ReturnDialog
from posapp.ui.payment import PaymentDialog
from posapp.ui.printing import preview_invoice
from posapp.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import _close
from tests.ui.layout_checks import counter_screen, maximise, outside_the_screen, overflowing_texts

SIZES = {(1366, 768): 10, (1024, 768): 7}
"""Screen size -> rows of the invoice lines table that must be on screen."""

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
def test_a_pane_shown_leaves_the_sale_whole(counter, pane):
    window, _room = counter
    window.action(pane).trigger()
    QApplication.processEvents()
    assert overflowing_texts(window) == []
    editor = window.editor
    assert editor.width() >= editor.minimumSizeHint().width()
    assert editor.height() >= editor.minimumSizeHint().height()


def _check_dialog(dialog, room):
    dialog.show()
    QApplication.processEvents()
    try:
        assert outside_the_screen(dialog, room) == []
        assert overflowing_texts(dialog) == []
    finally:
        dialog.close()


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
