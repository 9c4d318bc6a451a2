"""The sync pane: each provider's queue at a glance, the rows that failed or wait for a retry with
the provider's own error text, and the cashier's Retry, Skip and "Send now" buttons.

Self-contained: `create_sync_pane(engine, tasks)` builds it over a `SyncEngine` and the app's
`TaskManager`; every database or network call runs in the background and comes back on the GUI
thread. `sig_status_text` carries a one-line summary for the status bar (pending count, last
success, last error); `status_text()` builds the same line for any caller.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.jalali import format_jalali_datetime
from posapp.services.sync import SyncEngine, SyncSummary, SyncWorker
from posapp.services.sync_store import OutboxItem, OutboxState, ProviderCounts
from posapp.ui.tasks import TaskManager

REFRESH_MS = 15_000
"""How often the pane re-reads the queue while it is shown."""

OPERATION_LABELS = {
    "issue": "صدور / issue", "cancel": "ابطال / cancel", "return": "برگشت / return",
    "reduce": "کاهش / reduce", "payment_link": "لینک پرداخت / payment link",
}
STATE_LABELS = {
    OutboxState.PENDING: "در انتظار / waiting", OutboxState.IN_FLIGHT: "در حال ارسال / sending",
    OutboxState.FAILED: "رد شد / rejected", OutboxState.DONE: "ارسال شد / sent",
    OutboxState.SKIPPED: "رد شده توسط صندوق‌دار / skipped",
}

_Index = QModelIndex | QPersistentModelIndex


def _when(moment: datetime | None) -> str:
    return format_jalali_datetime(moment) if moment is not None else "هرگز / never"


def status_text(counts: list[ProviderCounts]) -> str:
    """The status bar's line: rows waiting, rows failed, the last success and the last error."""
    pending = sum(c.pending + c.in_flight for c in counts)
    failed = sum(c.failed for c in counts)
    successes = [c.last_success_at for c in counts if c.last_success_at is not None]
    errors = [(c.last_error_at, c.provider, c.last_error) for c in counts
              if c.last_error and c.last_error_at is not None]
    text = (f"همگام‌سازی: {pending} در صف، {failed} ناموفق · آخرین ارسال موفق: "
            f"{_when(max(successes) if successes else None)}")
    if errors:
        _at, provider, message = max(errors, key=lambda e: e[0])
        text += f" · آخرین خطا ({provider}): {message.splitlines()[0][:120]}"
    return text


