"""Invoice history: filter by Jalali date range, status, customer, amount and number; the list
pages through SQL (200,000 invoices open as fast as 20); Enter or double-click opens one.

With sync attached, a column shows where each invoice stands with each provider, read in one
query per page of the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.invoice import InvoiceKind, InvoiceStatus
from posapp.domain.sync import OutboxState
from posapp.domain.text import to_ascii_digits
from posapp.services.context import AppServices
from posapp.services.invoicing import HistoryFilter, InvoiceSummary
from posapp.services.sync_settings import provider_title
from posapp.ui.amount_edit import AmountEdit
from posapp.ui.display import Display
from posapp.ui.jalali_edit import JalaliDateEdit
from posapp.ui.live_search import LiveSearch
from posapp.ui.paged_model import (
    ALIGN_CENTER,
    ALIGN_START,
    Column,
    PagedTableModel,
    configure_list_view,
)
from posapp.ui.sync_labels import state_label
from posapp.ui.tasks import TaskManager

FILTER_DELAY_MS = 200
SYNC_CACHE_LIMIT = 5000
"""Invoices whose sync state is kept in memory before the cache starts afresh."""

SyncSource = Callable[[Iterable[int]], Mapping[int, Mapping[str, OutboxState]]]


def status_label(status: InvoiceStatus) -> str:
    labels = {
        InvoiceStatus.DRAFT: QCoreApplication.translate("History", "پیش‌نویس"),
        InvoiceStatus.ISSUED: QCoreApplication.translate("History", "صادرشده"),
        InvoiceStatus.PARTLY_PAID: QCoreApplication.translate("History", "بخشی پرداخت‌شده"),
        InvoiceStatus.PAID: QCoreApplication.translate("History", "پرداخت‌شده"),
        InvoiceStatus.CANCELLED: QCoreApplication.translate("History", "ابطال‌شده"),
    }
    return labels[status]


def kind_label(kind: InvoiceKind) -> str:
    labels = {
        InvoiceKind.SALE: QCoreApplication.translate("History", "فروش"),
        InvoiceKind.RETURN: QCoreApplication.translate("History", "برگشت از فروش"),
        InvoiceKind.REDUCTION: QCoreApplication.translate("History", "اصلاحی (کاهش)"),
    }
    return labels[kind]


def signed_amount(summary: InvoiceSummary) -> Decimal:
    """What the invoice moved: a sale's amount; a return's or reduction's as money going back
    (negative)."""
    return -summary.payable if summary.kind in (InvoiceKind.RETURN, InvoiceKind.REDUCTION) else summary.payable


class HistoryPane(QWidget):
    """Issued invoices, newest first. `sig_open_invoice(number)` asks to open one read-only."""

    sig_open_invoice = Signal(str)
    sig_message = Signal(str)

    def __init__(self, services: AppServices, tasks: TaskManager, display: Display,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPane")
        self._services = services
        self._display = display
        self._customer_id: int | None = None
        self._apply_timer = QTimer(self)
        self._apply_timer.setSingleShot(True)
        self._apply_timer.setInterval(FILTER_DELAY_MS)
        self._apply_timer.timeout.connect(self.refresh)

        persian = display.persian_digits
        self.date_from = JalaliDateEdit(optional=True, persian_digits=persian)
        self.date_from.setObjectName("historyFrom")
        self.date_to = JalaliDateEdit(optional=True, persian_digits=persian)
        self.date_to.setObjectName("historyTo")
        self.status = QComboBox()
        self.status.setObjectName("historyStatus")
        self.status.addItem(QCoreApplication.translate("History", "همه"), None)
        for status in (InvoiceStatus.PAID, InvoiceStatus.PARTLY_PAID, InvoiceStatus.ISSUED,
                       InvoiceStatus.CANCELLED):
            self.status.addItem(status_label(status), status)
        self.customer = QLineEdit()
        self.customer.setObjectName("historyCustomer")
        self.customer.setPlaceholderText(self.tr("همه مشتریان"))
        self.customer.setClearButtonEnabled(True)
        self._customer_search = LiveSearch(
            self.customer, tasks, lambda text: services.customers.search(text, 12),
            lambda c: f"{c.name}    {display.number(c.mobile)}", min_chars=1,
        )
        self._customer_search.sig_picked.connect(self._on_customer_picked)
        self.customer.textEdited.connect(self._on_customer_text)
        self.min_amount = AmountEdit(display)
        self.min_amount.setObjectName("historyMinAmount")
        self.max_amount = AmountEdit(display)
        self.max_amount.setObjectName("historyMaxAmount")
        self.number_prefix = QLineEdit()
        self.number_prefix.setObjectName("historyNumber")
        self.number_prefix.setPlaceholderText(self.tr("شماره فاکتور"))
        for edit in (self.min_amount, self.max_amount):
            edit.setPlaceholderText(display.unit_label)
        for widget in (self.min_amount, self.max_amount, self.number_prefix):
            widget.textEdited.connect(lambda _text: self._apply_timer.start())
        for date_edit in (self.date_from, self.date_to):
            date_edit.date_changed.connect(lambda _day: self._apply_timer.start())
        self.status.currentIndexChanged.connect(lambda _i: self._apply_timer.start())
        clear_button = QPushButton(self.tr("پاک کردن فیلترها"))
        clear_button.clicked.connect(self.clear_filters)

        filters = QGridLayout()
        cells = (
            (self.tr("از تاریخ:"), self.date_from), (self.tr("تا تاریخ:"), self.date_to),
            (self.tr("وضعیت:"), self.status), (self.tr("مشتری:"), self.customer),
            (self.tr("مبلغ از:"), self.min_amount), (self.tr("مبلغ تا:"), self.max_amount),
            (self.tr("شماره:"), self.number_prefix),
        )
        for position, (caption, widget) in enumerate(cells):
            row, column = divmod(position, 4)
            filters.addWidget(QLabel(caption), row, column * 2)
            filters.addWidget(widget, row, column * 2 + 1)
        filters.addWidget(clear_button, 1, 7)
        self.filter_error = QLabel()
        self.filter_error.setObjectName("errorLabel")
        self.filter_error.hide()

        columns = [
            Column(self.tr("شماره"), lambda s: display.number(s.number), ALIGN_CENTER, 11),
            Column(self.tr("تاریخ"), lambda s: display.datetime(s.issued_at), ALIGN_CENTER, 17),
            Column(self.tr("نوع"), lambda s: kind_label(s.kind), ALIGN_CENTER,
                   max(len(kind_label(kind)) for kind in InvoiceKind) + 2),
            Column(self.tr("وضعیت"), lambda s: status_label(s.status), ALIGN_CENTER),
            Column(self.tr("مشتری"), lambda s: s.customer_name or self.tr("گذری")),
            Column(self.tr("مبلغ"), lambda s: display.amount(signed_amount(s)), ALIGN_CENTER, 13),
            Column(self.tr("مانده"), lambda s: display.amount(s.balance_due) if s.balance_due else "",
                   ALIGN_CENTER),
        ]
        self.sync_column = len(columns)
        columns.append(Column(self.tr("همگام‌سازی"), self._sync_text, ALIGN_START, 22))
        self._sync_source: SyncSource | None = None
        self._sync_text_by_invoice: dict[int, str] = {}
        self.filters = HistoryFilter()
        invoicing = services.invoicing
        self.model: PagedTableModel[Any] = PagedTableModel(
            columns, lambda: invoicing.history_count(self.filters), self._fetch_page,
        )
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        configure_list_view(self.table, stretch_column=4)
        self.table.setColumnHidden(self.sync_column, True)
        self.table.activated.connect(self._open_row)
        self.table.doubleClicked.connect(self._open_row)
        self.count_label = QLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.filter_error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self._update_count()

    # -- sync column -----------------------------------------------------------------------------

    def set_sync_source(self, source: SyncSource) -> None:
        """Show the sync column, reading states through `source(invoice_ids)`."""
        self._sync_source = source
        self.table.setColumnHidden(self.sync_column, False)
        self.refresh_sync_states()

    def _fetch_page(self, offset: int, limit: int) -> Sequence[InvoiceSummary]:
        rows = self._services.invoicing.history(self.filters, offset, limit)
        self._load_sync_states(row.id for row in rows)
        return rows

    def _load_sync_states(self, invoice_ids: Iterable[int]) -> None:
        if self._sync_source is None:
            return
        ids = list(invoice_ids)
        if len(self._sync_text_by_invoice) + len(ids) > SYNC_CACHE_LIMIT:
            self._sync_text_by_invoice.clear()
        states = self._sync_source(ids)
        language = self._display.language
        separator = "، " if language == "fa" else ", "
        for invoice_id in ids:
            self._sync_text_by_invoice[invoice_id] = separator.join(
                f"{provider_title(provider, language)}: {state_label(state)}"
                for provider, state in sorted(states.get(invoice_id, {}).items())
            )

    def _sync_text(self, summary: InvoiceSummary) -> str:
        if self._sync_source is None:
            return ""
        if summary.id not in self._sync_text_by_invoice:
            self._load_sync_states([summary.id])
        return self._sync_text_by_invoice.get(summary.id, "")

    def refresh_sync_states(self) -> None:
        """Re-read the sync states of the rows on screen (outbox rows changed: the window's
        `on_changes`), keeping the list's position and selection."""
        self._sync_text_by_invoice.clear()
        rows = self.model.rowCount()
        if not rows or self._sync_source is None:
            return
        first = max(0, self.table.rowAt(0))
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = rows - 1 if last < 0 else last
        shown = [summary for row in range(first, last + 1)
                 if (summary := self.model.row_at(row)) is not None]
        self._load_sync_states(summary.id for summary in shown)
        self.model.dataChanged.emit(self.model.index(first, self.sync_column),
                                    self.model.index(last, self.sync_column))

    def _on_customer_picked(self, customer: Any) -> None:
        self._customer_id = customer.id
        self.customer.setText(customer.name)
        self.refresh()

    def _on_customer_text(self, text: str) -> None:
        if not text.strip() and self._customer_id is not None:
            self._customer_id = None
            self._apply_timer.start()

    def _amount(self, edit: QLineEdit, field: str) -> Decimal | None:
        text = edit.text().strip()
        return self._display.parse_amount(text, field=field) if text else None

    def current_filter(self) -> HistoryFilter:
        """The filter the widgets describe; raises DomainError for an unreadable amount."""
        return HistoryFilter(
            date_from=self.date_from.date(), date_to=self.date_to.date(),
            status=InvoiceStatus(status) if (status := self.status.currentData()) else None,
            customer_id=self._customer_id,
            min_amount=self._amount(self.min_amount, "min_amount"),
            max_amount=self._amount(self.max_amount, "max_amount"),
            number_prefix=to_ascii_digits(self.number_prefix.text()).strip().upper(),
        )

    def refresh(self) -> None:
        self._apply_timer.stop()  # the filters as they stand now: a pending debounced refresh is moot
        try:
            self.filters = self.current_filter()
        except DomainError as error:
            self.filter_error.setText(self._display.error(error))
            self.filter_error.show()
            return
        self.filter_error.hide()
        self.model.refresh()
        self._update_count()

    def clear_filters(self) -> None:
        for edit in (self.min_amount, self.max_amount, self.number_prefix, self.customer):
            edit.clear()
        self._customer_id = None
        self.date_from.clear()
        self.date_to.clear()
        self.status.setCurrentIndex(0)
        self.refresh()

    def _update_count(self) -> None:
        self.count_label.setText(
            self.tr("%1 فاکتور").replace("%1", self._display.number(self.model.rowCount()))
        )

    def _open_row(self, index: Any) -> None:
        summary = self.model.row_at(index.row())
        if summary is not None:
            self.sig_open_invoice.emit(summary.number)
