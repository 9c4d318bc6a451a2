"""What a cashier sees at a given screen size: texts that do not fit their room, windows that do
not fit the screen, and the screen itself (a counter monitor, simulated on the offscreen platform).

The offscreen platform has one 800×800 screen; `counter_screen` makes every `QScreen` report the
counter monitor's available geometry instead, which is what posapp asks when it sizes a window
(posapp.ui.screen_fit.screen_room). Windows are then set to that geometry, as maximised.
"""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QScreen
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionFrame,
    QToolButton,
    QWidget,
)

from posapp.ui.fitting_label import FittingLabel
from posapp.ui.forms import LINE_EDIT_MARGIN


@contextmanager
def counter_screen(monkeypatch, width: int, height: int):
    room = QRect(0, 0, width, height)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(room))
    yield room


def maximise(window: QWidget, room: QRect) -> None:
    """What a maximised window on that screen is: its frame is the available geometry."""
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.setGeometry(room)
    QApplication.processEvents()
    frame, inner = window.frameGeometry(), window.geometry()
    window.setGeometry(room.adjusted(inner.left() - frame.left(), inner.top() - frame.top(),
                                     inner.right() - frame.right(), inner.bottom() - frame.bottom()))
    QApplication.processEvents()


def _visible(widget: QWidget, root: QWidget) -> bool:
    """Shown and not covered (a dock tabbed behind another is "visible" but parked off-screen)."""
    return widget.isVisibleTo(root) and widget.isVisible() and not widget.visibleRegion().isEmpty()


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or label.wordWrap() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and QtGui_Qt.mightBeRichText(text)):
        return None
    font = label.drawn_font() if isinstance(label, FittingLabel) else label.font()
    metrics = QFontMetrics(font)
    room = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0)
    needed = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    return f"label «{text}» needs {needed} px, has {room}" if needed > room else None


def _button_problem(button: QAbstractButton) -> str | None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text or (isinstance(button, QToolButton) and button.toolButtonStyle() == \
            Qt.ToolButtonStyle.ToolButtonIconOnly):
        return None
    wanted = button.sizeHint().width()
    return f"button «{text}» needs {wanted} px, has {button.width()}" if button.width() < wanted else None


def _line_edit_problem(edit: QLineEdit) -> str | None:
    text = edit.displayText() or edit.placeholderText()
    if not text:
        return None
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    side_widgets = sum(child.width() for child in edit.findChildren(QWidget)
                       if child.isVisible() and child.parent() is edit)
    room = contents.width() - margins.left() - margins.right() - 2 * LINE_EDIT_MARGIN - side_widgets
    needed = edit.fontMetrics().horizontalAdvance(text)
    return f"line edit «{text}» needs {needed} px, has {room}" if needed > room else None


def overflowing_texts(root: QWidget) -> list[str]:
    """Every visible label, button and line edit under `root` whose text is wider than its room
    (texts that wrap, and amounts that shrink to fit, are measured as they are drawn)."""
    problems = []
    for widget in (root, *root.findChildren(QWidget)):
        if not _visible(widget, root):
            continue
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        elif isinstance(widget, QLineEdit):
            problem = _line_edit_problem(widget)
        else:
            continue
        if problem:
            problems.append(f"{widget.objectName() or type(widget).__name__}: {problem}")
    return problems


def outside_the_screen(window: QWidget, room: QRect) -> list[str]:
    """The window's frame and each of its visible buttons must lie inside `room`."""
    problems = []
    if not room.contains(window.frameGeometry()):
        problems.append(f"window {window.objectName()} {window.frameGeometry()} is not inside {room}")
    for button in window.findChildren(QAbstractButton):
        if not _visible(button, window):
            continue
        rect = QRect(button.mapToGlobal(button.rect().topLeft()), button.size())
        if not room.contains(rect):
            problems.append(f"button «{button.text()}» at {rect} is off the screen {room}")
    return problems