class ProblemModel(QAbstractTableModel):
    """The outbox rows that need attention (failed, waiting for a retry, in flight)."""

    HEADERS = ("#", "سامانه / provider", "عملیات / operation", "فاکتور / invoice",
               "وضعیت / state", "تلاش / attempts", "خطا / error")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[OutboxItem] = []

    def set_items(self, items: list[OutboxItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> OutboxItem:
        return self._items[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(item.id), item.provider, OPERATION_LABELS.get(item.operation.value, item.operation.value),
                    item.invoice_number, STATE_LABELS.get(item.state, item.state.value),
                    str(item.attempts), item.last_error.splitlines()[0] if item.last_error else "",
                    )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6:
            return item.last_error or None
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None


class SyncPane(QWidget):
    """See the module docstring. `worker`, when given, is woken by "Send now" instead of a
    one-off run, so the app's own background worker does the sending."""

    sig_status_text = Signal(str)

    def __init__(self, engine: SyncEngine, tasks: TaskManager, *, worker: SyncWorker | None = None,
                 actor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.tasks = tasks
        self.worker = worker
        self.actor = actor
        self.setObjectName("syncPane")
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setObjectName("syncSummary")
        self.model = ProblemModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("تلاش دوباره / Retry", self)
        self.skip_button = QPushButton("رد کردن / Skip", self)
        self.send_button = QPushButton("ارسال اکنون / Send now", self)
        self.refresh_button = QPushButton("بازخوانی / Refresh", self)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.skip_button, self.send_button, self.refresh_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(self.retry_selected)
        self.skip_button.clicked.connect(self.skip_selected)
        self.send_button.clicked.connect(self.send_now)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._busy = False
        self._on_selection()

    # -- reading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the queue in the background; the table updates when the answer arrives."""
        if self._busy:
            return
        self._busy = True
        engine = self.engine
        self.tasks.run(lambda _context: (engine.status(), engine.problems()),
                       on_done=self._show, on_error=self._show_error)

    def _show(self, result: tuple[list[ProviderCounts], list[OutboxItem]]) -> None:
        self._busy = False
        counts, problems = result
        lines = []
        for c in counts:
            line = (f"{c.provider}: {c.pending} در صف ({c.blocked} منتظر ردیف ردشده)، {c.failed} ناموفق، "
                    f"{c.done} ارسال‌شده · آخرین موفق: {_when(c.last_success_at)}")
            lines.append(line)
        self.summary_label.setText("\n".join(lines) or "صف همگام‌سازی خالی است / nothing queued")
        selected = self.selected_item()
        self.model.set_items(problems)
        if selected is not None:
            for row in range(self.model.rowCount()):
                if self.model.item(row).id == selected.id:
                    self.table.selectRow(row)
        self._on_selection()
        self.sig_status_text.emit(status_text(counts))

    def _show_error(self, error: BaseException) -> None:
        self._busy = False
        self.summary_label.setText(f"خواندن صف ممکن نشد / could not read the queue: {error}")

    def selected_item(self) -> OutboxItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _on_selection(self, *_args: object) -> None:
        item = self.selected_item()
        self.retry_button.setEnabled(item is not None and item.state is not OutboxState.IN_FLIGHT)
        self.skip_button.setEnabled(item is not None and item.state in (OutboxState.FAILED,
                                                                        OutboxState.PENDING))
        self.detail.setText(item.last_error if item is not None else "")

    # -- the cashier's actions -----------------------------------------------------------------

    def retry_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        engine, actor = self.engine, self.actor
        self.tasks.run(lambda _context: engine.retry(item.id, actor), lane="write",
                       on_done=lambda _item: self.send_now(), on_error=self._show_error)

    def skip_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        reason, accepted = QInputDialog.getText(
            self, "رد کردن / Skip",
            f"فاکتور {item.invoice_number} به {item.provider} فرستاده نمی‌شود. دلیل؟\n"
            f"Invoice {item.invoice_number} will not be sent to {item.provider}. Why?")
        if not accepted:
            return
        self.skip(item.id, reason)

    def skip(self, item_id: int, reason: str) -> None:
        engine, actor = self.engine, self.actor
        self.tasks.run(lambda _context: engine.skip(item_id, actor, reason.strip()), lane="write",
                       on_done=lambda _item: self.refresh(), on_error=self._show_error)

    def send_now(self) -> None:
        """Wake the app's worker, or (without one) run the engine once in the background."""
        if self.worker is not None and self.worker.running:
            self.worker.wake()
            self.refresh()
            return
        engine = self.engine
        self.send_button.setEnabled(False)
        self.tasks.run(lambda _context: engine.run_once(), on_done=self._sent,
                       on_error=self._send_failed)

    def _sent(self, summary: SyncSummary) -> None:
        self.send_button.setEnabled(True)
        self.refresh()

    def _send_failed(self, error: BaseException) -> None:
        self.send_button.setEnabled(True)
        self._show_error(error)

    # -- visibility --------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._timer.start()
        self.refresh()

    def hideEvent(self, event: Any) -> None:
        self._timer.stop()
        super().hideEvent(event)


def create_sync_pane(engine: SyncEngine, tasks: TaskManager, *, worker: SyncWorker | None = None,
                     actor: str = "", parent: QWidget | None = None) -> SyncPane:
    """The pane for the main window (or a dialog): the lead wires it in."""
    return SyncPane(engine, tasks, worker=worker, actor=actor, parent=parent)
