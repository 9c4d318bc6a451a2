"""The F1 overlay: every action and its keys, drawn over the main window; any key closes it.

It reads the one action table (posapp.ui.actions), so what it lists is what the keys do.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from posapp.ui.actions import ACTIONS, MENUS, shortcut_text, translated


class HelpOverlay(QWidget):
    """A dimmed layer covering its parent with a panel of shortcuts. Shown with `toggle()`."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        panel = QFrame(self)
        panel.setObjectName("helpPanel")
        grid = QGridLayout(panel)
        title = QLabel(self.tr("کلیدهای میان‌بر"))
        title.setObjectName("helpTitle")
        grid.addWidget(title, 0, 0, 1, 4)
        menu_names = dict(MENUS)
        per_column = (len(ACTIONS) + 1) // 2
        self.rows: list[tuple[str, str]] = []
        last_menu = ""
        for position, spec in enumerate(ACTIONS):
            block, row = divmod(position, per_column)
            label = QLabel(translated(spec.label))
            if spec.menu != last_menu:
                label.setToolTip(translated(menu_names[spec.menu]))
                last_menu = spec.menu
            keys = QLabel(shortcut_text(spec))
            keys.setObjectName("helpKeys")
            keys.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(keys, row + 1, block * 2)
            grid.addWidget(label, row + 1, block * 2 + 1)
            self.rows.append((spec.id, keys.text()))
        hint = QLabel(self.tr("برای بستن هر کلیدی را بزنید"))
        hint.setObjectName("helpHint")
        grid.addWidget(hint, per_column + 2, 0, 1, 4)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignCenter)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 24, 32, 170))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.hide()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
        event.accept()
