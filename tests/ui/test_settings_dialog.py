"""The settings dialog: each tab's values reach the settings, bad input is refused with a message
next to its field and saves nothing, the installed printers are offered, and a language change
asks for the window to be rebuilt."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QFileDialog, QPushButton

from posapp.settings.documents import (
    AMOUNT_UNIT,
    CARBON_COPIES,
    FOOTER_TEXT,
    INVOICE_THEME,
    OFFICIAL_THEME,
    PAPER,
    PRINT_RECEIPT_ON_ISSUE,
    RECEIPT_PRINTER,
    RECEIPT_THEME,
    RECEIPT_WIDTH_MM,
    DocumentKind,
)
from posapp.settings.shop import (
    PAYMENT_LINK_PROVIDER,
    SHOP_ADDRESS,
    SHOP_ECONOMIC_CODE,
    SHOP_LEGAL_KIND,
    SHOP_LOGO_PATH,
    SHOP_NAME,
    SHOP_NATIONAL_ID,
    SHOP_PHONE,
    SHOP_POSTAL_CODE,
    SHOP_REGISTRATION_NUMBER,
    TILL_CODE,
)
from posapp.settings.ui import UI_LANGUAGE
from posapp.ui.i18n import apply_language
from posapp.ui.settings_dialog import SettingsDialog

PRINTERS = ["Office-Laser", "Thermal-80"]


@pytest.fixture
def printers(monkeypatch):
    """Qt's offscreen platform has no printers: offer two."""
    monkeypatch.setattr(QPrinterInfo, "availablePrinterNames", staticmethod(lambda: list(PRINTERS)))
    return PRINTERS


@pytest.fixture
def dialog(qtbot, store, printers):
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    return dialog


def _png(path):
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#0a6"))
    assert image.save(str(path), "PNG")
    return path


def _select(box, value):
    index = box.findData(value)
    assert index >= 0, f"{value!r} is not offered"
    box.setCurrentIndex(index)


def test_the_dialog_has_a_general_a_shop_a_printing_and_a_hardware_tab(dialog):
    titles = [dialog.tabs.tabText(index) for index in range(dialog.tabs.count())]
    assert titles == ["عمومی", "فروشگاه", "چاپ", "سخت‌افزار صندوق"]


def test_saving_stores_the_choices_and_a_language_change_rebuilds(dialog, store):
    _select(dialog.language, "en")
    _select(dialog.link_provider, "hesabfa")
    dialog.accept()
    assert store.get(UI_LANGUAGE) == "en"
    assert store.get(PAYMENT_LINK_PROVIDER) == "hesabfa"
    assert dialog.needs_rebuild


def test_a_bad_till_code_is_refused_and_nothing_is_saved(dialog, store):
    dialog.till.setText("صندوق یک!")
    _select(dialog.link_provider, "none")
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert store.get(TILL_CODE) == "1"
    assert store.get(PAYMENT_LINK_PROVIDER) == ""
    assert dialog.form.error_text("till")


def test_the_shop_tab_saves_the_profile_in_canonical_form(dialog, store, tmp_path, monkeypatch):
    logo = _png(tmp_path / "logo.png")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(logo), "")))
    dialog.shop_name.setText("  شرکت   پخش نمونه ")
    _select(dialog.shop_kind, "legal")
    dialog.national_id.setText("۱۰۱۰۱۲۳۴۵۶۵")
    dialog.economic_code.setText("4111-1111-1111")
    dialog.registration_number.setText("۱۲۳۴۵")
    dialog.postal_code.setText("۱۳۴۵۶-۷۸۹۱۱")
    dialog.phone.setText("۰۲۱-۸۸۰۰۱۱۲۲")
    dialog.address.setText("تهران، خیابان آزادی، پلاک ۱")
    dialog.shop_form.findChild(QPushButton, "chooseLogo").click()
    assert dialog.logo_path.text() == str(logo)
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert store.get(SHOP_NAME) == "شرکت پخش نمونه"
    assert store.get(SHOP_LEGAL_KIND) == "legal"
    assert store.get(SHOP_NATIONAL_ID) == "10101234565"
    assert store.get(SHOP_ECONOMIC_CODE) == "411111111111"
    assert store.get(SHOP_REGISTRATION_NUMBER) == "12345"
    assert store.get(SHOP_POSTAL_CODE) == "1345678911"
    assert store.get(SHOP_PHONE) == "021-88001122"
    assert store.get(SHOP_ADDRESS) == "تهران، خیابان آزادی، پلاک ۱"
    assert store.get(SHOP_LOGO_PATH) == str(logo.resolve())
    assert not dialog.needs_rebuild


def test_an_invalid_national_id_and_postal_code_are_shown_and_nothing_is_saved(dialog, store):
    _select(dialog.language, "en")
    dialog.shop_name.setText("فروشگاه دیگر")
    dialog.national_id.setText("0012345678")  # wrong check digit
    dialog.postal_code.setText("1034567891")  # 0 in the area part
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert "کد ملی معتبر نیست" in dialog.shop_form.error_text("national_id")
    assert "کد پستی معتبر نیست" in dialog.shop_form.error_text("postal_code")
    assert dialog.shop_form.errors["national_id"].isVisibleTo(dialog.shop_form)
    assert dialog.tabs.currentWidget() is dialog.shop_form
    assert dialog.national_id.text() == "0012345678"  # nothing typed is lost
    assert store.get(UI_LANGUAGE) == "fa"
    assert store.get(SHOP_NAME) == "فروشگاه نمونه"
    assert store.get(SHOP_NATIONAL_ID) == ""
    assert store.get(SHOP_POSTAL_CODE) == ""


