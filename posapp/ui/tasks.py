"""The one way into the background: run work off the GUI thread, get the result back on it.

`TaskManager.run(work, on_done=..., on_error=...)` runs `work` on a pool thread and calls the
callbacks on the GUI thread. `work` receives a `TaskContext` for progress reports and for
checking cancellation; it must never touch a widget. Long, user-visible work goes through
`run_with_progress`, which shows a cancellable progress dialog.

Two lanes: `read` (a small pool for searches and previews) and `write` (one thread, so database
writes from the background never race each other). Modelled on Anki's `aqt/taskman.py` and
Picard's `util/thread.py`: results travel back as closures queued under a lock and drained by a
slot that runs on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.05
"""Progress reports from a worker reach the GUI at most this often (the last one always does)."""


class TaskCancelled(Exception):
    """Raised inside work that noticed `TaskContext.cancelled` and stopped early."""


@dataclass
class TaskContext:
    """Handed to background work: report progress, and poll whether the user cancelled.

    Thread-safe; `report` may be called as often as the work likes (it is throttled)."""

    _post: Callable[[Callable[[], None]], None]
    _on_progress: Callable[[int, int], None] | None = None
    _cancel_event: threading.Event = field(default_factory=threading.Event)
    _last_report: float = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancel_event.is_set()

    def cancel(self) -> None:
        self._cancel_event.set()

    def check(self) -> None:
        """Raise `TaskCancelled` if the user asked to stop."""
        if self.cancelled:
            raise TaskCancelled

    def report(self, done: int, total: int) -> None:
        callback = self._on_progress
        if callback is None:
            return
        now = time.monotonic()
        if done < total and now - self._last_report < PROGRESS_INTERVAL_S:
            return
        self._last_report = now
        self._post(lambda: callback(done, total))


class _Runnable(QRunnable):
    def __init__(self, body: Callable[[], None]) -> None:
        super().__init__()
        self._body = body
        self.setAutoDelete(True)

    def run(self) -> None:
        self._body()


class TaskManager(QObject):
    """Runs background work in two lanes and delivers results on the GUI thread.

    Create it on the GUI thread; call `shutdown()` before the application quits (tests too) so
    no worker thread outlives its window."""

    _sig_closures_pending = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._closures: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(2)
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._running = 0
        self._closed = False
        self._sig_closures_pending.connect(
            self._on_closures_pending, Qt.ConnectionType.QueuedConnection,
        )

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(
        self,
        work: Callable[[TaskContext], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        lane: str = "read",
    ) -> TaskContext:
        """Start `work(context)` in `lane` ("read" or "write"). Exactly one of `on_done`,
        `on_error` or `on_cancelled` runs afterwards, on the GUI thread. Returns the context,
        whose `cancel()` asks the work to stop."""
        if self._closed:
            raise RuntimeError("the task manager was shut down")
        context = TaskContext(self.post, on_progress)
        self._running += 1

        def body() -> None:
            try:
                result = work(context)
            except TaskCancelled:
                self.post(lambda: self._finish(on_cancelled))
            except BaseException as exc:
                if context.cancelled and on_cancelled is not None:
                    # the work noticed the cancel in its own way (a service's CancelledError)
                    self.post(lambda: self._finish(on_cancelled))
                    return
                error = exc
                log.debug("background task failed", exc_info=True)
                self.post(lambda: self._finish(on_error, error, report=error))
            else:
                if context.cancelled and on_cancelled is not None:
                    self.post(lambda: self._finish(on_cancelled))
                else:
                    self.post(lambda: self._finish(on_done, result))

        pool = self._write_pool if lane == "write" else self._read_pool
        pool.start(_Runnable(body))
        return context

    def _finish(
        self, callback: Callable[..., None] | None, *args: Any, report: BaseException | None = None,
    ) -> None:
        self._running -= 1
        if callback is not None:
            callback(*args)
        elif report is not None:
            log.error("background task failed", exc_info=report)

    def run_with_progress(
        self,
        parent: QWidget | None,
        label: str,
        work: Callable[[TaskContext], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        lane: str = "write",
    ) -> TaskContext:
        """Like `run`, with a modal progress dialog whose Cancel button cancels the work."""
        dialog = QProgressDialog(label, self.tr("انصراف"), 0, 0, parent)
        dialog.setWindowTitle(label)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)

        def progress(done: int, total: int) -> None:
            if dialog.maximum() != total:
                dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)

        def closing(callback: Callable[..., None] | None) -> Callable[..., None]:
            def finish(*args: Any) -> None:
                dialog.close()
                dialog.deleteLater()
                if callback is not None:
                    callback(*args)
            return finish

        context = self.run(
            work, on_done=closing(on_done), on_error=closing(on_error),
            on_cancelled=closing(on_cancelled), on_progress=progress, lane=lane,
        )
        dialog.canceled.connect(context.cancel)
        dialog.canceled.connect(lambda: dialog.setLabelText(self.tr("در حال توقف…")))
        return context

    def post(self, closure: Callable[[], None]) -> None:
        """Queue `closure` to run on the GUI thread; safe to call from any thread."""
        with self._lock:
            self._closures.append(closure)
        self._sig_closures_pending.emit()

    @Slot()
    def _on_closures_pending(self) -> None:
        with self._lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            try:
                closure()
            except Exception:
                log.exception("a background task's callback failed")

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Block until both lanes are idle and their callbacks ran (tests, shutdown)."""
        ok = self._read_pool.waitForDone(timeout_ms) and self._write_pool.waitForDone(timeout_ms)
        self._on_closures_pending()
        return ok

    def shutdown(self) -> None:
        """Refuse new work, clear queued work and wait for running work to finish."""
        self._closed = True
        self._read_pool.clear()
        self._write_pool.clear()
        self.wait_idle()
