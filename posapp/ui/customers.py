"""Customers: the dock pane (search as you type, create, edit, balance, invoices), the customer
form with Iranian fields validated as the domain does, and the picker the invoice editor uses.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.invoice import PartyKind
from posapp.services.context import AppServices
from posapp.services.customers import CustomerInput, CustomerView
from posapp.ui.display import Display
from posapp.ui.forms import FieldForm, ScrollingForm
from posapp.ui.live_search import LiveSearch
from posapp.ui.paged_model import ALIGN_CENTER, Column
from posapp.ui.search_pane import SearchPane
from posapp.ui.tasks import TaskManager

RECENT_INVOICES = 50
PICKER_RESULTS = 20


def _kind_label(kind: PartyKind) -> str:
    from PySide6.QtCore import QCoreApplication

    if kind is PartyKind.LEGAL:
        return QCoreApplication.translate("Customers", "حقوقی")
    return QCoreApplication.translate("Customers", "حقیقی")


class CustomerDialog(QDialog):
    """Create (customer=None) or edit a customer. After acceptance `saved` holds the stored
    CustomerView. Each field's error appears next to it; nothing typed is lost."""

    def __init__(self, services: AppServices, display: Display, customer: CustomerView | None = None,
                 parent: QWidget | None = None, *, name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("customerDialog")
        self.setWindowTitle(self.tr("ویرایش مشتری") if customer else self.tr("مشتری جدید"))
        self._services = services
        self._customer = customer
        self.saved: CustomerView | None = None
        self.form = FieldForm(display.language, columns=2)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("حقیقی (شخص)"), PartyKind.NATURAL)
        self.kind.addItem(self.tr("حقوقی (شرکت)"), PartyKind.LEGAL)
        self.form.add("kind", self.tr("نوع:"), self.kind)
        self.edits: dict[str, QLineEdit] = {}
        fields = (  # who the buyer is on the right (first in reading order), how to reach them beside it
            ("name", self.tr("نام:"), 0),
            ("national_id", self.tr("کد ملی / شناسه ملی:"), 0),
            ("economic_code", self.tr("کد اقتصادی:"), 0),
            ("registration_number", self.tr("شماره ثبت:"), 0),
            ("mobile", self.tr("تلفن همراه:"), 1),
            ("phone", self.tr("تلفن:"), 1),
            ("postal_code", self.tr("کد پستی:"), 1),
        )
        for field, label, column in fields:
            self._add_edit(field, label, column=column)
        self._add_edit("address", self.tr("نشانی:"), wide=True)
        self.form.finish()
        if customer is not None:
            self.kind.setCurrentIndex(1 if customer.kind is PartyKind.LEGAL else 0)
            for field, edit in self.edits.items():
                edit.setText(str(getattr(customer, field)))
        else:
            self.edits["name"].setText(name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(ScrollingForm(self.form))
        layout.addWidget(buttons)
        self.edits["name"].setFocus()

    def _add_edit(self, field: str, label: str, *, column: int = 0, wide: bool = False) -> None:
        edit = QLineEdit()
        self.form.add(field, label, edit, column=column, wide=wide)
        edit.editingFinished.connect(lambda: self._check_field(field))
        edit.textEdited.connect(lambda _text: self.form.clear_error(field))
        self.edits[field] = edit

    def customer_input(self) -> CustomerInput:
        values = {field: edit.text() for field, edit in self.edits.items()}
        return CustomerInput(kind=self.kind.currentData(), **values)

    def _check_field(self, field: str) -> None:
        """Validate as the user leaves a field, showing only that field's problem."""
        try:
            self.customer_input().validated()
        except DomainError as error:
            if getattr(error, "field", "") == field:
                self.form.show_error(error)

    def accept(self) -> None:
        self.form.clear_errors()
        try:
            data = self.customer_input()
            if self._customer is None:
                self.saved = self._services.customers.create(data)
            else:
                self.saved = self._services.customers.update(self._customer.id, data)
        except DomainError as error:
            self.form.show_error(error)
            return
        super().accept()


class CustomersPane(SearchPane[CustomerView]):
    """Search (name, mobile, national ID), list, create, edit; the selected customer's balance
    and latest invoices. `sig_use_customer` sells to the selected customer."""

    sig_use_customer = Signal(object)
    sig_open_invoice = Signal(str)
    sig_message = Signal(str)

    def __init__(self, services: AppServices, tasks: TaskManager, display: Display,
                 parent: QWidget | None = None) -> None:
        self._services = services
        self._display = display
        super().__init__(services.customers, names=("customersPane", "customerSearch", "customersTable"),
                         stretch_column=0, table_stretch=3, parent=parent)
        self.table.doubleClicked.connect(lambda _index: self.edit_customer())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.refresh_details())

        new_button = QPushButton(self.tr("جدید"))
        new_button.clicked.connect(self.new_customer)
        edit_button = QPushButton(self.tr("ویرایش"))
        edit_button.clicked.connect(self.edit_customer)
        use_button = QPushButton(self.tr("فروش به این مشتری"))
        use_button.setObjectName("useCustomerButton")
        use_button.clicked.connect(self._use_selected)
        buttons = QHBoxLayout()
        for button in (new_button, edit_button, use_button):
            buttons.addWidget(button)

        self.balance_label = QLabel()
        self.balance_label.setObjectName("balanceLabel")
        self.invoices = QListWidget()
        self.invoices.setObjectName("customerInvoices")
        self.invoices.itemActivated.connect(
            lambda item: self.sig_open_invoice.emit(item.data(Qt.ItemDataRole.UserRole)))

        self.list_layout.addLayout(buttons)
        self.list_layout.addWidget(self.balance_label)
        self.list_layout.addWidget(self.invoices, 1)

    def _columns(self) -> list[Column[CustomerView]]:
        display = self._display
        return [
            Column(self.tr("نام"), lambda c: c.name),
            Column(self.tr("تلفن همراه"), lambda c: display.number(c.mobile), ALIGN_CENTER, 12),
            Column(self.tr("کد ملی"), lambda c: display.number(c.national_id), ALIGN_CENTER),
            Column(self.tr("نوع"), lambda c: _kind_label(c.kind), ALIGN_CENTER, 6),
        ]

    def _placeholder(self) -> str:
        return self.tr("جستجو: نام، تلفن همراه یا کد ملی")

    def _on_refreshed(self) -> None:
        self.refresh_details()

    def refresh_details(self) -> None:
        customer = self.selected()
        self.invoices.clear()
        if customer is None:
            self.balance_label.clear()
            return
        display = self._display
        balance = self._services.customers.balance(customer.id)
        self.balance_label.setText(self.tr("مانده حساب %1: %2").replace("%1", display.isolated(customer.name)).replace(
            "%2", display.amount(balance, with_unit=True)))
        for summary in self._services.customers.invoices_of(customer.id, 0, RECENT_INVOICES):
            item = QListWidgetItem(
                f"{display.number(summary.number)}   {display.date(summary.issued_at)}   "
                f"{display.amount(summary.payable, with_unit=True)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.number)
            self.invoices.addItem(item)

    def new_customer(self) -> None:
        dialog = CustomerDialog(self._services, self._display, None, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
                self.sig_message.emit(self.tr("مشتری «%1» ثبت شد").replace("%1", dialog.saved.name))
        finally:
            dialog.deleteLater()

    def edit_customer(self) -> None:
        customer = self.selected()
        if customer is None:
            return
        dialog = CustomerDialog(self._services, self._display, customer, self)
        try:
            dialog.exec()  # a save announces CUSTOMERS; the window's on_changes refreshes the pane
        finally:
            dialog.deleteLater()

    def _use_selected(self) -> None:
        customer = self.selected()
        if customer is not None:
            self.sig_use_customer.emit(customer)


class CustomerPickerDialog(QDialog):
    """Find the buyer by name, mobile or national ID as you type, or create one inline.
    `chosen` holds the CustomerView after acceptance."""

    def __init__(self, services: AppServices, tasks: TaskManager, display: Display,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerPicker")
        self.setWindowTitle(self.tr("انتخاب مشتری"))
        self._services = services
        self._display = display
        self.chosen: CustomerView | None = None
        self.search_field = QLineEdit()
        self.search_field.setObjectName("customerPickerSearch")
        self.search_field.setPlaceholderText(self.tr("نام، تلفن همراه یا کد ملی"))
        self.live = LiveSearch(self.search_field, tasks,
                               lambda text: services.customers.search(text, PICKER_RESULTS),
                               self._describe, min_chars=1)
        self.live.sig_picked.connect(self._choose)
        self.search_field.returnPressed.connect(self._on_return)
        create_button = QPushButton(self.tr("مشتری جدید…"))
        create_button.setObjectName("createCustomerButton")
        create_button.clicked.connect(self.create_customer)
        create_button.setAutoDefault(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("جستجوی مشتری:")))
        layout.addWidget(self.search_field)
        row = QHBoxLayout()
        row.addWidget(create_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.resize(480, 120)

    def _describe(self, customer: CustomerView) -> str:
        parts = [customer.name, self._display.number(customer.mobile),
                 self._display.number(customer.national_id)]
        return "    ".join(part for part in parts if part)

    def _on_return(self) -> None:
        if self.live.has_chosen_row() or (self.live.is_open() and self.live.rows):
            self.live.pick_current()
            return
        exact = self._services.customers.find_exact(self.search_field.text())
        if exact is not None:
            self._choose(exact)

    def _choose(self, customer: CustomerView) -> None:
        self.chosen = customer
        self.accept()

    def create_customer(self) -> None:
        dialog = CustomerDialog(self._services, self._display, None, self,
                                name=self.search_field.text().strip())
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
                self._choose(dialog.saved)
        finally:
            dialog.deleteLater()
