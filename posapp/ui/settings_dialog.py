"""The settings dialog: UI language, Rial/Toman display, cashier, price editing, shop and till,
and which provider makes the counter's payment links.

A changed language or unit applies at once: the application rebuilds the main window with the
new translators and layout direction, carrying the sale in progress over.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.numbering import check_series_code
from posapp.services.payment_links import KNOWN_PAYMENT_HOSTS, NO_LINK_PROVIDER
from posapp.services.sync_settings import provider_title
from posapp.settings.shop import PAYMENT_LINK_PROVIDER, SERIES_CODE, SHOP_NAME, TILL_CODE
from posapp.settings.store import SettingsStore
from posapp.settings.ui import ALLOW_PRICE_EDIT, CASHIER_NAME, DISPLAY_UNIT, UI_LANGUAGE
from posapp.ui.forms import FieldForm


class SettingsDialog(QDialog):
    """Edits settings in `store`. `needs_rebuild` tells whether the window must be rebuilt."""

    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("تنظیمات"))
        self._store = store
        self.needs_rebuild = False
        self.form = FieldForm(store.get(UI_LANGUAGE))
        self.language = QComboBox()
        self.language.addItem("فارسی", "fa")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(store.get(UI_LANGUAGE))))
        self.unit = QComboBox()
        self.unit.addItem(self.tr("ریال"), "rial")
        self.unit.addItem(self.tr("تومان"), "toman")
        self.unit.setCurrentIndex(max(0, self.unit.findData(store.get(DISPLAY_UNIT))))
        self.cashier = QLineEdit(store.get(CASHIER_NAME))
        self.allow_price_edit = QCheckBox(self.tr("صندوقدار می‌تواند قیمت ردیف را تغییر دهد"))
        self.allow_price_edit.setChecked(store.get(ALLOW_PRICE_EDIT))
        self.shop_name = QLineEdit(store.get(SHOP_NAME))
        self.till = QLineEdit(store.get(TILL_CODE))
        self.series = QLineEdit(store.get(SERIES_CODE))
        self.link_provider = QComboBox()
        self.link_provider.setObjectName("linkProvider")
        self.link_provider.addItem(self.tr("خودکار: نخستین سامانهٔ فعال"), "")
        self.link_provider.addItem(self.tr("خاموش"), NO_LINK_PROVIDER)
        language = store.get(UI_LANGUAGE)
        for name in KNOWN_PAYMENT_HOSTS:
            self.link_provider.addItem(provider_title(name, language), name)
        self.link_provider.setCurrentIndex(max(0, self.link_provider.findData(
            store.get(PAYMENT_LINK_PROVIDER).strip().lower())))
        self.form.add("language", self.tr("زبان برنامه:"), self.language)
        self.form.add("unit", self.tr("نمایش مبالغ به:"), self.unit)
        self.form.add("cashier", self.tr("نام صندوقدار:"), self.cashier)
        self.form.add("allow_price_edit", "", self.allow_price_edit)
        self.form.add("shop_name", self.tr("نام فروشگاه:"), self.shop_name)
        self.form.add("till", self.tr("کد صندوق:"), self.till)
        self.form.add("series", self.tr("سری شماره فاکتور:"), self.series)
        self.form.add("link_provider", self.tr("پرداخت با لینک از طریق:"), self.link_provider)
        self.form.finish()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.form.clear_errors()
        try:
            till = check_series_code(self.till.text().strip(), field="till")
            series = check_series_code(self.series.text().strip(), field="series")
        except DomainError as error:
            self.form.show_error(error)
            return
        store = self._store
        before = (store.get(UI_LANGUAGE), store.get(DISPLAY_UNIT), store.get(CASHIER_NAME),
                  store.get(ALLOW_PRICE_EDIT), store.get(TILL_CODE))
        store.set(UI_LANGUAGE, self.language.currentData())
        store.set(DISPLAY_UNIT, self.unit.currentData())
        store.set(CASHIER_NAME, self.cashier.text().strip())
        store.set(ALLOW_PRICE_EDIT, self.allow_price_edit.isChecked())
        store.set(SHOP_NAME, self.shop_name.text().strip())
        store.set(TILL_CODE, till)
        store.set(SERIES_CODE, series)
        store.set(PAYMENT_LINK_PROVIDER, self.link_provider.currentData())
        after = (store.get(UI_LANGUAGE), store.get(DISPLAY_UNIT), store.get(CASHIER_NAME),
                 store.get(ALLOW_PRICE_EDIT), store.get(TILL_CODE))
        self.needs_rebuild = before != after
        super().accept()
