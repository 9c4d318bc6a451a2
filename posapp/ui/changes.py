"""The UI's end of the change feed: committed writes reach the GUI thread as one signal.

`ChangeHub` listens to the services' `ChangeFeed` (posapp.domain.changes) and re-emits each
`Changes` as `sig_changed` on the GUI thread: at once when the write ran there (a sale issued
from the editor), queued when it ran on a worker (the write lane, the sync worker recording a
paid link). The main window connects it to its `on_changes`, the one place that decides which
panes to refresh. `close()` stops listening; a closed window's hub hears nothing more.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from posapp.domain.changes import ChangeFeed, Changes


class ChangeHub(QObject):
    """`sig_changed(Changes)` after every committed service write, on the GUI thread when its
    receiver lives there (Qt queues the emission from other threads)."""

    sig_changed = Signal(object)

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._feed: ChangeFeed | None = feed
        feed.subscribe(self._relay)

    def _relay(self, changes: Changes) -> None:
        self.sig_changed.emit(changes)

    def close(self) -> None:
        if self._feed is not None:
            self._feed.unsubscribe(self._relay)
            self._feed = None
