"""The invoice editor at the centre of the main window: scan, search, edit, pay, issue.

A code field keeps the keyboard: a barcode scanner (keyboard wedge) types a code and Enter and
the line appears; the same code again adds to its quantity. Codes typed under the Persian
layout or with Persian digits still match (the catalogue normalises them). Typing a name shows
live matches. Quantity, price and line discount are edited in place with validation; keys for
everything are in posapp.ui.actions. The editor never touches storage: it calls the services
and keeps the draft as an immutable domain `Invoice` inside `InvoiceLinesModel`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice, Party, Payment, PaymentMethod
from posapp.domain.text import to_ascii_digits
from posapp.services.context import AppServices
from posapp.services.scale_labels import scan_scale_label
from posapp.ui.delegates import ValidatingDelegate
from posapp.ui.display import Display
from posapp.ui.fitting_label import FittingLabel
from posapp.ui.invoice_model import (
    COL_CODE,
    COL_DESCRIPTION,
    COL_DISCOUNT,
    COL_PRICE,
    COL_QUANTITY,
    COL_ROW,
    COL_TAX,
    COL_UNIT,
    COLUMN_WIDTHS_IN_DIGITS,
    InvoiceLinesModel,
    parse_discount,
)
from posapp.ui.invoice_view import InvoiceLinesView
from posapp.ui.live_search import LiveSearch
from posapp.ui.paged_model import select_table_row
from posapp.ui.payment import PaymentDialog
from posapp.ui.tasks import TaskManager

log = logging.getLogger(__name__)

PRODUCT_SEARCH_LIMIT = 12
DESCRIPTION_MINIMUM_CHARS = 18
"""The narrowest the lines' description may get before spare columns are hidden to keep it."""
ONE = Decimal(1)


def looks_like_a_name(text: str) -> bool:
    """Live search is for names: a run of digits is a barcode being scanned or typed, and is
    looked up exactly on Enter instead."""
    return not to_ascii_digits(text).strip().isdigit()


