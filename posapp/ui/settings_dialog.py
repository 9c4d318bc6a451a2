"""The settings dialog, in three tabs: general (UI language, Rial/Toman display, cashier, price
editing, till, series, pay-by-link provider), the shop profile printed as the seller, and printing
(theme per document kind, paper, receipt width and printer, copies, footer, printed unit, and
whether the receipt prints by itself when a sale is issued).

Saving is all or nothing: every field is checked first, each problem is shown next to its field
(on its tab, which is brought to the front), and nothing is stored while any remains. A changed
language or unit applies at once: the application rebuilds the main window with the new
translators and layout direction, carrying the sale in progress over.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QImageReader
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.invoice import PartyKind
from posapp.domain.numbering import check_series_code
from posapp.domain.payment_links import KNOWN_PAYMENT_HOSTS
from posapp.domain.text import to_ascii_digits, to_persian_digits
from posapp.domain.validators import (
    validate_economic_code,
    validate_legal_national_id,
    validate_national_id,
    validate_postal_code,
    validate_registration_number,
)
from posapp.hardware.uri import is_printer_uri, parse_printer_uri
from posapp.render.document import PAPER_SIZES
from posapp.render.receipt import RECEIPT_WIDTHS
from posapp.render.theme import THEME_NAMES
from posapp.services.documents import theme_for
from posapp.services.payment_links import NO_LINK_PROVIDER
from posapp.services.sync_settings import provider_title
from posapp.settings.documents import (
    AMOUNT_UNIT,
    CARBON_COPIES,
    FOOTER_TEXT,
    PAPER,
    PRINT_RECEIPT_ON_ISSUE,
    RECEIPT_PRINTER,
    RECEIPT_WIDTH_MM,
    THEME_SETTINGS,
    DocumentKind,
)
from posapp.settings.hardware import CUSTOMER_DISPLAY_SCREEN
from posapp.settings.shop import (
    PAYMENT_LINK_PROVIDER,
    SERIES_CODE,
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
    shop_kind,
)
from posapp.settings.store import SettingsStore
from posapp.settings.ui import (
    ALERT_SOUND,
    ALLOW_PRICE_EDIT,
    CASHIER_NAME,
    DISPLAY_UNIT,
    DISPLAY_UNITS,
    UI_LANGUAGE,
)
from posapp.ui.counter_settings import HardwareForm
from posapp.ui.forms import FieldForm

T = TypeVar("T")

THEME_TITLES = {
    "modern": QT_TRANSLATE_NOOP("SettingsDialog", "مدرن (رنگی، A4 و A5)"),
    "formal": QT_TRANSLATE_NOOP("SettingsDialog", "رسمی (صورتحساب فروش کالا و خدمات)"),
    "receipt": QT_TRANSLATE_NOOP("SettingsDialog", "فیش (رسید صندوق ۵۸ و ۸۰ میلی‌متری)"),
    "carbon": QT_TRANSLATE_NOOP("SettingsDialog", "کربن (تک‌رنگ، نسخهٔ فروشنده و خریدار)"),
}
"""Persian title of each theme in `posapp.render.theme.THEME_NAMES`, shown through `self.tr`;
a theme without a title here is listed by its name."""

UNIT_TITLES = {
    "rial": QT_TRANSLATE_NOOP("SettingsDialog", "ریال"),
    "toman": QT_TRANSLATE_NOOP("SettingsDialog", "تومان"),
}

REBUILD_SETTINGS = (UI_LANGUAGE, DISPLAY_UNIT, CASHIER_NAME, ALLOW_PRICE_EDIT, TILL_CODE, CUSTOMER_DISPLAY_SCREEN)
"""Settings the main window is built with: a change to any of them rebuilds it."""

ESCPOS_CHOICE = "escpos"
"""The receipt printer combo's entry for an ESC/POS printer at the address typed below it."""

LOGO_FORMATS = ("png", "jpeg")
"""Image formats the PDF renderer (reportlab) draws; it cannot draw SVG."""


