"""The counter's hardware in the real window: ESC/POS receipts on issue, the drawer on cash and by
hand, the print queue after a failure, the settings tab, and the customer display."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QInputDialog

from posapp.settings.documents import PRINT_RECEIPT_ON_ISSUE, RECEIPT_PRINTER
from posapp.settings.hardware import (
    CUSTOMER_DISPLAY_SCREEN,
    DRAWER_KICK_PIN,
    DRAWER_PULSE_ON_MS,
    ESCPOS_CUT,
    SCALE_LABEL_LAYOUTS,
)
from posapp.settings.ui import CASHIER_NAME
from posapp.ui.counter import PrintQueueDialog
from posapp.ui.settings_dialog import SettingsDialog
from tests.fakes.escpos_printer import FakeEscposPrinter, decode, refusing_port

WAIT_MS = 15000


def _sell_milk(window):
    window.editor.scan("1001")
    return window.editor.quick_cash()


def test_a_cash_sale_prints_its_receipt_and_opens_the_drawer(window, services, qtbot):
    window.store.set(PRINT_RECEIPT_ON_ISSUE, True)
    with FakeEscposPrinter() as printer:
        window.store.set(RECEIPT_PRINTER, printer.uri)
        issued = _sell_milk(window)
        assert issued is not None
        qtbot.waitUntil(lambda: printer.done.is_set(), timeout=WAIT_MS)
    decoded = decode(printer.received)
    assert decoded.kicks == [(0, 50, 50)]
    assert decoded.image.width == 576
    assert decoded.cuts
    assert "چاپ نشد" not in window.statusBar().currentMessage()


def test_without_printing_on_issue_a_cash_sale_still_opens_the_drawer(window, qtbot):
    with FakeEscposPrinter() as printer:
        window.store.set(RECEIPT_PRINTER, printer.uri)
        _sell_milk(window)
        qtbot.waitUntil(lambda: printer.done.is_set(), timeout=WAIT_MS)
    assert printer.received == b"\x1bp\x00\x32\x32"


def test_a_printer_that_is_off_never_holds_up_the_sale_and_the_queue_reprints(window, services, qtbot):
    window.store.set(PRINT_RECEIPT_ON_ISSUE, True)
    port = refusing_port()
    window.store.set(RECEIPT_PRINTER, f"tcp://127.0.0.1:{port}")
    issued = _sell_milk(window)
    assert services.invoicing.get_by_number(issued.number).number == issued.number
    assert window.editor.model.rowCount() == 0  # the till is ready for the next customer
    status = window.statusBar()
    qtbot.waitUntil(lambda: "چاپ نشد" in status.currentMessage(), timeout=WAIT_MS)
    message = status.currentMessage()
    assert "در دسترس نیست" in message
    assert "ذخیره شده است" in message
    assert "صف چاپ" in message

    window.action("print_queue").trigger()
    dialog = window.findChild(PrintQueueDialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "چاپ نشد"
    with FakeEscposPrinter(port=port) as printer:  # switched on again
        dialog.retry_button.click()
        qtbot.waitUntil(lambda: printer.done.is_set(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: dialog.table.item(0, 1).text() == "چاپ شد", timeout=WAIT_MS)
    assert decode(printer.received).image is not None
    qtbot.waitUntil(lambda: status.currentMessage().endswith("چاپ شد"), timeout=WAIT_MS)
    dialog.close()


def test_open_drawer_asks_why_and_records_who(window, services, qtbot, monkeypatch):
    window.store.set(CASHIER_NAME, "مریم")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("پول خرد", True)))
    with FakeEscposPrinter() as printer:
        window.store.set(RECEIPT_PRINTER, printer.uri)
        window.action("open_drawer").trigger()
        qtbot.waitUntil(lambda: printer.done.is_set(), timeout=WAIT_MS)
    assert printer.received == b"\x1bp\x00\x32\x32"
    from posapp.storage.models import AuditRow

    with services.database.read() as session:
        row = session.query(AuditRow).filter_by(action="drawer.open").one()
    assert (row.actor, row.details) == ("مریم", "پول خرد")


def test_open_drawer_without_an_escpos_printer_explains(window, monkeypatch, qtbot):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("پول خرد", True)))
    window.store.set(RECEIPT_PRINTER, "Thermal-80")
    assert window.counter.open_drawer() is False
    from PySide6.QtWidgets import QMessageBox

    box = window.findChild(QMessageBox, "warningBox")
    assert "ESC/POS" in box.text()
    box.close()


@pytest.fixture
def settings_dialog(qtbot, store):
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    yield dialog
    # qtbot closed it and asked for its deletion; carry that out now, as the main window deletes
    # the dialog after exec(): its calibration print queue closes with it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _choose_escpos(dialog, address):
    dialog.receipt_printer.setCurrentIndex(dialog.receipt_printer.findData("escpos"))
    dialog.printer_uri.setText(address)


def test_the_settings_take_an_escpos_address_and_the_hardware_tab(settings_dialog, store):
    dialog = settings_dialog
    assert not dialog.printer_uri.isEnabled()
    _choose_escpos(dialog, "usb://04b8")
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert "VID:PID" in dialog.print_form.error_text("printer_uri") or "شانزده" in dialog.print_form.error_text("printer_uri")
    assert store.get(RECEIPT_PRINTER) == ""

    dialog.printer_uri.setText("TCP://192.168.1.50")
    hardware = dialog.hardware_form
    hardware.pin.setCurrentIndex(hardware.pin.findData(5))
    hardware.on_ms.setValue(120)
    hardware.cut.setCurrentIndex(hardware.cut.findData("full"))
    hardware.layouts.setText("20-29/5/weight، 21/5/PRICE")
    hardware.layouts.setText(hardware.layouts.text() + ", 99/9/weight")
    dialog.accept()
    assert dialog.tabs.currentWidget() is hardware
    assert "99/9/weight" in hardware.error_text("scale_layouts")
    assert store.get(SCALE_LABEL_LAYOUTS) == []

    hardware.layouts.setText("20-29/5/weight، 21/5/PRICE")
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert store.get(RECEIPT_PRINTER) == "tcp://192.168.1.50:9100"
    assert store.get(DRAWER_KICK_PIN) == 5
    assert store.get(DRAWER_PULSE_ON_MS) == 120
    assert store.get(ESCPOS_CUT) == "full"
    assert store.get(SCALE_LABEL_LAYOUTS) == ["20-29/5/weight", "21/5/price"]

    reopened = SettingsDialog(store)
    assert reopened.receipt_printer.currentData() == "escpos"
    assert reopened.printer_uri.text() == "tcp://192.168.1.50:9100"
    reopened.deleteLater()


def test_the_calibration_page_prints_on_the_address_typed(settings_dialog, qtbot):
    with FakeEscposPrinter() as printer:
        _choose_escpos(settings_dialog, printer.uri)
        settings_dialog.hardware_form.calibrate_button.click()
        status = settings_dialog.hardware_form.calibration_status
        qtbot.waitUntil(lambda: "چاپ شد" in status.text(), timeout=WAIT_MS)
        assert printer.done.wait(5)
    decoded = decode(printer.received)
    assert decoded.image.width == 576
    assert decoded.cuts == [1]


# -- the customer display -------------------------------------------------------------------


@pytest.fixture
def display_window(qapp, qtbot, store, services, catalog):
    from tests.ui.conftest import _close, _open_window

    store.set(CUSTOMER_DISPLAY_SCREEN, 0)
    application, window = _open_window(qapp, qtbot, store, services)
    yield window
    _close(qapp, application)


def test_a_scan_updates_both_windows(display_window, qtbot):
    window = display_window
    customer = window.counter.customer_display
    assert customer is not None
    assert customer.isVisible()
    assert customer.isFullScreen()
    qtbot.waitUntil(lambda: customer.pages.currentWidget() is customer.idle_page)
    assert customer.shop_label.text() == "فروشگاه نمونه"

    window.editor.scan("1001")
    window.editor.scan("1002")
    assert window.editor.model.rowCount() == 2
    qtbot.waitUntil(lambda: customer.lines_table.rowCount() == 2)
    assert customer.pages.currentWidget() is customer.sale_page
    assert customer.lines_table.item(0, 0).text() == "شیر پاستوریزه ۱ لیتری"
    payable = window.editor.draft.totals.payable
    assert customer.total_label.text() == window.display.amount(payable, with_unit=True)
    assert customer.total_label.text() == window.editor.findChild(type(customer.total_label), "payableTotal").text()

    window.editor.quick_cash()
    qtbot.waitUntil(lambda: customer.pages.currentWidget() is customer.idle_page)

    window.counter.show_link("https://pay.example/abc", Decimal(450000))
    assert customer.pages.currentWidget() is customer.link_page
    assert not customer.qr_label.pixmap().isNull()
    assert customer.link_amount_label.text() == window.display.amount(Decimal(450000), with_unit=True)
    window.editor.scan("1001")
    qtbot.wait(150)
    assert customer.pages.currentWidget() is customer.link_page  # the QR stays until the link ends
    window.counter.end_link()
    assert customer.pages.currentWidget() is customer.sale_page


def test_the_customer_display_closes_with_the_window(display_window):
    customer = display_window.counter.customer_display
    customer.show_draft(display_window.editor.draft)  # a repaint is waiting when the till closes
    display_window.close()
    assert not customer.isVisible()
    assert not customer._timer.isActive()


def test_a_missing_screen_is_reported_and_nothing_opens(qapp, qtbot, store, services, catalog):
    from tests.ui.conftest import _close, _open_window

    store.set(CUSTOMER_DISPLAY_SCREEN, 5)
    application, window = _open_window(qapp, qtbot, store, services)
    try:
        assert window.counter.customer_display is None
        assert "وصل نیست" in window.statusBar().currentMessage()
        qtbot.waitUntil(lambda: application.sync is not None)
    finally:
        _close(qapp, application)


def test_the_previews_till_receipt_button_goes_to_the_escpos_printer_without_the_drawer(window, qtbot):
    from posapp.ui.printing import PrintPreviewDialog

    issued = _sell_milk(window)
    with FakeEscposPrinter() as printer:
        window.store.set(RECEIPT_PRINTER, printer.uri)
        window.print_invoice(issued)
        preview = window.findChild(PrintPreviewDialog)
        assert preview.receipt_button.isVisibleTo(preview)
        preview.receipt_button.click()
        qtbot.waitUntil(lambda: printer.done.is_set(), timeout=WAIT_MS)
    decoded = decode(printer.received)
    assert decoded.kicks == []
    assert decoded.image.width == 576
