"""One provider's settings dialog: its server and business settings, credentials (to the OS
keyring only, never shown back), whether it is enabled, which invoices go there, and "test
connection" with the provider's own checks.

`edit_provider_settings(name, store, tasks, parent)` opens it; the form comes from
`posapp.services.sync_settings.provider_form`, so the dialog never touches a provider module.
Bad values are refused with a message and nothing is written; the keyring is written only for
secret fields the cashier typed in.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.services.sync_settings import (
    ConnectionCheck,
    ProviderForm,
    SecretField,
    SettingField,
    check_connection,
    provider_form,
    save_provider_form,
    secrets_available,
)
from posapp.settings.store import SettingsStore
from posapp.ui.forms import ScrollingForm
from posapp.ui.i18n import current_language
from posapp.ui.messages import error_text
from posapp.ui.tasks import TaskManager

SCOPE_LABELS = {
    "all": QT_TRANSLATE_NOOP("ProviderSettingsDialog", "همه فاکتورها"),
    "named-customer": QT_TRANSLATE_NOOP("ProviderSettingsDialog", "فقط فاکتورهای با مشتری معین"),
    "payment-link": QT_TRANSLATE_NOOP("ProviderSettingsDialog", "فقط فاکتورهای پرداخت‌شده با لینک"),
}
"""Persian source text of each invoice scope; shown through `self.tr(label)`.

