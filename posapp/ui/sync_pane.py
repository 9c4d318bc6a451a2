"""The sync pane: each provider's queue at a glance, the rows that failed or wait for a retry with
the provider's own error text, and the cashier's Retry, Skip and "Send now" buttons.

Self-contained: `create_sync_pane(engine, tasks)` builds it over a `SyncEngine` and the app's
`TaskManager`; every database or network call runs in the background and comes back on the GUI
thread. `sig_status_text` carries a one-line summary for the status bar (pending count, last
success, last error); `status_text()` builds the same line for any caller.

The pane does not poll the queue. Every outbox write in this process (a sale's rows, the
worker's claims and settlements, Retry and Skip) is announced, and the window's `on_changes`
calls `refresh`; the Refresh button is there for writes made by another process (another
till, `posapp sync --once`). Only the Moadian deadline warnings are re-read on a timer while the
pane is shown: they come nearer with the clock, not with any write.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.jalali import format_jalali_datetime
from posapp.domain.sync import OutboxItem, OutboxState, ProviderCounts
from posapp.domain.text import to_persian_digits
from posapp.services.moadian_sync import DeadlineWarning, DocumentStatus, deadline_warnings
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.results import SyncSummary
from posapp.services.sync.worker import SyncWorker
from posapp.services.sync_settings import provider_title
from posapp.ui.i18n import current_language
from posapp.ui.messages import error_text
from posapp.ui.paged_model import select_table_row
from posapp.ui.sync_labels import operation_label, state_label, translated
from posapp.ui.tasks import TaskManager

DEADLINE_RECHECK_MS = 10 * 60_000
"""How often the shown pane re-reads the queue for the Moadian deadline warnings (time-based)."""
TABLE_SHARE, NOTES_SHARE = 3, 2
"""How the pane's width is first shared between the problem rows and the notes beside them."""


_Index = QModelIndex | QPersistentModelIndex


def _when(moment: datetime | None) -> str:
    if moment is None:
        return QCoreApplication.translate("SyncPane", "هرگز")
    return format_jalali_datetime(moment, persian_digits=current_language() == "fa")


_DOCUMENT_STATES = {DocumentStatus.QUEUED: OutboxState.PENDING, DocumentStatus.SENT: OutboxState.DONE,
                    DocumentStatus.REJECTED: OutboxState.FAILED}
"""A Moadian document not accepted yet, shown with the label of the outbox state it matches:
not sent yet, sent (awaiting the verdict), refused."""


def _count(value: int | str) -> str:
    """A count or number in the UI language's digits."""
    return to_persian_digits(str(value)) if current_language() == "fa" else str(value)


def status_text(counts: list[ProviderCounts]) -> str:
    """The status bar's line: rows waiting, rows failed, the last success and the last error."""
    pending = sum(c.pending + c.in_flight for c in counts)
    failed = sum(c.failed for c in counts)
    successes = [c.last_success_at for c in counts if c.last_success_at is not None]
    errors = [(c.last_error_at, c.provider, c.last_error) for c in counts
              if c.last_error and c.last_error_at is not None]
    text = (QCoreApplication.translate("SyncPane", "همگام‌سازی: %1 در صف، %2 ناموفق · آخرین ارسال موفق: %3")
            .replace("%1", _count(pending)).replace("%2", _count(failed))
            .replace("%3", _when(max(successes) if successes else None)))
    if errors:
        _at, provider, message = max(errors, key=lambda e: e[0])
        text += (QCoreApplication.translate("SyncPane", " · آخرین خطا (%1): %2")
                 .replace("%1", provider_title(provider, current_language()))
                 .replace("%2", message.splitlines()[0][:120]))
    return text


