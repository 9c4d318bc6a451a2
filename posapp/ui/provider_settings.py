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
    SettingField,
    check_connection,
    provider_form,
    save_provider_form,
    secrets_available,
)
from posapp.settings.store import SettingsStore
from posapp.ui.tasks import TaskManager

SCOPE_LABELS = {
    "all": "همه فاکتورها / every invoice",
    "named-customer": "فقط با مشتری معین / only with a named customer",
    "payment-link": "فقط پرداخت با لینک / only paid by link",
}


class ProviderSettingsDialog(QDialog):
    """See the module docstring. `saved` is True after a successful save."""

    def __init__(self, name: str, store: SettingsStore, tasks: TaskManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.store = store
        self.tasks = tasks
        self.saved = False
        self.form: ProviderForm = provider_form(store, name)
        self.setWindowTitle(f"تنظیمات {self.form.title_fa} / {self.form.title_en} settings")
        self.editors: dict[str, QWidget] = {}
        self.secret_editors: dict[str, QLineEdit] = {}

        self.enabled_box = QCheckBox("ارسال فاکتورها به این سامانه / send invoices to this provider", self)
        self.enabled_box.setChecked(self.form.enabled)
        self.scope_box = QComboBox(self)
        for scope in self.form.scopes:
            self.scope_box.addItem(SCOPE_LABELS.get(scope, scope), scope)
        self.scope_box.setCurrentIndex(max(0, self.form.scopes.index(self.form.scope)))

        settings_group = QGroupBox("تنظیمات / settings", self)
        settings_layout = QFormLayout(settings_group)
        settings_layout.addRow(self.enabled_box)
        settings_layout.addRow("کدام فاکتورها / which invoices", self.scope_box)
        for spec in self.form.fields:
            editor = _editor_for(spec, settings_group)
            editor.setObjectName(f"setting_{spec.name}")
            self.editors[spec.name] = editor
            settings_layout.addRow(f"{spec.label_fa} / {spec.label_en}", editor)

        secrets_group = QGroupBox("اطلاعات ورود (در کلیدساز سیستم) / credentials (OS keyring)", self)
        secrets_layout = QFormLayout(secrets_group)
        self.keyring_ok = secrets_available()
        if not self.keyring_ok:
            secrets_layout.addRow(QLabel(
                "کلیدساز امنی در دسترس نیست؛ رمزها ذخیره نمی‌شوند. gnome-keyring یا kwallet را نصب کنید.\n"
                "No secure keyring is available; secrets cannot be stored. Install gnome-keyring or kwallet.",
                secrets_group))
        for secret in self.form.secrets:
            line = QLineEdit(secrets_group)
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setObjectName(f"secret_{secret.name}")
            line.setPlaceholderText("ذخیره شده؛ برای تغییر بنویسید / stored; type to replace"
                                    if secret.stored else
                                    ("لازم / required" if secret.required else "اختیاری / optional"))
            line.setEnabled(self.keyring_ok)
            self.secret_editors[secret.name] = line
            secrets_layout.addRow(f"{secret.label_fa} / {secret.label_en}", line)

        self.test_button = QPushButton("آزمایش اتصال / Test connection", self)
        self.test_button.clicked.connect(self.test_connection)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("providerSettingsMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(settings_group)
        layout.addWidget(secrets_group)
        layout.addWidget(self.test_button)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    # -- values ----------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The non-secret values as typed; ValueError names a field that cannot be read."""
        values: dict[str, Any] = {}
        for spec in self.form.fields:
            values[spec.name] = _value_of(spec, self.editors[spec.name])
        return values

    def typed_secrets(self) -> dict[str, str]:
        return {name: line.text().strip() for name, line in self.secret_editors.items()
                if line.text().strip()}

    # -- actions ---------------------------------------------------------------------------------

    def save(self) -> None:
        missing = [s for s in self.form.secrets
                   if s.required and not s.stored and not self.secret_editors[s.name].text().strip()]
        if self.enabled_box.isChecked() and missing and self.keyring_ok:
            names = "، ".join(s.label_fa for s in missing)
            self._say(f"برای فعال‌کردن، این موارد لازم است: {names}\n"
                      f"To enable it, enter: {', '.join(s.label_en for s in missing)}", error=True)
            return
        try:
            save_provider_form(self.store, self.name, self.values(), self.typed_secrets(),
                               enabled=self.enabled_box.isChecked(),
                               scope=str(self.scope_box.currentData()))
        except DomainError as exc:
            self._say(f"{exc.message_fa}\n{exc.message_en}", error=True)
            return
        except ValueError as exc:
            self._say(f"مقدار نادرست است؛ چیزی ذخیره نشد / a value is not valid; nothing was saved: {exc}",
                      error=True)
            return
        for line in self.secret_editors.values():
            line.clear()
        self.saved = True
        self.accept()

    def test_connection(self) -> None:
        try:
            values = self.values()
        except ValueError as exc:
            self._say(f"مقدار نادرست است / a value is not valid: {exc}", error=True)
            return
        store, name, typed = self.store, self.name, self.typed_secrets()
        self.test_button.setEnabled(False)
        self._say("در حال آزمایش… / testing…")
        self.tasks.run(lambda _context: check_connection(store, name, values, typed),
                       on_done=self._show_checks, on_error=self._check_failed)

    def _show_checks(self, checks: list[ConnectionCheck]) -> None:
        self.test_button.setEnabled(True)
        lines = [f"{'✔' if c.ok else '✘'} {c.message_fa} / {c.message_en}" for c in checks]
        self._say("\n".join(lines), error=not all(c.ok for c in checks))

    def _check_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._say(f"آزمایش ممکن نشد / the test could not run: {error}", error=True)

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


def _value_of(spec: SettingField, editor: QWidget) -> Any:
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
            raise ValueError(f"{spec.label_en}: {text!r} is not a number") from None
    return text


def edit_provider_settings(name: str, store: SettingsStore, tasks: TaskManager,
                           parent: QWidget | None = None) -> bool:
    """Show the dialog modally; True when the cashier saved."""
    dialog = ProviderSettingsDialog(name, store, tasks, parent)
    dialog.exec()
    return dialog.saved
