"""The one way into the background: run work off the GUI thread, get the result back on it.

`TaskManager.run(work, on_done=..., on_error=...)` runs `work` on a pool thread and calls the
callbacks on the GUI thread. `work` receives a `TaskContext` for progress reports and for
checking cancellation; it must never touch a widget. Long, user-visible work goes through
`run_with_progress`, which shows a cancellable progress dialog.

Two lanes: `read` (a small pool for searches and previews) and `write` (one thread, so database
writes from the background never race each other). Modelled on Anki's `aqt/taskman.py` and
Picard's `util/thread.py`: results travel back as closures queued under a lock and drained by a
slot that runs on the GUI thread.

Ownership: a pool only ever gets a plain Python callable (`QThreadPool.start(callable)`), never a
Python `QRunnable` subclass that Qt would auto-delete under its Python wrapper. Each task lives in
the manager's task table from `run` until its callback ran on the GUI thread, and a pool thread
lets go of it before announcing the outcome, so work, results and callbacks (which may hold
widgets) are released on the GUI thread.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot
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


RETURNED, RAISED, STOPPED, SKIPPED = "returned", "raised", "stopped", "skipped"
"""How work ended: it returned, raised, raised TaskCancelled, or never ran because the manager
shut down while it was queued."""


@dataclass(frozen=True)
class _Outcome:
    """How the work ended; `value` is its result or exception, `cancelled` whether the user had
    asked it to stop by then."""

    ending: str
    value: Any = None
    cancelled: bool = False


@dataclass(eq=False)
class _Task:
    """One piece of background work, its GUI-thread callbacks and, once run, its outcome.

    The manager's task table holds it from `run` until its outcome is delivered on the GUI
    thread; a pool thread only borrows it while the work runs and lets go before announcing
    the outcome, so the work, its result and the callbacks (which may hold widgets) are always
    released on the GUI thread."""

    work: Callable[[TaskContext], Any]
    context: TaskContext
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_cancelled: Callable[[], None] | None
    outcome: _Outcome | None = None

    def deliver(self) -> None:
        """On the GUI thread: run the one callback the outcome calls for."""
        outcome = self.outcome
        assert outcome is not None
        if outcome.ending == SKIPPED:
            return
        # work may also stop on a cancel in its own way (a service's CancelledError) or finish
        # regardless; either way a cancelled task reports as cancelled when it can
        if outcome.ending == STOPPED or (outcome.cancelled and self.on_cancelled is not None):
            if self.on_cancelled is not None:
                self.on_cancelled()
        elif outcome.ending == RAISED:
            if self.on_error is not None:
                self.on_error(outcome.value)
            else:
                log.error("background task failed", exc_info=outcome.value)
        elif self.on_done is not None:
            self.on_done(outcome.value)


def _perform(work: Callable[[TaskContext], Any], context: TaskContext) -> _Outcome:
    """Run `work` on the calling pool thread and say how it ended (never raises)."""
    try:
        result = work(context)
    except TaskCancelled:
        return _Outcome(STOPPED, cancelled=True)
    except BaseException as exc:
        log.debug("background task failed", exc_info=True)
        return _Outcome(RAISED, exc, context.cancelled)
    return _Outcome(RETURNED, result, context.cancelled)


class TaskManager(QObject):
    """Runs background work in two lanes and delivers results on the GUI thread.

    Create it on the GUI thread; call `shutdown()` before the application quits (tests too) so
    no worker thread outlives its window."""

    _sig_closures_pending = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._closures: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._tasks: dict[int, _Task] = {}
        self._task_ids = itertools.count(1)
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(2)
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._closed = False
        self._sig_closures_pending.connect(
            self._on_closures_pending, Qt.ConnectionType.QueuedConnection,
        )

    @property
    def busy(self) -> bool:
        with self._lock:
            return bool(self._tasks)

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
        task_id = next(self._task_ids)
        with self._lock:
            self._tasks[task_id] = _Task(work, context, on_done, on_error, on_cancelled)
        pool = self._write_pool if lane == "write" else self._read_pool
        pool.start(functools.partial(self._execute, task_id))
        return context

    def _execute(self, task_id: int) -> None:
        """On a pool thread: run the task's work unless the manager shut down meanwhile, keep
        the outcome on the task, drop this thread's reference, then hand over to the GUI."""
        with self._lock:
            task = self._tasks[task_id]
        task.outcome = _Outcome(SKIPPED) if self._closed else _perform(task.work, task.context)
        del task
        self.post(functools.partial(self._deliver, task_id))

    def _deliver(self, task_id: int) -> None:
        """On the GUI thread: forget the task and run its callback."""
        with self._lock:
            task = self._tasks.pop(task_id)
        task.deliver()

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
        """Refuse new work, skip queued work and wait for running work to finish (its
        callbacks run; queued work that was skipped calls none)."""
        self._closed = True
        self.wait_idle()
