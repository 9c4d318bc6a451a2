"""A one-line label that shrinks its font until the whole text fits: amounts are never clipped.

Totals, the payable amount and the change to hand back must always be read whole: a clipped or
elided amount reads ten times too small. `FittingLabel` paints its text in the largest font, up
to the one the stylesheet gives it, whose width fits the label's contents rectangle, and asks the
layout only for a small minimum width, so a narrow window shrinks the figure instead of cutting it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyle, QStyleOption, QWidget

MIN_POINT_SIZE = 6.0
STEP = 0.5
MIN_WIDTH_IN_DIGITS = 6
"""Width asked of the layout at least; below the text's natural width the font shrinks."""


class FittingLabel(QLabel):
    """Plain single-line text, shown whole in the largest font that fits (never below 6 pt)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def drawn_font(self) -> QFont:
        """The font the text is painted in at the label's present size."""
        font = QFont(self.font())
        room = self.contentsRect().width()
        size = font.pointSizeF()
        while size > MIN_POINT_SIZE and QFontMetrics(font).horizontalAdvance(self.text()) > room:
            size = max(MIN_POINT_SIZE, size - STEP)
            font.setPointSizeF(size)
        return font

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("0") * MIN_WIDTH_IN_DIGITS),
                     hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        self.drawFrame(painter)
        painter.setFont(self.drawn_font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.text())
        painter.end()
