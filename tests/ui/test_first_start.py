"""Issue 11 item 6: on a first start without a shop name the settings open on the shop's tab."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from posapp.app import PosApplication, ask_for_shop_profile_when_empty
from posapp.settings.shop import SHOP_NAME
from posapp.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import _close


def _first_shown_dialog(qapp, qtbot, store, services):
    """Open the window with the first-start hook; return the tab the modal dialog showed."""
    pos = PosApplication(qapp, store, services, "posapp.sqlite3")
    window = pos.build_window()
    qtbot.addWidget(window)
    ask_for_shop_profile_when_empty(window, store)
    seen: list[object] = []
    polls = iter(range(15))
    polling_done: list[bool] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, SettingsDialog):
            seen.append(dialog.tabs.currentWidget() is dialog.shop_form)
            dialog.reject()
            polling_done.append(True)
        elif next(polls, None) is not None:
            QTimer.singleShot(20, close_dialog)
        else:
            polling_done.append(True)

    QTimer.singleShot(20, close_dialog)
    window.show()
    qtbot.waitExposed(window)
    # Wait for the last poll itself, not a fixed time: on a loaded machine fifteen
    # 20 ms polls can take longer than any fixed wait, and a poll left pending fails
    # the leak check.
    qtbot.waitUntil(lambda: bool(polling_done), timeout=10_000)
    _close(qapp, pos)
    return seen


def test_an_empty_shop_profile_opens_the_shop_settings(qapp, qtbot, store, services):
    store.set(SHOP_NAME, "")
    assert _first_shown_dialog(qapp, qtbot, store, services) == [True]


def test_a_named_shop_starts_without_the_dialog(qapp, qtbot, store, services):
    assert _first_shown_dialog(qapp, qtbot, store, services) == []
