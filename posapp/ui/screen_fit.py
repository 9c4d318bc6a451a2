"""Every window and dialog fits the screen it opens on, with its buttons reachable.

Counter screens are small (1366×768 is the most common, touch terminals are 1024×768), so no
window may be sized for a bigger one. `ScreenFitter`, installed once on the application, fits
each top-level window when it is shown: no larger than the screen's available geometry and
moved inside it. `fit_to_screen` does the same for one window, and `screen_room` is the one
place that says how much room a widget's screen has.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

NOT_FITTED = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)


def screen_room(widget: QWidget) -> QRect:
    """The available geometry (without task bars) of the screen `widget` is on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_size(wanted: QSize, room: QRect) -> QSize:
    return QSize(min(wanted.width(), room.width()), min(wanted.height(), room.height()))


def fit_to_screen(window: QWidget) -> None:
    """Shrink `window` (its frame included) to its screen's available room and move it inside."""
    room = screen_room(window)
    frame = window.frameGeometry()
    extra = QSize(frame.width() - window.width(), frame.height() - window.height())
    inner_room = QRect(room.topLeft(), room.size() - extra)
    size = fitted_size(window.size(), inner_room)
    if size != window.size():
        window.resize(size)
    frame = window.frameGeometry()
    x = min(max(frame.x(), room.left()), room.right() + 1 - frame.width())
    y = min(max(frame.y(), room.top()), room.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


class ScreenFitter(QObject):
    """Application-wide event filter: each top-level window is fitted as it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched.windowType() not in NOT_FITTED
            and not watched.isMaximized()
            and not watched.isFullScreen()
        ):
            fit_to_screen(watched)
        return False
