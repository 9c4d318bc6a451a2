"""Search as you type under a line edit: a popup of the top matches, arrows and Enter to pick.

Searches run through the task helper's read lane so typing never waits for the database. The
debounce is light: keystrokes queued in the same event-loop pass are merged, at most one search
is in flight, text typed meanwhile is coalesced into the next search, and a result older than
the latest text is dropped (a search costs a few milliseconds, so waiting longer only adds
latency). `wants(text)` lets the owner skip texts that are not searches, such as a barcode
being scanned. The popup never takes keyboard focus: the line edit keeps it and forwards
Up/Down/Enter/Escape here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem

from posapp.ui.screen_fit import screen_room
from posapp.ui.tasks import TaskContext, TaskManager

DEBOUNCE_MS = 0
MIN_CHARS = 2
MAX_RESULTS = 12
MIN_POPUP_WIDTH = 420
_ITEM_ALIGNMENT = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter


class LiveSearch(QObject):
    """Attach to `edit`. `search(text)` runs in the background and returns rows; `describe(row)`
    gives the line shown for a row. `sig_picked(row)` fires when the user picks one;
    `sig_results_shown(count)` after the popup shows a fresh result set."""

    sig_picked = Signal(object)
    sig_results_shown = Signal(int)

    def __init__(
        self,
        edit: QLineEdit,
        tasks: TaskManager,
        search: Callable[[str], Sequence[Any]],
        describe: Callable[[Any], str],
        *,
        min_chars: int = MIN_CHARS,
        debounce_ms: int = DEBOUNCE_MS,
        wants: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(edit)
        self._edit = edit
        self._tasks = tasks
        self._search = search
        self._describe = describe
        self._min_chars = min_chars
        self._wants = wants or (lambda _text: True)
        self._rows: list[Any] = []
        self._generation = 0
        self._in_flight = False
        self._pending: str | None = None
        self._user_moved = False
        self.popup = QListWidget()
        self.popup.setObjectName("liveSearchPopup")
        self.popup.setWindowFlags(Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.popup.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup.setUniformItemSizes(True)
        self.popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.popup.itemClicked.connect(lambda item: self._pick_row(self.popup.row(item)))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._start_search)
        edit.textEdited.connect(self._on_text_edited)
        edit.installEventFilter(self)
        edit.destroyed.connect(self.popup.deleteLater)

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def is_open(self) -> bool:
        return self.popup.isVisible()

    def has_chosen_row(self) -> bool:
        """True when the user moved through the results with the arrows (Enter picks that)."""
        return self.is_open() and self._user_moved and self.popup.currentRow() >= 0

    def pick_current(self) -> bool:
        if not self.is_open() or self.popup.currentRow() < 0:
            return False
        self._pick_row(self.popup.currentRow())
        return True

    def close(self) -> None:
        """Hide the popup and forget results in flight (after a scan or a pick)."""
        self._timer.stop()
        self._generation += 1
        self._pending = None
        self._user_moved = False
        self.popup.hide()

    def search_now(self, text: str) -> None:
        self._pending = text
        self._timer.stop()
        self._start_search()

    def _on_text_edited(self, text: str) -> None:
        self._user_moved = False
        if len(text.strip()) < self._min_chars or not self._wants(text):
            self.close()
            return
        self._pending = text
        self._timer.start()

    def _start_search(self) -> None:
        if self._in_flight or self._pending is None:
            return
        text, self._pending = self._pending, None
        self._generation += 1
        generation = self._generation
        self._in_flight = True

        def work(context: TaskContext) -> Sequence[Any]:
            return self._search(text)

        def done(rows: Sequence[Any]) -> None:
            self._in_flight = False
            if generation == self._generation and self._pending is None:
                self._show(list(rows))
            self._start_search()

        def failed(error: BaseException) -> None:
            self._in_flight = False
            self._start_search()

        self._tasks.run(work, on_done=done, on_error=failed)

    def _show(self, rows: list[Any]) -> None:
        self._rows = rows
        self.popup.clear()
        if not rows or not self._edit.isVisible():
            self.popup.hide()
            self.sig_results_shown.emit(len(rows))
            return
        for row in rows:
            item = QListWidgetItem(self._describe(row))
            item.setTextAlignment(_ITEM_ALIGNMENT)
            self.popup.addItem(item)
        self.popup.setCurrentRow(0)
        self.popup.setLayoutDirection(self._edit.layoutDirection())
        self.popup.setFont(self._edit.font())
        height = min(len(rows), MAX_RESULTS) * (self.popup.sizeHintForRow(0) + 2) + 6
        room = screen_room(self._edit)
        widest = self.popup.sizeHintForColumn(0) + 2 * self.popup.frameWidth() + 8
        self.popup.setFixedSize(min(max(self._edit.width(), MIN_POPUP_WIDTH, widest), room.width()), height)
        below = self._edit.mapToGlobal(QPoint(0, self._edit.height()))
        if self._edit.isRightToLeft():
            below.setX(below.x() + self._edit.width() - self.popup.width())
        below.setX(min(max(below.x(), room.left()), room.right() + 1 - self.popup.width()))
        self.popup.move(below)
        self.popup.show()
        self.sig_results_shown.emit(len(rows))

    def _pick_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            chosen = self._rows[row]
            self.close()
            self.sig_picked.emit(chosen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._edit and event.type() == QEvent.Type.FocusOut:
            self.popup.hide()
        if watched is not self._edit or event.type() != QEvent.Type.KeyPress or not self.is_open():
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}[key]
            row = min(max(self.popup.currentRow() + step, 0), self.popup.count() - 1)
            self.popup.setCurrentRow(row)
            self._user_moved = True
            return True
        if key == Qt.Key.Key_Escape:
            self.close()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.has_chosen_row():
            self.pick_current()
            return True
        return False
