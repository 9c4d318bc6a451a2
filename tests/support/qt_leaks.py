"""Leak checks for GUI tests, after napari's `dangling_qthreads`, `dangling_qtimers` and
`dangling_qthread_pool`: a test that uses `qapp` (or `qtbot`) fails when, once it and its
fixtures have torn down, something it started is still going:

- a QThread started during the test is still running;
- a QTimer started during the test is still active, or a `QTimer.singleShot` it scheduled has not
  fired yet (its receiver still alive);
- a QThreadPool it started work on still has work running, or a `TaskManager` (ui/tasks.py) still
  has a task whose callback has not run on the GUI thread;
- a Python thread started during the test is still alive.

Widgets the test gave to `qtbot.addWidget` are closed before the check, so a widget whose timer
outlives `close()` is caught. Threads get `GRACE_SECONDS` to finish (one told to stop but not yet
joined is not a leak; one nobody stopped is). The failure names the line that started each thing;
leaked timers are stopped and leaked single shots disarmed, so one leak does not spill over into
the next test.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

GRACE_SECONDS = 1.0
"""How long a thread still alive at the check may take to end before it counts as leaked."""

_ROOTS = tuple(str(Path(__file__).resolve().parents[2] / name) for name in ("posapp", "tests"))
_HERE = str(Path(__file__).resolve())

_QUARANTINE: list[Any] = []
"""Leaked QThreads are kept referenced: Qt aborts the process when a running QThread is destroyed."""


def calling_place() -> str:
    """The innermost posapp or test line on the stack outside this module, and the test line
    that led to it when that differs."""
    frame = sys._getframe(1)
    places: list[str] = []
    while frame is not None:
        name = frame.f_code.co_filename
        test_file = os.path.basename(name).startswith(("test_", "conftest"))
        if name != _HERE and (test_file or name.startswith(_ROOTS)):
            places.append(f"{name}:{frame.f_lineno}")
            if test_file:
                break
        frame = frame.f_back
    if not places:
        return "an unknown place"
    return places[0] if len(places) == 1 else f"{places[0]} (from {places[-1]})"


class _Shot:
    """A `QTimer.singleShot` callback that knows whether it fired, and can be disarmed."""

    def __init__(self, callback: Callable[..., Any], context: Any, where: str) -> None:
        self.callback = callback
        self.context = weakref.ref(context) if context is not None else None
        self.where = where
        self.fired = False
        self.disarmed = False

    def __call__(self, *args: Any) -> Any:
        self.fired = True
        if not self.disarmed:
            return self.callback(*args)
        return None

    def pending(self) -> bool:
        import shiboken6

        if self.fired:
            return False
        if self.context is None:
            return True
        context = self.context()  # Qt drops the shot with its context object
        return context is not None and shiboken6.isValid(context)


class QtLeakWatch:
    """Records what a test starts (through patched QThread.start, QTimer.start,
    QTimer.singleShot and QThreadPool.start) and says afterwards what is still going."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from PySide6.QtCore import QThread, QThreadPool, QTimer

        self.threads_before = set(threading.enumerate())
        self.qthreads: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self.timers: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self.pools: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self.shots: list[_Shot] = []
        gui_thread = threading.main_thread()
        watch = self

        real_thread_start = QThread.start
        real_timer_start = QTimer.start
        real_single_shot = QTimer.singleShot
        real_pool_start = QThreadPool.start

        @functools.wraps(real_thread_start)
        def thread_start(self: Any, *args: Any) -> Any:
            watch.qthreads[self] = calling_place()
            return real_thread_start(self, *args)

        @functools.wraps(real_timer_start)
        def timer_start(self: Any, *args: Any) -> Any:
            watch.timers[self] = calling_place()
            return real_timer_start(self, *args)

        def single_shot(msec: Any, *args: Any) -> Any:
            callback = args[-1] if args else None
            if threading.current_thread() is not gui_thread or not callable(callback):
                return real_single_shot(msec, *args)  # a receiver's slot by name, or another thread
            context = next((a for a in args[:-1] if hasattr(a, "metaObject")), None)
            shot = _Shot(callback, context, calling_place())
            watch.shots.append(shot)
            return real_single_shot(msec, *args[:-1], shot)

        @functools.wraps(real_pool_start)
        def pool_start(self: Any, *args: Any, **kwargs: Any) -> Any:
            watch.pools.setdefault(self, calling_place())
            return real_pool_start(self, *args, **kwargs)

        monkeypatch.setattr(QThread, "start", thread_start)
        monkeypatch.setattr(QTimer, "start", timer_start)
        monkeypatch.setattr(QTimer, "singleShot", staticmethod(single_shot))
        monkeypatch.setattr(QThreadPool, "start", pool_start)

    def leaks(self) -> list[str]:
        """What is still going, each with where it started; stops timers and disarms shots."""
        from posapp.ui.tasks import TaskManager

        found: list[str] = []
        deadline = time.monotonic() + GRACE_SECONDS

        def remaining_ms() -> int:
            return max(0, int((deadline - time.monotonic()) * 1000))

        for thread, where in list(self.qthreads.items()):
            if _alive(thread) and thread.isRunning() and not thread.wait(remaining_ms()):
                found.append(f"QThread {type(thread).__name__} still running, started at {where}")
                thread.quit()
                _QUARANTINE.append(thread)
        for pool, where in list(self.pools.items()):
            if not _alive(pool):
                continue
            owner = pool.parent()
            if isinstance(owner, TaskManager) and owner.busy:
                found.append(f"TaskManager has tasks not yet delivered (work started at {where}); "
                             "shut it down or wait_idle() before the test ends")
            elif pool.activeThreadCount() and not pool.waitForDone(remaining_ms()):
                found.append(f"QThreadPool still running work started at {where}")
        for timer, where in list(self.timers.items()):
            if _alive(timer) and timer.isActive():
                found.append(f"QTimer still active (interval {timer.interval()} ms), started at {where}")
                timer.stop()
        for shot in self.shots:
            if shot.pending():
                found.append(f"QTimer.singleShot not yet fired, scheduled at {shot.where}")
                shot.disarmed = True
        for thread in threading.enumerate():
            if thread in self.threads_before or isinstance(thread, threading._DummyThread):
                continue  # dummies are Qt's own pool threads, checked above
            thread.join(remaining_ms() / 1000)
            if thread.is_alive():
                found.append(f"Python thread {thread.name!r} still alive (target "
                             f"{_target_name(thread)}); join it before the test ends")
        return found


def _alive(qobject: Any) -> bool:
    import shiboken6

    return shiboken6.isValid(qobject)


def _target_name(thread: threading.Thread) -> str:
    target = getattr(thread, "_target", None)
    return getattr(target, "__qualname__", repr(target))


@pytest.fixture(autouse=True)
def qt_leak_check(request: pytest.FixtureRequest) -> Iterator[QtLeakWatch | None]:
    """For tests that use Qt: fail the test that left a thread, timer or background task going."""
    if "qapp" not in request.fixturenames:
        yield None
        return
    monkeypatch = pytest.MonkeyPatch()
    try:
        watch = QtLeakWatch(monkeypatch)
        yield watch
    finally:
        monkeypatch.undo()
    try:
        leaks = watch.leaks()
    finally:
        delete_closed_widgets()
    if leaks:
        pytest.fail("the test left work running:\n  " + "\n  ".join(leaks), pytrace=False)


def delete_closed_widgets() -> None:
    """Carry out the `deleteLater` of the widgets the test closed (pytest-qt asks for it; the
    tests never return to an event loop that would do it). Left alive, every window of every
    earlier test is re-polished at each style change and walked by each layout check, and a
    test file's run time grows with the square of its length."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