class ProblemModel(QAbstractTableModel):
    """The outbox rows that need attention (failed, waiting for a retry, in flight)."""

    HEADERS = ("#", QT_TRANSLATE_NOOP("SyncPane", "سامانه"), QT_TRANSLATE_NOOP("SyncPane", "عملیات"),
               QT_TRANSLATE_NOOP("SyncPane", "فاکتور"), QT_TRANSLATE_NOOP("SyncPane", "وضعیت"),
               QT_TRANSLATE_NOOP("SyncPane", "تلاش‌ها"), QT_TRANSLATE_NOOP("SyncPane", "خطا"))
    """Persian source text of the column titles; shown through `translated(label)`."""

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
            return translated(self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            operation, state = item.operation.value, item.state
            return (_count(item.id), provider_title(item.provider, current_language()),
                    operation_label(operation),
                    _count(item.invoice_number),
                    state_label(state),
                    _count(item.attempts), item.last_error.splitlines()[0] if item.last_error else "",
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
        self.unreachable_label = QLabel(self)
        self.unreachable_label.setWordWrap(True)
        self.unreachable_label.setObjectName("errorLabel")
        self.unreachable_label.hide()
        self.deadline_label = QLabel(self)
        self.deadline_label.setWordWrap(True)
        self.deadline_label.setObjectName("errorLabel")
        self.deadline_label.hide()
        self._unreachable: tuple[tuple[str, str], ...] = ()
        self.model = ProblemModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(self.tr("تلاش دوباره"), self)
        self.skip_button = QPushButton(self.tr("رد کردن"), self)
        self.send_button = QPushButton(self.tr("ارسال اکنون"), self)
        self.refresh_button = QPushButton(self.tr("بازخوانی"), self)
        self.splitter = self._laid_out()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.retry_button.clicked.connect(self.retry_selected)
        self.skip_button.clicked.connect(self.skip_selected)
        self.send_button.clicked.connect(self.send_now)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self._deadline_timer = QTimer(self)
        self._deadline_timer.setInterval(DEADLINE_RECHECK_MS)
        self._deadline_timer.timeout.connect(self.refresh)
        self._busy = False
        self._stale = False
        """A refresh was asked for while one was reading: read again when it is back."""
        self._counts: list[ProviderCounts] | None = None
        self._on_selection()

    def _laid_out(self) -> QSplitter:
        """The problem rows take the pane's whole height (a bottom pane is short: 768 px screens
        give it about 300 px); the queues' summary, the warnings, the selected row's message and
        the buttons stand beside them, scrolling when long. The cashier can move the divider."""
        notes = QWidget(self)
        column = QVBoxLayout(notes)
        for label in (self.summary_label, self.unreachable_label, self.deadline_label, self.detail):
            column.addWidget(label)
        column.addStretch(1)
        notes_scroll = QScrollArea(self)
        notes_scroll.setObjectName("syncNotes")
        notes_scroll.setWidgetResizable(True)
        notes_scroll.setFrameShape(QFrame.Shape.NoFrame)
        notes_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        notes_scroll.setWidget(notes)
        notes.setAutoFillBackground(False)  # the pane's own background shows through
        notes_scroll.viewport().setAutoFillBackground(False)
        buttons = QGridLayout()
        for index, button in enumerate((self.retry_button, self.skip_button, self.send_button,
                                        self.refresh_button)):
            buttons.addWidget(button, index // 2, index % 2)
        side = QWidget(self)
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 0, 0)
        side_column.addWidget(notes_scroll, 1)
        side_column.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("syncSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, TABLE_SHARE)
        splitter.setStretchFactor(1, NOTES_SHARE)
        return splitter

    def use(self, engine: SyncEngine, worker: SyncWorker | None) -> None:
        """Follow a new engine and worker (the app restarts them after provider settings change)."""
        self.engine = engine
        self.worker = worker
        self.refresh()

    # -- reading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the queue in the background; the table updates when the answer arrives. Asked
        while a read is under way, it reads once more after that one (it may predate the write
        that asked)."""
        if self._busy:
            self._stale = True
            return
        self._busy = True
        self._stale = False
        engine = self.engine
        self.tasks.run(lambda _context: (engine.queue.status(), engine.queue.problems(), deadline_warnings(engine.services)),
                       on_done=self._show, on_error=self._show_error)

    def _show(self, result: tuple[list[ProviderCounts], list[OutboxItem], list[DeadlineWarning]]) -> None:
        self._busy = False
        counts, problems, deadlines = result
        self._counts = counts
        self._show_deadlines(deadlines)
        lines = []
        for c in counts:
            line = (self.tr("%1: %2 در صف (%3 منتظر ردیف ردشده)، %4 ناموفق، %5 ارسال‌شده · آخرین موفق: %6")
                    .replace("%1", provider_title(c.provider, current_language()))
                    .replace("%2", _count(c.pending)).replace("%3", _count(c.blocked))
                    .replace("%4", _count(c.failed)).replace("%5", _count(c.done))
                    .replace("%6", _when(c.last_success_at)))
            lines.append(line)
        self.summary_label.setText("\n".join(lines) or self.tr("صف همگام‌سازی خالی است"))
        selected = self.selected_item()
        self.model.set_items(problems)
        if selected is not None:
            for row in range(self.model.rowCount()):
                if self.model.item(row).id == selected.id:
                    self.select_row(row)
        self._on_selection()
        self.sig_status_text.emit(status_text(counts) + self._unreachable_note())
        self._read_again_if_stale()

    def _read_again_if_stale(self) -> None:
        if self._stale:
            self.refresh()

    def _show_deadlines(self, warnings: list[DeadlineWarning]) -> None:
        """Invoices the tax administration has yet to accept, close to their sending deadline."""
        lines = [self.tr("سامانه مؤدیان: %1 صورتحساب هنوز پذیرفته نشده و مهلت ارسالش نزدیک است یا گذشته:")
                 .replace("%1", _count(len(warnings)))] if warnings else []
        lines += [self.tr("%1 — مهلت %2")
                  .replace("%1", f"\u2066{_count(w.invoice_number)}\u2069 ({state_label(_DOCUMENT_STATES[w.status])})")
                  .replace("%2", _when(w.deadline)) for w in warnings[:10]]
        self.deadline_label.setText("\n".join(lines))
        self.deadline_label.setVisible(bool(lines))

    def show_unreachable(self, errors: tuple[tuple[str, str], ...]) -> None:
        """The providers the last sync cycle could not reach at all (no credentials, no keyring,
        a refused token), with the reason and what to do; cleared when they answer again."""
        self._unreachable = tuple(errors)
        lines = [self.tr("%1 در دسترس نیست: %2")
                 .replace("%1", provider_title(name, current_language())).replace("%2", message)
                 for name, message in self._unreachable]
        self.unreachable_label.setText("\n".join(lines))
        self.unreachable_label.setVisible(bool(lines))
        if self._counts is not None and not self._busy:  # a read under way says it when back
            self.sig_status_text.emit(status_text(self._counts) + self._unreachable_note())

    def _unreachable_note(self) -> str:
        if not self._unreachable:
            return ""
        language = current_language()
        separator = "، " if language == "fa" else ", "
        names = separator.join(provider_title(name, language) for name, _ in self._unreachable)
        return self.tr(" · در دسترس نیست: %1").replace("%1", names)

    def _show_error(self, error: BaseException) -> None:
        self._busy = False
        language = current_language()
        self.summary_label.setText(
            self.tr("خواندن صف ممکن نشد: %1").replace("%1", error_text(error, language)))
        self._read_again_if_stale()

    def select_row(self, row: int) -> None:
        select_table_row(self.table, row)

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
        """Queue the selected row again and send it now. The pane shows it through the retry's
        announcement (the window's `on_changes`), which also wakes the app's worker."""
        item = self.selected_item()
        if item is None:
            return
        engine, actor = self.engine, self.actor
        self.tasks.run(lambda _context: engine.queue.retry(item.id, actor), lane="write",
                       on_done=lambda _item: self._send_without_worker(), on_error=self._show_error)

    def skip_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        reason, accepted = QInputDialog.getText(
            self, self.tr("رد کردن"),
            self.tr("فاکتور %1 به %2 فرستاده نمی‌شود. دلیل؟")
            .replace("%1", _count(item.invoice_number))
            .replace("%2", provider_title(item.provider, current_language())))
        if not accepted:
            return
        self.skip(item.id, reason)

    def skip(self, item_id: int, reason: str) -> None:
        """Give up on the row; the pane follows the skip's announcement (the window's `on_changes`)."""
        engine, actor = self.engine, self.actor
        self.tasks.run(lambda _context: engine.queue.skip(item_id, actor, reason.strip()), lane="write",
                       on_error=self._show_error)

    def send_now(self) -> None:
        """Wake the app's worker, or (without one) run the engine once in the background. With
        no provider enabled there is nothing to send to, and the pane says what to set up."""
        if self.engine.providers == ():  # the shop enabled none (None would mean every one)
            self.unreachable_label.setText(self.tr(
                "هیچ سامانه‌ای فعال نیست؛ چیزی فرستاده نمی‌شود. یک سامانه را در «ابزار › تنظیمات "
                "سامانه‌ها» (Ctrl+Shift+,) راه‌اندازی و فعال کنید."))
            self.unreachable_label.show()
            return
        if self.worker is not None and self.worker.running:
            self.worker.wake()  # what it sends is announced, and the pane follows
            return
        self._run_engine_once()

    def _send_without_worker(self) -> None:
        """After a retry: the app's worker was woken by the retry's announcement; without one
        running, run the engine once here."""
        if self.worker is None or not self.worker.running:
            self.send_now()

    def _run_engine_once(self) -> None:
        engine = self.engine
        self.send_button.setEnabled(False)
        self.tasks.run(lambda _context: engine.run_once(), on_done=self._sent,
                       on_error=self._send_failed)

    def _sent(self, summary: SyncSummary) -> None:
        """The run announced what it wrote; what it could not reach is the cycle's own news."""
        self.send_button.setEnabled(True)
        self.show_unreachable(summary.provider_errors)

    def _send_failed(self, error: BaseException) -> None:
        self.send_button.setEnabled(True)
        self._show_error(error)

    # -- visibility --------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._deadline_timer.start()
        self.refresh()  # the deadline warnings may have come nearer while it was hidden

    def hideEvent(self, event: Any) -> None:
        self._deadline_timer.stop()
        super().hideEvent(event)


def create_sync_pane(engine: SyncEngine, tasks: TaskManager, *, worker: SyncWorker | None = None,
                     actor: str = "", parent: QWidget | None = None) -> SyncPane:
    """The pane for the main window (or a dialog): the lead wires it in."""
    return SyncPane(engine, tasks, worker=worker, actor=actor, parent=parent)