The provider's own field, secret and title labels come with a Persian and an English text
(`label_fa`/`label_en`), as the CLI shows them too; the dialog picks the one for the UI language."""


class ProviderSettingsDialog(QDialog):
    """See the module docstring. `saved` is True after a successful save. `language` is the UI
    language, read from the layout direction `posapp.ui.i18n.apply_language` set."""

    def __init__(self, name: str, store: SettingsStore, tasks: TaskManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.store = store
        self.tasks = tasks
        self.saved = False
        self.form: ProviderForm = provider_form(store, name)
        self.language = current_language()
        title = self.form.title_fa if self.language == "fa" else self.form.title_en
        self.setWindowTitle(self.tr("تنظیمات %1").replace("%1", title))
        self.editors: dict[str, QWidget] = {}
        self.secret_editors: dict[str, QLineEdit] = {}

        self.enabled_box = QCheckBox(self.tr("ارسال فاکتورها به این سامانه"), self)
        self.enabled_box.setChecked(self.form.enabled)
        self.scope_box = QComboBox(self)
        for scope in self.form.scopes:
            self.scope_box.addItem(self.tr(SCOPE_LABELS[scope]) if scope in SCOPE_LABELS else scope, scope)
        self.scope_box.setCurrentIndex(max(0, self.form.scopes.index(self.form.scope)))

        settings_group = QGroupBox(self.tr("تنظیمات"), self)
        settings_layout = QFormLayout(settings_group)
        settings_layout.addRow(self.enabled_box)
        settings_layout.addRow(self.tr("کدام فاکتورها"), self.scope_box)
        for spec in self.form.fields:
            editor = _editor_for(spec, settings_group)
            editor.setObjectName(f"setting_{spec.name}")
            self.editors[spec.name] = editor
            settings_layout.addRow(self._label(spec), editor)

        self.option_boxes: dict[str, QCheckBox] = {}
        for option in self.form.options:
            box = QCheckBox(self._label(option), settings_group)
            box.setObjectName(f"option_{option.name}")
            box.setChecked(bool(option.value))
            self.option_boxes[option.name] = box
            settings_layout.addRow(box)

        secrets_group = QGroupBox(self.tr("اطلاعات ورود (در کلیدساز سیستم)"), self)
        secrets_layout = QFormLayout(secrets_group)
        self.keyring_ok = secrets_available()
        if not self.keyring_ok:
            secrets_layout.addRow(QLabel(
                self.tr("کلیدساز امنی در دسترس نیست؛ رمزها ذخیره نمی‌شوند. gnome-keyring یا kwallet را نصب کنید."),
                secrets_group))
        for secret in self.form.secrets:
            line = QLineEdit(secrets_group)
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setObjectName(f"secret_{secret.name}")
            line.setPlaceholderText(self.tr("ذخیره شده؛ برای تغییر بنویسید") if secret.stored
                                    else self.tr("لازم") if secret.required else self.tr("اختیاری"))
            line.setEnabled(self.keyring_ok)
            self.secret_editors[secret.name] = line
            secrets_layout.addRow(self._label(secret), line)

        self.test_button = QPushButton(self.tr("آزمایش اتصال"), self)
        self.test_button.clicked.connect(self.test_connection)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("providerSettingsMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        groups = QWidget(self)
        groups_column = QVBoxLayout(groups)
        groups_column.setContentsMargins(0, 0, 0, 0)
        groups_column.addWidget(settings_group)
        groups_column.addWidget(secrets_group)
        layout = QVBoxLayout(self)
        layout.addWidget(ScrollingForm(groups), 1)
        layout.addWidget(self.test_button)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    # -- values ----------------------------------------------------------------------------------

    def _label(self, spec: SettingField | SecretField) -> str:
        return spec.label_fa if self.language == "fa" else spec.label_en

    def values(self) -> dict[str, Any]:
        """The non-secret values as typed; ValueError names a field that cannot be read."""
        values: dict[str, Any] = {}
        for spec in self.form.fields:
            values[spec.name] = _value_of(spec, self.editors[spec.name], self._label(spec))
        return values

    def typed_secrets(self) -> dict[str, str]:
        return {name: line.text().strip() for name, line in self.secret_editors.items()
                if line.text().strip()}

    # -- actions ---------------------------------------------------------------------------------

    def save(self) -> None:
        missing = [s for s in self.form.secrets
                   if s.required and not s.stored and not self.secret_editors[s.name].text().strip()]
        if self.enabled_box.isChecked() and missing and self.keyring_ok:
            separator = "، " if self.language == "fa" else ", "
            names = separator.join(self._label(s) for s in missing)
            self._say(self.tr("برای فعال‌کردن، این موارد لازم است: %1").replace("%1", names), error=True)
            return
        try:
            save_provider_form(self.store, self.name, self.values(), self.typed_secrets(),
                               enabled=self.enabled_box.isChecked(),
                               scope=str(self.scope_box.currentData()),
                               options={name: box.isChecked() for name, box in self.option_boxes.items()})
        except DomainError as exc:
            self._say(exc.message(self.language), error=True)
            return
        except ValueError as exc:
            self._say(self.tr("مقدار نادرست است؛ چیزی ذخیره نشد: %1").replace("%1", str(exc)), error=True)
            return
        for line in self.secret_editors.values():
            line.clear()
        self.saved = True
        self.accept()

    def test_connection(self) -> None:
        try:
            values = self.values()
        except ValueError as exc:
            self._say(self.tr("مقدار نادرست است: %1").replace("%1", str(exc)), error=True)
            return
        store, name, typed = self.store, self.name, self.typed_secrets()
        self.test_button.setEnabled(False)
        self._say(self.tr("در حال آزمایش…"))
        self.tasks.run(lambda _context: check_connection(store, name, values, typed),
                       on_done=self._show_checks, on_error=self._check_failed)

    def _show_checks(self, checks: list[ConnectionCheck]) -> None:
        self.test_button.setEnabled(True)
        lines = [f"{'✔' if c.ok else '✘'} {c.message_fa if self.language == 'fa' else c.message_en}"
                 for c in checks]
        self._say("\n".join(lines), error=not all(c.ok for c in checks))

    def _check_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._say(self.tr("آزمایش ممکن نشد: %1").replace("%1", error_text(error, self.language)),
                  error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)


def _editor_for(spec: SettingField, parent: QWidget) -> QWidget:
    if spec.kind == "bool":
        box = QCheckBox(parent)
        box.setChecked(bool(spec.value))
        return box
    if spec.choices:
        combo = QComboBox(parent)
        for choice in spec.choices:
            combo.addItem(choice, choice)
        index = combo.findData(str(spec.value))
        combo.setCurrentIndex(max(0, index))
        return combo
    if spec.kind == "int":
        spin = QSpinBox(parent)
        spin.setRange(0, 1_000_000)
        spin.setValue(int(spec.value))
        return spin
    if spec.kind == "float":
        double = QDoubleSpinBox(parent)
        double.setRange(0.0, 3600.0)
        double.setDecimals(1)
        double.setValue(float(spec.value))
        return double
    line = QLineEdit(str(spec.value), parent)
    return line


def _value_of(spec: SettingField, editor: QWidget, label: str) -> Any:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QDoubleSpinBox):
        return editor.value()
    assert isinstance(editor, QLineEdit)
    text = editor.text().strip()
    if spec.kind == "Decimal":
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(QCoreApplication.translate("ProviderSettingsDialog", "%1: «%2» عدد نیست")
                             .replace("%1", label).replace("%2", text)) from None
    return text


def edit_provider_settings(name: str, store: SettingsStore, tasks: TaskManager,
                           parent: QWidget | None = None) -> bool:
    """Show the dialog modally; True when the cashier saved."""
    dialog = ProviderSettingsDialog(name, store, tasks, parent)
    dialog.exec()
    return dialog.saved