class InvoiceEditor(QWidget):
    """Builds one sale at a time. `sig_issued(invoice)` fires after an invoice is stored;
    `sig_message(text)` carries short status messages; `sig_draft_changed(draft)` every edit."""

    sig_issued = Signal(object)
    sig_message = Signal(str)
    sig_pay_by_link = Signal(object)
    """An invoice just issued unpaid, to be paid in full by link (the main window shows the QR)."""
    sig_draft_changed = Signal(object)
    sig_line_added = Signal(int)
    sig_lookup_failed = Signal(str)
    """A scanned or typed code matched no product (the main window sounds the alert)."""

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        display: Display,
        *,
        cashier: str = "",
        allow_price_edit: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("invoiceEditor")
        self._services = services
        self._tasks = tasks
        self._display = display
        self.link_provider: Callable[[], str | None] = lambda: None
        """The provider of "pay by link" at payment, or None when it is off (set with sync)."""
        self._cashier = cashier
        self._customer_name = ""

        self.code_field = QLineEdit()
        self.code_field.setObjectName("codeField")
        self.code_field.setPlaceholderText(self.tr("اسکن کد یا نام کالا"))
        self.code_field.setClearButtonEnabled(True)
        self.code_field.returnPressed.connect(self._on_code_entered)
        self.product_search = LiveSearch(
            self.code_field, tasks, self._search_products, self._describe_product,
            wants=looks_like_a_name,
        )
        self.product_search.sig_picked.connect(self.add_product)

        self.customer_label = QLabel()
        self.customer_label.setObjectName("customerLabel")
        self.customer_button = QPushButton(self.tr("انتخاب مشتری"))
        self.customer_button.setObjectName("customerButton")
        self.customer_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.model = InvoiceLinesModel(
            services.invoicing.new_draft(cashier), display, allow_price_edit=allow_price_edit,
        )
        self.model.sig_draft_changed.connect(self._on_draft_changed)
        self.model.sig_rejected.connect(self.show_error)
        self.table = InvoiceLinesView()
        self.table.setObjectName("invoiceLines")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        digit = self.table.fontMetrics().horizontalAdvance("0")
        for column, digits in enumerate(COLUMN_WIDTHS_IN_DIGITS):
            if digits:
                header.resizeSection(column, max(digits * digit + 16, header.sectionSizeHint(column)))
        # with a side pane open on a narrow screen, these go first so quantity, price and total stay
        self.table.keep_whole((COL_CODE, COL_UNIT, COL_TAX, COL_DISCOUNT, COL_ROW), COL_DESCRIPTION,
                              self.table.fontMetrics().averageCharWidth() * DESCRIPTION_MINIMUM_CHARS)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.delegate = ValidatingDelegate(self._validate_cell, self.table)
        self.delegate.set_language(display.language)
        self.delegate.sig_error.connect(self.show_error)
        self.delegate.closeEditor.connect(lambda *_: self.focus_code())
        for column in (COL_QUANTITY, COL_PRICE, COL_DISCOUNT):
            self.table.setItemDelegateForColumn(column, self.delegate)
        self.table.installEventFilter(self)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self._total_labels: dict[str, QLabel] = {}
        totals = QFrame()
        totals.setObjectName("totalsPanel")
        grid = QGridLayout(totals)
        for column, stretch in enumerate((2, 2, 2, 3)):  # the payable amount gets the most room
            grid.setColumnStretch(column, stretch)
        captions = (
            ("gross", self.tr("جمع")), ("discount", self.tr("تخفیف")),
            ("tax", self.tr("مالیات و عوارض")), ("payable", self.tr("قابل پرداخت")),
        )
        for column, (key, caption) in enumerate(captions):
            caption_label = QLabel(caption)
            caption_label.setObjectName("totalCaption")
            value = FittingLabel()
            value.setObjectName("payableTotal" if key == "payable" else "totalValue")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(caption_label, 0, column)
            grid.addWidget(value, 1, column)
            self._total_labels[key] = value
        self.lines_count_label = QLabel()
        self.lines_count_label.setObjectName("linesCount")
        self.lines_count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 16)

        top = QHBoxLayout()
        top.addWidget(self.code_field, 1)  # the customer's name takes only what it needs
        top.addWidget(self.customer_label)
        top.addWidget(self.customer_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.lines_count_label)
        bottom.addWidget(totals, 1)
        layout.addLayout(bottom)
        self.setFocusProxy(self.code_field)
        self.code_field.installEventFilter(self)  # after the live search's: Esc is seen here first
        self._show_draft(self.model.draft)

    # -- state -------------------------------------------------------------------------------

    @property
    def draft(self) -> Invoice:
        return self.model.draft

    def set_draft(self, draft: Invoice, customer_name: str = "") -> None:
        """Edit `draft` here; it is numbered by this till's series whichever till made it."""
        own = self.model.draft
        self._customer_name = customer_name or (draft.buyer.name if draft.buyer else "")
        self.model.set_draft(draft.with_changes(till=own.till, series=own.series))
        self.focus_code()

    def new_invoice(self) -> None:
        self.product_search.close()
        self.set_draft(self._services.invoicing.new_draft(self._cashier))
        self.clear_error()

    def start_new_sale(self) -> None:
        """Ctrl+N: a new, empty sale. A sale with lines is never dropped: it is held first,
        under its customer's name, and Shift+F9 brings it back."""
        if not self.draft.lines:
            self.new_invoice()
        elif self.hold(self._customer_name or self.tr("فاکتور نگه‌داشته")):
            self.sig_message.emit(self.tr("فاکتور قبلی نگه داشته شد؛ Shift+F9 آن را برمی‌گرداند"))

    def restore_open_sale(self) -> bool:
        """Bring back the sale this till had open when the app last stopped (closed, crashed or
        lost power); True if there was one."""
        draft = self._services.invoicing.open_sale(self.draft.till)
        if draft is None:
            return False
        self.set_draft(draft)  # the customer's name comes from the buyer kept with the sale
        self.sig_message.emit(self.tr("فاکتور باز قبلی بازگردانده شد (%1 ردیف)").replace(
            "%1", self._display.number(len(draft.lines))))
        return True

    def _keep_on_disk(self, draft: Invoice) -> None:
        """Every change of the sale is written at once, so nothing is lost in a crash."""
        try:
            self._services.invoicing.keep_open_sale(draft)
        except DomainError as error:
            self.show_error(error)
        except Exception:
            log.exception("the open sale could not be written to the database")
            self.show_error(self.tr("فاکتور جاری روی دیسک ذخیره نشد؛ آن را نگه دارید (F9) یا صادر کنید"))

    def focus_code(self) -> None:
        """Give the keyboard back to the code field (after a dialog, an edit, a click)."""
        QTimer.singleShot(0, self._focus_code_now)

    def _focus_code_now(self) -> None:
        if self.isVisible() and self.table.state() != QAbstractItemView.State.EditingState:
            self.code_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_draft_changed(self, draft: Invoice) -> None:
        if self._show_draft(draft):
            self.clear_error()  # the draft changed: whatever was refused before is history
            self._keep_on_disk(draft)
            self.sig_draft_changed.emit(draft)

    def _show_draft(self, draft: Invoice) -> bool:
        """Totals, line count and customer of `draft`; False (with the error shown) when its
        totals cannot be computed."""
        try:
            totals = draft.totals
        except DomainError as error:
            self.show_error(error)
            return False
        display = self._display
        self._total_labels["gross"].setText(display.amount(totals.gross))
        self._total_labels["discount"].setText(display.amount(totals.discount))
        self._total_labels["tax"].setText(display.amount(totals.tax))
        self._total_labels["payable"].setText(display.amount(totals.payable, with_unit=True))
        self.lines_count_label.setText(
            self.tr("تعداد ردیف: %1").replace("%1", display.number(len(draft.lines))))
        walk_in = self.tr("مشتری گذری")
        self.customer_label.setText(self._customer_name if draft.customer_id is not None else walk_in)
        return True

    def show_error(self, error: DomainError | str) -> None:
        text = error if isinstance(error, str) else self._display.error(error)
        self.error_label.setText(text)
        self.error_label.show()
        self.sig_message.emit(text)

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    # -- scanning and searching --------------------------------------------------------------

    def _search_products(self, text: str) -> Sequence[Any]:
        return self._services.catalog.search(text, PRODUCT_SEARCH_LIMIT)

    def _describe_product(self, product: Any) -> str:
        """Name, code, price and unit, each run isolated (FSI…PDI) so a Latin code or the
        digits never pull the unit or the name out of place in either direction."""
        fields = (product.name, product.code, self._display.amount(product.price, with_unit=True))
        return "    ".join(f"\u2068{field}\u2069" for field in fields)

    def _on_code_entered(self) -> None:
        if self.product_search.has_chosen_row():
            self.product_search.pick_current()
            return
        text = self.code_field.text().strip()
        if not text:
            return
        product = self._services.catalog.find_by_code(text)
        if product is not None:
            self.add_product(product)
            return
        if self._add_scale_label(text):
            return
        if self.product_search.is_open() and self.product_search.rows:
            self.product_search.pick_current()
            return
        self.product_search.search_now(text)
        self.show_error(self.tr("کالایی با کد «%1» پیدا نشد").replace("%1", text))
        self.code_field.selectAll()  # the next scan replaces the unknown code
        self.sig_lookup_failed.emit(text)

    def _add_scale_label(self, text: str) -> bool:
        """A shop scale's label adds its weighed product; True when `text` was one (added, or
        refused with a message and selected, so scanning it again replaces it)."""
        try:
            scanned = scan_scale_label(self._services.catalog, self._services.settings, text)
        except DomainError as error:
            self.show_error(error)
            self.code_field.selectAll()
            return True
        if scanned is None:
            return False
        self.add_product(scanned.product, scanned.quantity)
        return True

    def scan(self, code: str) -> None:
        """What a barcode scanner does: type `code` and press Enter (used by tests and benches)."""
        self.code_field.setText(code)
        self._on_code_entered()

    def add_product(self, product: Any, quantity: Decimal = ONE) -> None:
        self.product_search.close()
        try:
            line = self._services.invoicing.line_for_product(product, quantity)
            row = self.model.add_line(line)
        except DomainError as error:
            self.show_error(error)
            return
        self.code_field.clear()
        self.clear_error()
        self.select_row(row)
        self.sig_line_added.emit(row)
        self.focus_code()

    # -- editing lines -----------------------------------------------------------------------

    def _validate_cell(self, index: QModelIndex | QPersistentModelIndex, text: str) -> object:
        return self.model.parse_edit(index.row(), index.column(), text)

    def select_row(self, row: int) -> None:
        select_table_row(self.table, row)

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return self.model.rowCount() - 1

    def edit_current(self, column: int) -> None:
        row = self.current_row()
        if row < 0:
            return
        index = self.model.index(row, column)
        if not self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.show_error(self.tr("این مقدار قابل ویرایش نیست"))
            return
        self.table.setFocus()
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def delete_current_line(self) -> None:
        row = self.current_row()
        if row >= 0:
            self.model.remove_line(row)
            if self.model.rowCount():
                self.select_row(min(row, self.model.rowCount() - 1))
        self.focus_code()

    def ask_invoice_discount(self) -> None:
        text, ok = QInputDialog.getText(
            self, self.tr("تخفیف فاکتور"),
            self.tr("مبلغ تخفیف یا درصد (مثلاً ۱۰٪):"),
        )
        if ok:
            self.set_invoice_discount_text(text)
        self.focus_code()

    def set_invoice_discount_text(self, text: str) -> bool:
        try:
            self.model.set_invoice_discount(parse_discount(text, self._display))
        except DomainError as error:
            self.show_error(error)
            return False
        self.clear_error()
        return True

    def set_customer(self, customer: Any | None) -> None:
        """Sell to `customer` (a CustomerView) or, with None, to a walk-in customer."""
        if customer is None:
            self._customer_name = ""
            self.model.update_draft(customer_id=None, buyer=None)
        else:
            self._customer_name = customer.name
            self.model.update_draft(customer_id=customer.id, buyer=Party.of(customer))
        self.focus_code()

    # -- issuing -----------------------------------------------------------------------------

    def pay(self) -> Invoice | None:
        """Open the payment dialog; issue when it is accepted. Returns the issued invoice."""
        if not self._ready_to_issue():
            return None
        dialog = PaymentDialog(self.draft, self._display, self, link_provider=self.link_provider())
        try:
            if dialog.exec() != PaymentDialog.DialogCode.Accepted:
                return None
            issued = self.issue(dialog.payments())
            if issued is not None and dialog.pays_by_link:
                self.sig_pay_by_link.emit(issued)
            return issued
        finally:
            dialog.deleteLater()
            self.focus_code()

    def quick_cash(self) -> Invoice | None:
        """Issue at once, paid in exact cash (one key for the most common sale)."""
        if not self._ready_to_issue():
            return None
        payable = self.draft.totals.payable
        payments = (Payment(PaymentMethod.CASH, payable),) if payable else ()
        return self.issue(payments)

    def _ready_to_issue(self) -> bool:
        if not self.draft.lines:
            self.show_error(self.tr("فاکتور خالی است؛ ابتدا کالا اضافه کنید"))
            return False
        return True

    def issue(self, payments: tuple[Payment, ...]) -> Invoice | None:
        try:
            issued = self._services.invoicing.issue(self.draft.with_changes(payments=payments))
        except DomainError as error:
            self.show_error(error)
            return None
        self.sig_issued.emit(issued)
        self.new_invoice()
        change = issued.totals.change
        message = self.tr("فاکتور %1 صادر شد").replace("%1", self._display.number(issued.number))
        if change:
            message += " — " + self.tr("بقیه پول: %1").replace(
                "%1", self._display.amount(change, with_unit=True))
        self.sig_message.emit(message)
        return issued

    # -- holding -----------------------------------------------------------------------------

    def hold(self, label: str | None = None) -> bool:
        """Park the current sale under `label` (asked for when None) and start a new one."""
        if not self.draft.lines:
            self.show_error(self.tr("فاکتور خالی را نمی‌توان نگه داشت"))
            return False
        if label is None:
            default = self._customer_name or self.tr("فاکتور نگه‌داشته")
            label, ok = QInputDialog.getText(self, self.tr("نگه‌داشتن فاکتور"),
                                             self.tr("عنوان:"), text=default)
            if not ok:
                self.focus_code()
                return False
        try:
            self._services.invoicing.hold(self.draft, label.strip() or self.tr("فاکتور نگه‌داشته"))
        except DomainError as error:
            self.show_error(error)
            return False
        self.new_invoice()
        self.sig_message.emit(self.tr("فاکتور نگه داشته شد"))
        return True

    def resume(self, held_id: int) -> bool:
        """Bring back a held sale; the sale being edited, if any, is held first."""
        if self.draft.lines and not self.hold(self.tr("فاکتور جاری")):
            return False
        try:
            draft = self._services.invoicing.resume(held_id, till=self.draft.till)
        except DomainError as error:
            self.show_error(error)
            return False
        name = self._services.customers.get(draft.customer_id).name if draft.customer_id else ""
        self.set_draft(draft, name)
        return True

    # -- keyboard ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Text typed while the table has focus (a scan after a click) goes to the code field;
        Esc in the code field clears it and closes the live-search popup."""
        if (
            watched is self.code_field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.code_field.text()
        ):
            self.product_search.close()
            self.code_field.clear()
            self.clear_error()
            return True
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and self.table.state() != QAbstractItemView.State.EditingState
            and event.text().strip()
            and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self.code_field.setFocus()
            QApplication.sendEvent(self.code_field, QKeyEvent(
                QEvent.Type.KeyPress, event.key(), event.modifiers(), event.text(),
            ))
            return True
        return super().eventFilter(watched, event)