def test_a_legal_shop_needs_an_eleven_digit_national_id(dialog, store):
    _select(dialog.shop_kind, "legal")
    dialog.national_id.setText("0012345679")  # a person's valid ID
    dialog.economic_code.setText("12345")
    dialog.accept()
    assert "۱۱ رقم" in dialog.shop_form.error_text("national_id")
    assert "۱۰ تا ۱۴ رقم" in dialog.shop_form.error_text("economic_code")
    assert store.get(SHOP_NATIONAL_ID) == ""


def test_a_missing_or_svg_logo_is_refused_with_a_message(dialog, store, tmp_path):
    dialog.logo_path.setText(str(tmp_path / "gone.png"))
    dialog.accept()
    assert "پیدا نشد" in dialog.shop_form.error_text("logo")
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    dialog.logo_path.setText(str(svg))
    dialog.accept()
    assert "SVG" in dialog.shop_form.error_text("logo")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    dialog.logo_path.setText(str(broken))
    dialog.accept()
    assert "PNG یا JPEG" in dialog.shop_form.error_text("logo")
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert store.get(SHOP_LOGO_PATH) == ""


def test_the_printing_tab_offers_the_installed_printers_and_saves_its_values(dialog, store):
    offered = [dialog.receipt_printer.itemData(i) for i in range(dialog.receipt_printer.count())]
    assert offered == ["", *PRINTERS, "escpos"]  # "ask each time" first, an ESC/POS address last
    assert dialog.receipt_printer.currentData() == ""
    themes = dialog.theme_boxes
    assert [themes[DocumentKind.INVOICE].itemData(i) for i in range(themes[DocumentKind.INVOICE].count())] \
        == ["modern", "formal", "receipt", "carbon"]
    _select(themes[DocumentKind.INVOICE], "carbon")
    _select(themes[DocumentKind.RECEIPT], "receipt")
    _select(themes[DocumentKind.OFFICIAL], "formal")
    _select(dialog.paper, "A5")
    _select(dialog.receipt_width, 58)
    _select(dialog.receipt_printer, "Thermal-80")
    dialog.carbon_copies.setChecked(False)
    dialog.footer.setText(" از خرید شما سپاسگزاریم ")
    _select(dialog.amount_unit, "toman")
    dialog.print_on_issue.setChecked(True)
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert store.get(INVOICE_THEME) == "carbon"
    assert store.get(RECEIPT_THEME) == "receipt"
    assert store.get(OFFICIAL_THEME) == "formal"
    assert store.get(PAPER) == "A5"
    assert store.get(RECEIPT_WIDTH_MM) == 58
    assert store.get(RECEIPT_PRINTER) == "Thermal-80"
    assert store.get(CARBON_COPIES) is False
    assert store.get(FOOTER_TEXT) == "از خرید شما سپاسگزاریم"
    assert store.get(AMOUNT_UNIT) == "toman"
    assert store.get(PRINT_RECEIPT_ON_ISSUE) is True


def test_a_configured_printer_that_is_not_installed_stays_chosen(qtbot, store, printers):
    store.set(RECEIPT_PRINTER, "Old-Thermal")
    store.set(INVOICE_THEME, "no-such-theme")
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.receipt_printer.currentData() == "Old-Thermal"
    assert "Old-Thermal" in dialog.receipt_printer.currentText()
    assert dialog.theme_boxes[DocumentKind.INVOICE].currentData() == "modern"  # the default
    dialog.accept()
    assert store.get(RECEIPT_PRINTER) == "Old-Thermal"


def test_printing_on_issue_needs_a_receipt_printer(dialog, store):
    dialog.print_on_issue.setChecked(True)
    dialog.footer.setText("سپاس")
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert "چاپگر رسید" in dialog.print_form.error_text("print_on_issue")
    assert dialog.tabs.currentWidget() is dialog.print_form
    assert store.get(PRINT_RECEIPT_ON_ISSUE) is False
    assert store.get(FOOTER_TEXT) == ""
    _select(dialog.receipt_printer, "Office-Laser")
    assert not dialog.print_form.errors["print_on_issue"].text()
    dialog.accept()
    assert store.get(PRINT_RECEIPT_ON_ISSUE) is True


def test_messages_are_english_in_the_english_ui(qapp, qtbot, store, printers):
    store.set(UI_LANGUAGE, "en")
    apply_language(qapp, "en")
    try:
        dialog = SettingsDialog(store)
        qtbot.addWidget(dialog)
        assert [dialog.tabs.tabText(i) for i in range(3)] == ["General", "Shop", "Printing"]
        dialog.postal_code.setText("1111111111")
        dialog.economic_code.setText("12")
        dialog.print_on_issue.setChecked(True)
        dialog.accept()
        assert "postal code is not valid" in dialog.shop_form.error_text("postal_code")
        assert "10 to 14 digits" in dialog.shop_form.error_text("economic_code")
        assert "receipt printer" in dialog.print_form.error_text("print_on_issue")
        assert store.get(SHOP_POSTAL_CODE) == ""
    finally:
        apply_language(qapp, "fa")