class SettingsDialog(QDialog):
    """Edits settings in `store`. `needs_rebuild` tells whether the window must be rebuilt.
    `form`, `shop_form` and `print_form` are the three tabs' forms."""

    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("تنظیمات"))
        self._store = store
        self.needs_rebuild = False
        self._language = store.get(UI_LANGUAGE)
        self.form = FieldForm(self._language)
        self.shop_form = FieldForm(self._language)
        self.print_form = FieldForm(self._language)
        self._build_general_tab(store)
        self._build_shop_tab(store)
        self._build_print_tab(store)
        self.hardware_form = HardwareForm(store, self._language, self._escpos_text)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.addTab(self.form, self.tr("عمومی"))
        self.tabs.addTab(self.shop_form, self.tr("فروشگاه"))
        self.tabs.addTab(self.print_form, self.tr("چاپ"))
        self.tabs.addTab(self.hardware_form, self.tr("سخت‌افزار صندوق"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    # -- tabs --------------------------------------------------------------------------------

    def _build_general_tab(self, store: SettingsStore) -> None:
        self.language = QComboBox()
        self.language.addItem("فارسی", "fa")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(store.get(UI_LANGUAGE))))
        self.unit = self._unit_combo(store.get(DISPLAY_UNIT))
        self.cashier = QLineEdit(store.get(CASHIER_NAME))
        self.allow_price_edit = QCheckBox(self.tr("صندوقدار می‌تواند قیمت ردیف را تغییر دهد"))
        self.allow_price_edit.setChecked(store.get(ALLOW_PRICE_EDIT))
        self.alert_sound = QCheckBox(self.tr("بوق کوتاه وقتی کد اسکن‌شده پیدا نشود"))
        self.alert_sound.setObjectName("alertSound")
        self.alert_sound.setChecked(store.get(ALERT_SOUND))
        self.till = QLineEdit(store.get(TILL_CODE))
        self.series = QLineEdit(store.get(SERIES_CODE))
        self.link_provider = QComboBox()
        self.link_provider.setObjectName("linkProvider")
        self.link_provider.addItem(self.tr("خودکار: نخستین سامانهٔ فعال"), "")
        self.link_provider.addItem(self.tr("خاموش"), NO_LINK_PROVIDER)
        for name in KNOWN_PAYMENT_HOSTS:
            self.link_provider.addItem(provider_title(name, self._language), name)
        self.link_provider.setCurrentIndex(max(0, self.link_provider.findData(
            store.get(PAYMENT_LINK_PROVIDER).strip().lower())))
        form = self.form
        form.add("language", self.tr("زبان برنامه:"), self.language)
        form.add("unit", self.tr("نمایش مبالغ به:"), self.unit)
        form.add("cashier", self.tr("نام صندوقدار:"), self.cashier)
        form.add("allow_price_edit", "", self.allow_price_edit)
        form.add("alert_sound", "", self.alert_sound)
        form.add("till", self.tr("کد صندوق:"), self.till)
        form.add("series", self.tr("سری شماره فاکتور:"), self.series)
        form.add("link_provider", self.tr("پرداخت با لینک از طریق:"), self.link_provider)
        form.finish()

    def _build_shop_tab(self, store: SettingsStore) -> None:
        self.shop_kind = QComboBox()
        self.shop_kind.addItem(self.tr("حقیقی (شخص)"), PartyKind.NATURAL.value)
        self.shop_kind.addItem(self.tr("حقوقی (شرکت)"), PartyKind.LEGAL.value)
        self.shop_kind.setCurrentIndex(max(0, self.shop_kind.findData(shop_kind(store).value)))
        self.shop_name = QLineEdit(store.get(SHOP_NAME))
        self.national_id = QLineEdit(store.get(SHOP_NATIONAL_ID))
        self.economic_code = QLineEdit(store.get(SHOP_ECONOMIC_CODE))
        self.registration_number = QLineEdit(store.get(SHOP_REGISTRATION_NUMBER))
        self.postal_code = QLineEdit(store.get(SHOP_POSTAL_CODE))
        self.phone = QLineEdit(store.get(SHOP_PHONE))
        self.address = QLineEdit(store.get(SHOP_ADDRESS))
        self.logo_path = QLineEdit(store.get(SHOP_LOGO_PATH))
        self.logo_path.setPlaceholderText(self.tr("بدون نشان"))
        choose_logo = QPushButton(self.tr("انتخاب…"))
        choose_logo.setObjectName("chooseLogo")
        choose_logo.clicked.connect(self.choose_logo)
        logo_row = QWidget()
        logo_layout = QHBoxLayout(logo_row)
        logo_layout.setContentsMargins(0, 0, 0, 0)
        logo_layout.addWidget(self.logo_path, 1)
        logo_layout.addWidget(choose_logo)
        form = self.shop_form
        form.add("shop_name", self.tr("نام فروشگاه:"), self.shop_name)
        form.add("legal_kind", self.tr("نوع:"), self.shop_kind)
        form.add("national_id", self.tr("کد ملی / شناسه ملی:"), self.national_id)
        form.add("economic_code", self.tr("کد اقتصادی:"), self.economic_code)
        form.add("registration_number", self.tr("شماره ثبت:"), self.registration_number)
        form.add("postal_code", self.tr("کد پستی:"), self.postal_code)
        form.add("phone", self.tr("تلفن:"), self.phone)
        form.add("address", self.tr("نشانی:"), self.address)
        form.add("logo", self.tr("نشان (لوگو):"), logo_row)
        form.finish()
        for field, edit in (("shop_name", self.shop_name), ("national_id", self.national_id),
                            ("economic_code", self.economic_code),
                            ("registration_number", self.registration_number),
                            ("postal_code", self.postal_code), ("logo", self.logo_path)):
            edit.textEdited.connect(lambda _text, f=field: form.clear_error(f))

    def _build_print_tab(self, store: SettingsStore) -> None:
        kind_labels = {
            DocumentKind.INVOICE: self.tr("قالب فاکتور (پیش‌نمایش و Ctrl+P):"),
            DocumentKind.RECEIPT: self.tr("قالب رسید صندوق:"),
            DocumentKind.OFFICIAL: self.tr("قالب صورتحساب رسمی:"),
        }
        self.theme_boxes: dict[DocumentKind, QComboBox] = {}
        for kind in DocumentKind:
            box = QComboBox()
            for name in THEME_NAMES:
                box.addItem(self.tr(THEME_TITLES[name]) if name in THEME_TITLES else name, name)
            box.setCurrentIndex(max(0, box.findData(theme_for(store, kind))))
            self.theme_boxes[kind] = box
        self.paper = QComboBox()
        for paper in PAPER_SIZES:
            self.paper.addItem(paper, paper)
        self.paper.setCurrentIndex(max(0, self.paper.findData(store.get(PAPER).strip().upper())))
        self.receipt_width = QComboBox()
        for width in RECEIPT_WIDTHS:
            digits = to_persian_digits(str(width)) if self._language == "fa" else str(width)
            self.receipt_width.addItem(self.tr("%1 میلی‌متر").replace("%1", digits), width)
        self.receipt_width.setCurrentIndex(max(0, self.receipt_width.findData(
            store.get(RECEIPT_WIDTH_MM))))
        self.receipt_printer = QComboBox()
        self.receipt_printer.setObjectName("receiptPrinter")
        self.receipt_printer.addItem(self.tr("هر بار پرسیده شود"), "")
        for name in QPrinterInfo.availablePrinterNames():
            self.receipt_printer.addItem(name, name)
        self.receipt_printer.addItem(self.tr("چاپگر ESC/POS با نشانی (شبکه، USB، سریال)"), ESCPOS_CHOICE)
        configured = store.get(RECEIPT_PRINTER).strip()
        self.printer_uri = QLineEdit(configured if is_printer_uri(configured) else "")
        self.printer_uri.setPlaceholderText("tcp://192.168.1.50:9100")
        self.printer_uri.setToolTip(
            "tcp://192.168.1.50:9100\nusb://04b8:0202\nserial:///dev/ttyUSB0?baud=9600\nfile:///dev/usb/lp0")
        if is_printer_uri(configured):
            configured = ESCPOS_CHOICE
        elif configured and self.receipt_printer.findData(configured) < 0:
            self.receipt_printer.addItem(
                self.tr("%1 (روی این رایانه نصب نیست)").replace("%1", configured), configured)
        self.receipt_printer.setCurrentIndex(max(0, self.receipt_printer.findData(configured)))
        self.carbon_copies = QCheckBox(self.tr("قالب کربن نسخهٔ فروشنده و خریدار را چاپ کند"))
        self.carbon_copies.setChecked(store.get(CARBON_COPIES))
        self.footer = QLineEdit(store.get(FOOTER_TEXT))
        self.amount_unit = self._unit_combo(store.get(AMOUNT_UNIT).strip().lower())
        self.print_on_issue = QCheckBox(self.tr("با صدور هر فاکتور، رسید آن خودکار چاپ شود"))
        self.print_on_issue.setChecked(store.get(PRINT_RECEIPT_ON_ISSUE))
        form = self.print_form
        for kind, box in self.theme_boxes.items():
            form.add(f"{kind.value}_theme", kind_labels[kind], box)
        form.add("paper", self.tr("کاغذ فاکتور:"), self.paper)
        form.add("receipt_width", self.tr("عرض کاغذ رسید:"), self.receipt_width)
        form.add("receipt_printer", self.tr("چاپگر رسید:"), self.receipt_printer)
        form.add("printer_uri", self.tr("نشانی چاپگر ESC/POS:"), self.printer_uri)
        form.add("print_on_issue", "", self.print_on_issue)
        form.add("carbon_copies", "", self.carbon_copies)
        form.add("footer", self.tr("متن پایین فاکتور و رسید:"), self.footer)
        form.add("amount_unit", self.tr("مبالغ روی کاغذ به:"), self.amount_unit)
        form.finish()
        self.receipt_printer.currentIndexChanged.connect(
            lambda _index: form.clear_error("print_on_issue"))
        self.receipt_printer.currentIndexChanged.connect(lambda _index: self._follow_printer_choice())
        self.printer_uri.textEdited.connect(lambda _text: form.clear_error("printer_uri"))
        self._follow_printer_choice()
        self.print_on_issue.toggled.connect(lambda _on: form.clear_error("print_on_issue"))

    def _follow_printer_choice(self) -> None:
        self.printer_uri.setEnabled(self.receipt_printer.currentData() == ESCPOS_CHOICE)
        if not self.printer_uri.isEnabled():
            self.print_form.clear_error("printer_uri")

    def _escpos_text(self) -> str:
        """The ESC/POS address typed (the calibration page prints there before saving)."""
        return self.printer_uri.text().strip()

    def _checked_receipt_printer(self) -> str:
        """The receipt printer setting: a system printer's name, or a checked ESC/POS address."""
        choice = self.receipt_printer.currentData()
        if choice != ESCPOS_CHOICE:
            return str(choice)
        return str(parse_printer_uri(self._escpos_text()))

    def _unit_combo(self, current: str) -> QComboBox:
        box = QComboBox()
        for unit in DISPLAY_UNITS:
            box.addItem(self.tr(UNIT_TITLES[unit]), unit)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    # -- the logo ------------------------------------------------------------------------------

    def choose_logo(self) -> None:
        start = self.logo_path.text().strip()
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("انتخاب نشان فروشگاه"), str(Path(start).parent) if start else "",
            self.tr("تصویر PNG یا JPEG (*.png *.jpg *.jpeg)"),
        )
        if path:
            self.logo_path.setText(path)
            self.shop_form.clear_error("logo")

    def _checked_logo(self, text: str) -> str:
        """The logo's path when it names a PNG or JPEG file that can be read; "" for no logo."""
        path = text.strip()
        if not path:
            return ""
        if not Path(path).is_file():
            raise self._error("logo", self.tr("فایل نشان پیدا نشد: %1").replace("%1", path))
        image_format = bytes(QImageReader.imageFormat(path).data()).decode().lower()
        if image_format not in LOGO_FORMATS:
            if image_format == "svg" or Path(path).suffix.lower() == ".svg":
                raise self._error("logo", self.tr(
                    "نشان SVG چاپ نمی‌شود؛ آن را به PNG یا JPEG تبدیل کنید"))
            raise self._error("logo", self.tr(
                "فایل نشان خوانده نشد؛ یک تصویر PNG یا JPEG انتخاب کنید"))
        return str(Path(path).resolve())

    # -- checks and saving -------------------------------------------------------------------

    def _error(self, field: str, text: str) -> ValidationError:
        """A field's problem in the dialog's own words, already translated by Qt."""
        return ValidationError(field, text, text)

    def _checked_economic_code(self, text: str) -> str:
        return validate_economic_code(text) if text.strip() else ""

    def _checked_registration_number(self, text: str) -> str:
        return validate_registration_number(text) if text.strip() else ""

    def _checked_national_id(self, text: str) -> str:
        if not text.strip():
            return ""
        if self.shop_kind.currentData() == PartyKind.LEGAL.value:
            return validate_legal_national_id(text, field="national_id")
        return validate_national_id(text, field="national_id")

    def _checked_print_on_issue(self) -> bool:
        """Printing on issue needs a receipt printer: with "ask each time", every sale would
        stop at the print dialog."""
        wanted = self.print_on_issue.isChecked()
        if wanted and not self.receipt_printer.currentData():
            raise self._error("print_on_issue", self.tr(
                "برای چاپ خودکار رسید، چاپگر رسید را انتخاب کنید"))
        return wanted

    def accept(self) -> None:
        forms = (self.form, self.shop_form, self.print_form, self.hardware_form)
        for form in forms:
            form.clear_errors()
        errors: list[DomainError] = []

        def checked(check: Callable[[], T], fallback: T) -> T:
            try:
                return check()
            except DomainError as error:
                errors.append(error)
                return fallback

        till = checked(lambda: check_series_code(self.till.text().strip(), field="till"), "")
        series = checked(lambda: check_series_code(self.series.text().strip(), field="series"), "")
        national_id = checked(lambda: self._checked_national_id(self.national_id.text()), "")
        economic_code = checked(lambda: self._checked_economic_code(self.economic_code.text()), "")
        registration_number = checked(
            lambda: self._checked_registration_number(self.registration_number.text()), "")
        postal_code = checked(
            lambda: validate_postal_code(self.postal_code.text()) if self.postal_code.text().strip()
            else "", "")
        logo = checked(lambda: self._checked_logo(self.logo_path.text()), "")
        print_on_issue = checked(self._checked_print_on_issue, False)
        receipt_printer = checked(self._checked_receipt_printer, "")
        hardware = checked(self.hardware_form.checked, None)
        if errors:
            self._show_errors(errors, forms)
            return
        store = self._store
        before = [store.get(setting) for setting in REBUILD_SETTINGS]
        store.set(UI_LANGUAGE, self.language.currentData())
        store.set(DISPLAY_UNIT, self.unit.currentData())
        store.set(CASHIER_NAME, self.cashier.text().strip())
        store.set(ALLOW_PRICE_EDIT, self.allow_price_edit.isChecked())
        store.set(ALERT_SOUND, self.alert_sound.isChecked())
        store.set(TILL_CODE, till)
        store.set(SERIES_CODE, series)
        store.set(PAYMENT_LINK_PROVIDER, self.link_provider.currentData())
        self._save_shop(national_id, economic_code, registration_number, postal_code, logo)
        self._save_printing(print_on_issue, receipt_printer)
        assert hardware is not None
        self.hardware_form.save(hardware)
        self.needs_rebuild = before != [store.get(setting) for setting in REBUILD_SETTINGS]
        super().accept()

    def _show_errors(self, errors: list[DomainError], forms: tuple[FieldForm, ...]) -> None:
        """Each error next to its field; the tab of the first one comes to the front."""
        first_form: FieldForm | None = None
        for error in errors:
            field = error.field if isinstance(error, ValidationError) else ""
            form = next((form for form in forms if field in form.fields), self.form)
            form.show_error(error)
            first_form = first_form or form
        if first_form is not None:
            self.tabs.setCurrentWidget(first_form)
            first_field = errors[0].field if isinstance(errors[0], ValidationError) else ""
            if first_field in first_form.fields:
                first_form.fields[first_field].setFocus()

    def _save_shop(self, national_id: str, economic_code: str, registration_number: str,
                   postal_code: str, logo: str) -> None:
        store = self._store
        store.set(SHOP_NAME, " ".join(self.shop_name.text().split()))
        store.set(SHOP_LEGAL_KIND, self.shop_kind.currentData())
        store.set(SHOP_NATIONAL_ID, national_id)
        store.set(SHOP_ECONOMIC_CODE, economic_code)
        store.set(SHOP_REGISTRATION_NUMBER, registration_number)
        store.set(SHOP_POSTAL_CODE, postal_code)
        store.set(SHOP_PHONE, to_ascii_digits(self.phone.text()).strip())
        store.set(SHOP_ADDRESS, " ".join(self.address.text().split()))
        store.set(SHOP_LOGO_PATH, logo)

    def _save_printing(self, print_on_issue: bool, receipt_printer: str) -> None:
        store = self._store
        for kind, box in self.theme_boxes.items():
            store.set(THEME_SETTINGS[kind], box.currentData())
        store.set(PAPER, self.paper.currentData())
        store.set(RECEIPT_WIDTH_MM, self.receipt_width.currentData())
        store.set(RECEIPT_PRINTER, receipt_printer)
        store.set(CARBON_COPIES, self.carbon_copies.isChecked())
        store.set(FOOTER_TEXT, self.footer.text().strip())
        store.set(AMOUNT_UNIT, self.amount_unit.currentData())
        store.set(PRINT_RECEIPT_ON_ISSUE, print_on_issue)
