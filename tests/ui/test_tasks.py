"""The background-task helper's ownership and lifecycle rules: what a task holds is let go on
the GUI thread, every task ends in exactly one callback, and shutdown skips queued work."""

from __future__ import annotations

import threading
import weakref

import pytest

from posapp.ui.tasks import TaskManager

TASKS = 60


class Held:
    """Something a task's work, result or error refers to (a widget, in real code)."""


def test_work_results_errors_and_callbacks_are_released_on_the_gui_thread(qtbot, tasks):
    gui_thread = threading.get_ident()
    released_on: list[int] = []
    delivered: list[bool] = []

    def start(index: int) -> None:
        held = Held()
        weakref.finalize(held, lambda: released_on.append(threading.get_ident()))

        def work(context):
            if index % 2:
                raise ValueError(held)
            return held

        tasks.run(work, on_done=lambda value: delivered.append(value is held),
                  on_error=lambda error: delivered.append(error.args[0] is held),
                  lane="write" if index % 3 else "read")

    for index in range(TASKS):
        start(index)
    qtbot.waitUntil(lambda: len(delivered) == TASKS, timeout=10_000)
    assert all(delivered)
    assert not tasks.busy
    qtbot.waitUntil(lambda: len(released_on) == TASKS, timeout=5_000)
    assert set(released_on) == {gui_thread}


def test_shutdown_finishes_running_work_and_skips_queued_work(qtbot):
    manager = TaskManager()
    release = threading.Event()
    started = threading.Event()
    outcome: list[str] = []
    ran: list[str] = []

    def running(context):
        started.set()
        release.wait(5)
        ran.append("running")
        return "running"

    def queued(context):
        ran.append("queued")
        return "queued"

    manager.run(running, on_done=outcome.append, lane="write")
    manager.run(queued, on_done=outcome.append, on_error=outcome.append,
                on_cancelled=lambda: outcome.append("cancelled"), lane="write")
    assert started.wait(5)
    threading.Timer(0.2, release.set).start()
    manager.shutdown()
    assert ran == ["running"]
    assert outcome == ["running"]
    assert not manager.busy
    with pytest.raises(RuntimeError):
        manager.run(queued)


def test_cancelled_work_that_finishes_anyway_reports_as_cancelled_when_it_can(qtbot, tasks):
    outcome: list[object] = []

    def ignores_cancel(context):
        context.cancel()
        return "finished"

    def fails_after_cancel(context):
        context.cancel()
        raise LookupError("stopped its own way")

    tasks.run(ignores_cancel, on_done=outcome.append, on_cancelled=lambda: outcome.append("cancelled"))
    tasks.run(ignores_cancel, on_done=outcome.append)
    tasks.run(fails_after_cancel, on_error=outcome.append, on_cancelled=lambda: outcome.append("stopped"))
    qtbot.waitUntil(lambda: len(outcome) == 3, timeout=5_000)
    assert sorted(map(str, outcome)) == ["cancelled", "finished", "stopped"]


def test_progress_reports_reach_the_gui_before_the_result(qtbot, tasks):
    seen: list[object] = []

    def work(context):
        for step in range(1, 4):
            context.report(step, 3)
        return "done"

    tasks.run(work, on_done=seen.append, on_progress=lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(lambda: "done" in seen, timeout=5_000)
    assert seen[-1] == "done"
    assert seen[-2] == (3, 3)
