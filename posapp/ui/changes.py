"""The UI's end of the change feed: committed writes reach the GUI thread as one signal.

`ChangeHub` listens to the services' `ChangeFeed` (posapp.domain.changes) and re-emits each
`Changes` as `sig_changed` on the GUI thread: at once when the write ran there (a sale issued
from the editor), queued when it ran on a worker (the write lane, the sync worker recording a
paid link). Writes a worker makes faster than the GUI thread takes them (demo data issues a
batch of invoices every few milliseconds) are merged into one `Changes` until it does, so a
long job never floods the window with refreshes. The main window connects `sig_changed` to its
`on_changes`, the one place that decides which panes to refresh. `close()` stops listening.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QThread, Signal

from posapp.domain.changes import ChangeFeed, Changes


class ChangeHub(QObject):
    """`sig_changed(Changes)` after committed service writes, always on the hub's (the GUI)
    thread."""

    sig_changed = Signal(object)
    _sig_pending = Signal()

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: Changes | None = None
        """What workers changed since the GUI thread last took it."""
        self._sig_pending.connect(self._deliver_pending, Qt.ConnectionType.QueuedConnection)
        self._feed: ChangeFeed | None = feed
        feed.subscribe(self._relay)

    def _relay(self, changes: Changes) -> None:
        if QThread.currentThread() == self.thread():
            self.sig_changed.emit(changes)
            return
        with self._lock:
            first = self._pending is None
            self._pending = changes if self._pending is None else self._pending | changes
        if first:
            self._sig_pending.emit()

    def _deliver_pending(self) -> None:
        with self._lock:
            changes, self._pending = self._pending, None
        if changes:
            self.sig_changed.emit(changes)

    def close(self) -> None:
        if self._feed is not None:
            self._feed.unsubscribe(self._relay)
            self._feed = None
