"""The shop-day dialogs: the sign-in screen with its keypad, manager approval, shift open and
close with the drawer counted by notes, paid-in/paid-out, the report dialog, the first owner,
and the owner's users-and-roles page. `posapp.ui.shop_day.ShopDay` decides when each appears.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.access import OWNER_ROLE, PERMISSION_LABELS, Actor, Permission
from posapp.domain.cash import parse_denominations
from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.shift_report import ShiftReport, report_lines
from posapp.services.context import AppServices
from posapp.settings.shop_day import CASH_DENOMINATIONS, IDLE_LOCK_MINUTES
from posapp.ui.amount_edit import AmountEdit
from posapp.ui.messages import error_text, show_warning

PIN_PATTERN = r"[0-9۰-۹٠-٩]{0,8}"
"""What a PIN field accepts while typing: up to eight Latin, Persian or Arabic-Indic digits."""


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setValidator(QRegularExpressionValidator(PIN_PATTERN))
    field.setMaxLength(8)
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhHiddenText)
    return field


def _button(text: str, name: str, on_click: Callable[[], object]) -> QPushButton:
    """A push button named `name` (tests and style sheets find it by that) calling `on_click`."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(on_click)
    return button


class SignInScreen(QWidget):
    """Covers the window while the till is locked: pick a user (arrow keys), type the PIN
    (keyboard digits, Persian or Latin, or the on-screen keypad) and press Enter."""

    sig_signed_in = Signal(object)

    def __init__(self, services: AppServices, language: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("signInScreen")
        self.setAutoFillBackground(True)
        self._services = services
        self._language = language
        panel = QFrame(self)
        panel.setObjectName("signInPanel")
        title = QLabel(self.tr("ورود به صندوق"))
        title.setObjectName("signInTitle")
        self.users = QListWidget()
        self.users.setObjectName("signInUsers")
        self.users.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pin = _pin_field()
        self.pin.setObjectName("signInPin")
        self.pin.setPlaceholderText(self.tr("رمز"))
        self.pin.returnPressed.connect(self.submit)
        self.pin.installEventFilter(self)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        keys = QWidget()
        keys.setObjectName("signInKeypad")
        # A numeric keypad reads 7-8-9 from the left in every language, as on a phone or a
        # card terminal; it is the one block that keeps left-to-right in a Persian window.
        keys.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        keypad = QGridLayout(keys)
        for index, key in enumerate(("7", "8", "9", "4", "5", "6", "1", "2", "3", "⌫", "0", "✓")):
            button = QPushButton(key if key in "⌫✓" else self._digit(key))
            button.setObjectName(f"keypad_{key}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(56, 48)
            button.clicked.connect(lambda _checked=False, k=key: self._on_key(k))
            keypad.addWidget(button, index // 3, index % 3)
        column = QVBoxLayout(panel)
        column.addWidget(title)
        column.addWidget(self.users)
        column.addWidget(self.pin)
        column.addWidget(keys)
        column.addWidget(self.error)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignCenter)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def _digit(self, key: str) -> str:
        from posapp.domain.text import to_persian_digits

        return to_persian_digits(key) if self._language == "fa" else key

    def show_for(self, preferred: str = "") -> None:
        """Show over the parent with the active users listed (`preferred` selected)."""
        self.users.clear()
        for user in self._services.access.users(include_disabled=False):
            item = QListWidgetItem(user.name)
            item.setData(Qt.ItemDataRole.UserRole, user.name)
            self.users.addItem(item)
        names = [self.users.item(i).text() for i in range(self.users.count())]
        self.users.setCurrentRow(names.index(preferred) if preferred in names else 0)
        self.pin.clear()
        self.error.clear()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.pin.setFocus()

    def selected_name(self) -> str:
        item = self.users.currentItem()
        return item.text() if item is not None else ""

    def _on_key(self, key: str) -> None:
        if key == "⌫":
            self.pin.backspace()
        elif key == "✓":
            self.submit()
        else:
            self.pin.insert(key)
        self.pin.setFocus()

    def submit(self) -> None:
        try:
            user = self._services.access.sign_in(self.selected_name(), self.pin.text())
        except DomainError as error:
            self.pin.clear()
            self.error.setText(error.message(self._language))
            return
        self.pin.clear()
        self.error.clear()
        self.hide()
        self.sig_signed_in.emit(user)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        if watched is self.pin and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None and self.users.count():
                self.users.setCurrentRow((self.users.currentRow() + step) % self.users.count())
                return True
        return super().eventFilter(watched, event)


class ApprovalDialog(QDialog):
    """A manager approves one action for the signed-in user by typing their own PIN; the
    approval is journaled with both names. `approved` is the actor carrying the approver."""

    def __init__(self, services: AppServices, actor: Actor, permission: Permission, language: str,
                 detail: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalDialog")
        self.setWindowTitle(self.tr("تأیید مدیر"))
        self._services = services
        self._actor = actor
        self._permission = permission
        self._detail = detail
        self._language = language
        self.approved: Actor | None = None
        label_fa, label_en = PERMISSION_LABELS[permission]
        text = QLabel(self.tr("«%1» اجازه «%2» را ندارد. مدیر رمز خود را وارد کند.")
                      .replace("%1", actor.name).replace("%2", label_fa if language == "fa" else label_en))
        text.setWordWrap(True)
        self.manager = QComboBox()
        self.manager.setObjectName("approvalManager")
        for user in services.access.users(include_disabled=False):
            if user.allows(permission) and user.id != actor.user_id:
                self.manager.addItem(user.name)
        self.pin = _pin_field()
        self.pin.setObjectName("approvalPin")
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(text)
        column.addWidget(self.manager)
        column.addWidget(self.pin)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.pin.setFocus()

    def accept(self) -> None:
        try:
            self.approved = self._services.access.approve(
                self._actor, self._permission, self.manager.currentText(), self.pin.text(), self._detail)
        except DomainError as error:
            self.pin.clear()
            self.error.setText(error.message(self._language))
            return
        super().accept()


class _AmountDialog(QDialog):
    """A dialog whose fields show a refusal under them and change nothing."""

    def __init__(self, services: AppServices, display: Any, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._services = services
        self._display = display
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _amount(self, field: QLineEdit, name: str) -> Decimal:
        return self._display.parse_amount(field.text() or "0", field=name)  # type: ignore[no-any-return]

    def _fail(self, error: DomainError) -> None:
        self.error.setText(error.message(self._display.language))


class OpenShiftDialog(_AmountDialog):
    def __init__(self, services: AppServices, display: Any, parent: QWidget | None = None) -> None:
        super().__init__(services, display, parent)
        self.setObjectName("openShiftDialog")
        self.setWindowTitle(self.tr("باز کردن شیفت"))
        self.opening_float = AmountEdit(display)
        self.opening_float.set_amount(Decimal(0))
        self.opening_float.setObjectName("openingFloat")
        self.opening_float.selectAll()
        self.shift: Any = None
        column = QVBoxLayout(self)
        column.addWidget(QLabel(self.tr("موجودی نقد کشو (%1):").replace("%1", display.unit_label)))
        column.addWidget(self.opening_float)
        column.addWidget(self.error)
        column.addWidget(self.buttons)

    def accept(self) -> None:
        try:
            self.shift = self._services.shifts.open(self._amount(self.opening_float, "opening_float"))
        except DomainError as error:
            self._fail(error)
            return
        super().accept()


class CloseShiftDialog(_AmountDialog):
    """The close: count the drawer note by note (the total adds itself up) or type the counted
    amount; the expected cash is shown only on the Z report, after the count."""

    def __init__(self, services: AppServices, display: Any, denominations: tuple[Decimal, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(services, display, parent)
        self.setObjectName("closeShiftDialog")
        self.setWindowTitle(self.tr("بستن شیفت و شمارش صندوق"))
        self.report: ShiftReport | None = None
        self.notes = QTableWidget(len(denominations), 3)
        self.notes.setObjectName("noteCounts")
        self.notes.setHorizontalHeaderLabels([self.tr("اسکناس"), self.tr("تعداد"), self.tr("جمع")])
        self.notes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.notes.verticalHeader().hide()
        self.notes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts: dict[Decimal, QSpinBox] = {}
        for row, note in enumerate(denominations):
            self.notes.setItem(row, 0, QTableWidgetItem(display.amount(note)))
            spin = QSpinBox()
            spin.setObjectName(f"count_{int(note)}")
            spin.setRange(0, 100_000)
            spin.valueChanged.connect(self._recount)
            self.counts[note] = spin
            self.notes.setCellWidget(row, 1, spin)
            self.notes.setItem(row, 2, QTableWidgetItem(display.amount(0)))
        self.counted = AmountEdit(display)
        self.counted.setObjectName("countedCash")
        self.counted.setPlaceholderText(self.tr("یا مبلغ شمرده‌شده را بنویسید"))
        self.total = QLabel()
        self.total.setObjectName("countedTotal")
        column = QVBoxLayout(self)
        column.addWidget(QLabel(self.tr("نقد کشو را به تفکیک اسکناس بشمارید:")))
        column.addWidget(self.notes)
        column.addWidget(self.total)
        column.addWidget(self.counted)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self.resize(460, 520)
        self._recount()

    def note_counts(self) -> dict[Decimal, int]:
        return {note: spin.value() for note, spin in self.counts.items() if spin.value()}

    def _recount(self) -> None:
        total = Decimal(0)
        for row, (note, spin) in enumerate(self.counts.items()):
            total += note * spin.value()
            self.notes.item(row, 2).setText(self._display.amount(note * spin.value()))
        self.total.setText(self.tr("جمع شمرده‌شده: %1").replace("%1", self._display.amount(total, with_unit=True)))

    def accept(self) -> None:
        notes = self.note_counts()
        try:
            counted = self._amount(self.counted, "counted") if self.counted.text().strip() else None
            if not notes and counted is None:
                raise ValidationError("counted", "نقد شمرده‌شده را وارد کنید", "enter the counted cash")
            self.report = self._services.shifts.close(counted, notes=notes or None)
        except DomainError as error:
            self._fail(error)
            return
        super().accept()


class CashMoveDialog(_AmountDialog):
    """Paid-in or paid-out cash during the shift, with its reason."""

    def __init__(self, services: AppServices, display: Any, parent: QWidget | None = None) -> None:
        super().__init__(services, display, parent)
        self.setObjectName("cashMoveDialog")
        self.setWindowTitle(self.tr("ورود و خروج وجه نقد"))
        self.paid_in = QRadioButton(self.tr("ورود وجه"))
        self.paid_out = QRadioButton(self.tr("خروج وجه"))
        self.paid_out.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.paid_in)
        group.addButton(self.paid_out)
        self.amount = AmountEdit(display)
        self.amount.setObjectName("cashAmount")
        self.reason = QLineEdit()
        self.reason.setObjectName("cashReason")
        self.reason.setPlaceholderText(self.tr("دلیل"))
        row = QHBoxLayout()
        row.addWidget(self.paid_out)
        row.addWidget(self.paid_in)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(self.amount)
        column.addWidget(self.reason)
        column.addWidget(self.error)
        column.addWidget(self.buttons)

    def accept(self) -> None:
        try:
            self._services.shifts.move_cash("in" if self.paid_in.isChecked() else "out",
                                            self._amount(self.amount, "amount"), self.reason.text())
        except DomainError as error:
            self._fail(error)
            return
        super().accept()


class ReportDialog(QDialog):
    """An X, Z or day report on screen, with its receipt (58/80 mm) and A4 forms one key away."""

    def __init__(self, report: ShiftReport, display: Any, settings: Any, shop_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.report = report
        self._settings = settings
        self._shop_name = shop_name
        self._language = display.language
        lines = report_lines(report, display.language)
        self.setWindowTitle(lines[0].label)
        self.table = QTableWidget(len(lines), 2)
        self.table.setObjectName("reportLines")
        self.table.horizontalHeader().hide()
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, line in enumerate(lines):
            label = QTableWidgetItem(line.label)
            value = QTableWidgetItem(line.value or "")
            if line.value is None or line.strong:
                font = label.font()
                font.setBold(True)
                label.setFont(font)
                value.setFont(font)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, value)
        receipt = _button(self.tr("چاپ فیش"), "printReportReceipt", self.print_receipt)
        a4 = _button(self.tr("پیش‌نمایش A4"), "previewReportA4", self.preview_a4)
        close = QPushButton(self.tr("بستن"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (receipt, a4, close):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.table)
        column.addLayout(buttons)
        self.resize(520, 640)

    def pdf(self, paper: str) -> bytes:
        from posapp.services.shifts import report_pdf

        return report_pdf(self.report, paper, self._shop_name)

    def receipt_paper(self) -> str:
        from posapp.settings.documents import RECEIPT_WIDTH_MM

        return "58" if int(self._settings.get(RECEIPT_WIDTH_MM)) == 58 else "80"

    def print_receipt(self) -> None:
        from posapp.ui.printing import print_on_receipt_printer

        try:
            print_on_receipt_printer(self.pdf(self.receipt_paper()), self._settings, self)
        except DomainError as error:
            show_warning(self, self.tr("خطا"), error_text(error, self._language))

    def preview_a4(self) -> Any:
        from posapp.ui.printing import PrintPreviewDialog

        dialog = PrintPreviewDialog(self.pdf("A4"), self, suggested_name="report.pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


class FirstOwnerDialog(QDialog):
    """The first start of a database without users: the owner's name and PIN, or later."""

    def __init__(self, services: AppServices, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstOwnerDialog")
        self.setWindowTitle(self.tr("مالک فروشگاه"))
        self._services = services
        self._language = language
        self.owner: Any = None
        intro = QLabel(self.tr("برای ورود با رمز، نقش‌ها، شیفت و گزارش Z، نخست مالک فروشگاه را بسازید."))
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("ownerName")
        self.name.setPlaceholderText(self.tr("نام"))
        self.pin = _pin_field()
        self.pin.setObjectName("ownerPin")
        self.pin.setPlaceholderText(self.tr("رمز ۴ تا ۸ رقمی"))
        self.again = _pin_field()
        self.again.setObjectName("ownerPinAgain")
        self.again.setPlaceholderText(self.tr("تکرار رمز"))
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("ساختن"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("بعداً"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        for widget in (intro, self.name, self.pin, self.again, self.error, buttons):
            column.addWidget(widget)

    def accept(self) -> None:
        if self.pin.text() != self.again.text():
            self.error.setText(self.tr("دو رمز یکی نیستند"))
            return
        try:
            self.owner = self._services.access.add_user(self.name.text(), OWNER_ROLE, self.pin.text())
        except DomainError as error:
            self.error.setText(error.message(self._language))
            return
        super().accept()


class UsersDialog(QDialog):
    """The owner's page: users (add, disable, new PIN), what each role may do, and when the
    till locks itself and which notes the close counts. Its writes announce `users`; the
    window's `on_changes` then calls `refresh` (through `ShopDay.refresh_users`)."""

    def __init__(self, services: AppServices, settings: Any, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle(self.tr("کاربران و نقش‌ها"))
        self._services = services
        self._settings = settings
        self._language = language
        tabs = QTabWidget()
        tabs.addTab(self._users_tab(), self.tr("کاربران"))
        tabs.addTab(self._roles_tab(), self.tr("نقش‌ها"))
        tabs.addTab(self._settings_tab(), self.tr("قفل و اسکناس‌ها"))
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(tabs)
        column.addWidget(self.error)
        column.addWidget(close)
        self.resize(720, 520)
        self.refresh()

    # -- users -----------------------------------------------------------------------------

    def _users_tab(self) -> QWidget:
        page = QWidget()
        self.user_list = QListWidget()
        self.user_list.setObjectName("userList")
        self.new_name = QLineEdit()
        self.new_name.setObjectName("newUserName")
        self.new_name.setPlaceholderText(self.tr("نام"))
        self.new_role = QComboBox()
        self.new_role.setObjectName("newUserRole")
        self.new_pin = _pin_field()
        self.new_pin.setObjectName("newUserPin")
        self.new_pin.setPlaceholderText(self.tr("رمز"))
        add = _button(self.tr("افزودن"), "addUser", self.add_user)
        toggle = _button(self.tr("فعال / غیرفعال"), "toggleUser", self.toggle_user)
        reset = _button(self.tr("رمز تازه"), "resetPin", self.reset_pin)
        form = QHBoxLayout()
        for widget in (self.new_name, self.new_role, self.new_pin, add):
            form.addWidget(widget)
        actions = QHBoxLayout()
        actions.addWidget(toggle)
        actions.addWidget(reset)
        column = QVBoxLayout(page)
        column.addWidget(self.user_list)
        column.addLayout(actions)
        column.addLayout(form)
        return page

    def _roles_tab(self) -> QWidget:
        page = QWidget()
        permissions = list(Permission)
        self.roles_table = QTableWidget(len(permissions) + 1, 0)
        self.roles_table.setObjectName("rolesTable")
        labels = [PERMISSION_LABELS[p][0 if self._language == "fa" else 1] for p in permissions]
        self.roles_table.setVerticalHeaderLabels([*labels, self.tr("سقف تخفیف (٪)")])
        save = _button(self.tr("ذخیره نقش‌ها"), "saveRoles", self.save_roles)
        column = QVBoxLayout(page)
        column.addWidget(self.roles_table)
        column.addWidget(save)
        return page

    def _settings_tab(self) -> QWidget:
        page = QWidget()
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setObjectName("idleMinutes")
        self.idle_minutes.setRange(0, 240)
        self.idle_minutes.setValue(int(self._settings.get(IDLE_LOCK_MINUTES)))
        self.denominations = QLineEdit(self._settings.get(CASH_DENOMINATIONS))
        self.denominations.setObjectName("denominations")
        save = _button(self.tr("ذخیره"), "saveShopDaySettings", self.save_settings)
        column = QVBoxLayout(page)
        column.addWidget(QLabel(self.tr("قفل خودکار پس از چند دقیقه بی‌کاری (۰: هرگز):")))
        column.addWidget(self.idle_minutes)
        column.addWidget(QLabel(self.tr("اسکناس‌های شمارش (ریال، با ویرگول جدا):")))
        column.addWidget(self.denominations)
        column.addWidget(save)
        column.addStretch(1)
        return page

    def refresh(self) -> None:
        self.user_list.clear()
        for user in self._services.access.users():
            state = "" if user.active else " — " + self.tr("غیرفعال")
            item = QListWidgetItem(f"{user.name} ({user.role.label}){state}")
            item.setData(Qt.ItemDataRole.UserRole, user.name)
            self.user_list.addItem(item)
        roles = self._services.access.roles()
        self.new_role.clear()
        for role in roles:
            self.new_role.addItem(role.label, role.name)
        self.new_role.setCurrentIndex(max(self.new_role.findData("cashier"), 0))
        editable = [role for role in roles if role.name != OWNER_ROLE]
        self.roles_table.setColumnCount(len(editable))
        self.roles_table.setHorizontalHeaderLabels([role.label for role in editable])
        self._role_names = [role.name for role in editable]
        for col, role in enumerate(editable):
            for row, permission in enumerate(Permission):
                box = QCheckBox()
                box.setChecked(role.allows(permission))
                box.setObjectName(f"perm_{role.name}_{permission.value}")
                self.roles_table.setCellWidget(row, col, box)
            limit = QSpinBox()
            limit.setRange(0, 100)
            limit.setValue(int(role.max_discount_percent))
            limit.setObjectName(f"limit_{role.name}")
            self.roles_table.setCellWidget(len(Permission), col, limit)

    def _selected(self) -> str:
        item = self.user_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def _do(self, job: Callable[[], object]) -> bool:
        try:
            job()
        except DomainError as error:
            self.error.setText(error.message(self._language))
            return False
        self.error.clear()
        return True

    def add_user(self) -> None:
        if self._do(lambda: self._services.access.add_user(
                self.new_name.text(), str(self.new_role.currentData()), self.new_pin.text(),
                self._services.till_session.actor)):
            self.new_name.clear()
            self.new_pin.clear()

    def toggle_user(self) -> None:
        name = self._selected()
        if name:
            active = self._services.access.user(name).active
            self._do(lambda: self._services.access.set_active(name, not active, self._services.till_session.actor))

    def reset_pin(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name = self._selected()
        if not name:
            return
        pin, ok = QInputDialog.getText(self, self.tr("رمز تازه"), self.tr("رمز تازه «%1»:").replace("%1", name),
                                       QLineEdit.EchoMode.Password)
        if ok:
            self._do(lambda: self._services.access.reset_pin(name, pin, self._services.till_session.actor))

    def save_roles(self) -> None:
        # every role as ticked, read before the first save: each save is announced and the
        # window's refresh rebuilds the table from what is stored
        edited = []
        for col, name in enumerate(self._role_names):
            label = self.roles_table.horizontalHeaderItem(col).text()
            allowed = {p for row, p in enumerate(Permission)
                       if self.roles_table.cellWidget(row, col).isChecked()}  # type: ignore[attr-defined]
            limit = self.roles_table.cellWidget(len(Permission), col).value()  # type: ignore[attr-defined]
            edited.append((name, label, allowed, Decimal(limit)))

        def save() -> None:
            for name, label, allowed, limit in edited:
                self._services.access.set_role(name, label, allowed, limit, self._services.till_session.actor)

        self._do(save)

    def save_settings(self) -> None:
        try:
            parse_denominations(self.denominations.text())
        except DomainError as error:
            self.error.setText(error.message(self._language))
            return
        self._settings.set(IDLE_LOCK_MINUTES, self.idle_minutes.value())
        self._settings.set(CASH_DENOMINATIONS, self.denominations.text())
        self.error.clear()
