"""The GUI leak checks (tests/support/qt_leaks.py) fail a test that leaves a timer, a thread or a
background task running, and pass one that cleans up after itself."""

from __future__ import annotations

from pathlib import Path

CONFTEST = (Path(__file__).resolve().parents[1] / "conftest.py").read_text(encoding="utf-8")


def run(pytester, source: str):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_leaky=source)
    return pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:randomly")


def test_a_timer_left_active_fails_the_test_and_is_stopped(pytester):
    result = run(pytester, """
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QWidget

        class Ticking(QWidget):
            def __init__(self):
                super().__init__()
                self.timer = QTimer(self)
                self.timer.start(60_000)

        def test_widget_keeps_ticking_after_close(qtbot):
            widget = Ticking()
            qtbot.addWidget(widget)
            test_widget_keeps_ticking_after_close.widget = widget

        def test_it_was_stopped_and_its_widget_deleted():
            import shiboken6
            assert not shiboken6.isValid(test_widget_keeps_ticking_after_close.widget)

        def test_stopped_on_time(qtbot):
            widget = Ticking()
            qtbot.addWidget(widget)
            widget.timer.stop()
    """)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*left work running*", "*QTimer still active (interval 60000 ms)*test_leaky.py:8*"])


def test_closed_widgets_are_deleted_before_the_next_test(pytester):
    """Widgets pile up otherwise (nothing returns to an event loop to carry out their
    deleteLater), and every later style change and layout walk pays for all of them."""
    result = run(pytester, """
        from PySide6.QtWidgets import QApplication, QWidget

        kept = []  # as an application object, a signal connection or a cycle would keep it

        def test_one(qtbot):
            kept.append(QWidget())
            qtbot.addWidget(kept[-1])

        def test_two(qapp):
            assert QApplication.allWidgets() == []
    """)
    result.assert_outcomes(passed=2)


def test_a_pending_single_shot_fails_the_test_and_never_fires(pytester):
    result = run(pytester, """
        from PySide6.QtCore import QObject, QTimer

        fired = []

        def test_schedules_and_leaves(qtbot):
            QTimer.singleShot(300, lambda: fired.append("late"))

        def test_its_receiver_gone_is_no_leak(qtbot):
            context = QObject()
            QTimer.singleShot(60_000, context, lambda: fired.append("never"))
            context.deleteLater()
            del context
            qtbot.wait(10)

        def test_fired_in_time(qtbot):
            QTimer.singleShot(0, lambda: fired.append("now"))
            qtbot.waitUntil(lambda: "now" in fired)

        def test_the_leaked_one_stayed_silent(qtbot):
            qtbot.wait(400)
            assert fired == ["now"]
    """)
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["*QTimer.singleShot not yet fired, scheduled at *test_leaky.py:6*"])


def test_a_thread_left_running_fails_the_test(pytester):
    result = run(pytester, """
        import threading
        from PySide6.QtCore import QThread

        class Sleeper(QThread):
            def run(self):
                self.msleep(2500)

        def test_leaves_a_qthread(qtbot):
            thread = Sleeper()
            thread.start()
            test_leaves_a_qthread.thread = thread

        def test_leaves_a_python_thread(qtbot):
            threading.Thread(target=threading.Event().wait, args=(2.5,), name="forgotten",
                             daemon=True).start()

        def test_joins_its_threads(qtbot):
            thread = Sleeper()
            thread.start()
            thread.wait()
            worker = threading.Thread(target=lambda: None)
            worker.start()
            worker.join()

        def test_a_thread_that_is_ending_gets_a_moment(qtbot):
            stop = threading.Event()
            worker = threading.Thread(target=stop.wait, daemon=True)
            worker.start()
            stop.set()

        def test_without_qt_nothing_is_checked():
            threading.Thread(target=threading.Event().wait, args=(0.5,), daemon=True).start()
    """)
    result.assert_outcomes(passed=5, errors=2)
    result.stdout.fnmatch_lines_random([
        "*QThread Sleeper still running, started at *test_leaky.py:10*",
        "*Python thread 'forgotten' still alive*",
    ])


def test_a_task_manager_with_undelivered_work_fails_the_test(pytester):
    result = run(pytester, """
        import threading
        from posapp.ui.tasks import TaskManager

        def test_walks_away_from_its_task(qtbot):
            manager = TaskManager()
            release = threading.Event()
            manager.run(lambda context: release.wait(5))
            test_walks_away_from_its_task.cleanup = (manager, release)

        def test_cleanup():
            manager, release = test_walks_away_from_its_task.cleanup
            release.set()
            manager.shutdown()

        def test_the_shared_fixture_cleans_up(qtbot, tasks):
            tasks.run(lambda context: 42, on_done=lambda value: None)
    """)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*TaskManager has tasks not yet delivered (work started at *test_leaky.py:7*"])
