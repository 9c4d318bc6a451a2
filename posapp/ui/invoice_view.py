"""The invoice editor's table view: a QTableView that repaints only the rows a scan changed.

Qt answers every inserted row with a full items layout that repaints each visible cell, while
appending a line moves nothing above it. Scanning appends a line almost every time, so after an
insert the view lays out the scroll bars, moves the pixels already drawn when the rows shifted
(the last line kept at the bottom), and repaints from the first inserted row down only. Any
other layout request (reset, removal, a new model, a horizontal shift) keeps Qt's full layout.

Moving drawn pixels needs an opaque viewport, which a style-sheet background is not, so the
view paints the viewport's background itself, as Qt would, and declares it opaque. Qt repaints
a row whose selection changed one pixel narrower than it paints it in right-to-left layouts;
the selection's region is widened by that pixel so no sliver of an old selection stays.

A narrow table (a side pane open on a 1024-pixel counter screen) would push the quantity, price
and total off to a horizontal scroll bar; instead the view hides the columns a cashier can spare
(`keep_whole`), in the order given, and shows them again when the room comes back.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QRegion, QResizeEvent
from PySide6.QtWidgets import QStyle, QStyleOption, QTableView

AnyIndex = QModelIndex | QPersistentModelIndex


class InvoiceLinesView(QTableView):
    """A QTableView whose relayout after rows are inserted repaints those rows and below.
    GUI thread only, like every widget."""

    def __init__(self) -> None:
        super().__init__()
        self._inserted_from: int | None = None
        self._row_count_after_insert = -1
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._spare: tuple[int, ...] = ()
        self._stretch_column = -1
        self._stretch_minimum = 0
        self._widths: dict[int, int] = {}
        """The width each spare column had when last shown (a hidden section measures 0)."""

    def keep_whole(self, spare: Sequence[int], stretch_column: int, stretch_minimum: int) -> None:
        """When the viewport is too narrow for every column, hide the `spare` columns, first
        the first, until the others fit beside `stretch_column` at least `stretch_minimum`
        pixels wide; nothing then scrolls sideways."""
        self._spare = tuple(spare)
        self._stretch_column = stretch_column
        self._stretch_minimum = stretch_minimum
        self.fit_columns()

    def fit_columns(self) -> None:
        """Hide or show the spare columns for the viewport's width now."""
        model = self.model()
        if model is None or not self._spare:
            return
        header = self.horizontalHeader()
        for column in self._spare:
            if not self.isColumnHidden(column):
                self._widths[column] = header.sectionSize(column)

        def width(column: int) -> int:
            return self._widths.get(column, 0) if column in self._spare else header.sectionSize(column)

        others = [column for column in range(model.columnCount()) if column != self._stretch_column]
        needed = sum(width(column) for column in others) + self._stretch_minimum
        hidden: set[int] = set()
        for column in self._spare:
            if needed <= self.viewport().width():
                break
            hidden.add(column)
            needed -= width(column)
        for column in self._spare:
            if self.isColumnHidden(column) != (column in hidden):
                self.setColumnHidden(column, column in hidden)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The viewport's resize (QAbstractScrollArea passes it here)."""
        super().resizeEvent(event)
        self.fit_columns()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The background Qt paints under a non-opaque viewport (its palette brush, then the
        style's widget background), then the cells; the painter is clipped to the update."""
        viewport = self.viewport()
        painter = QPainter(viewport)
        painter.fillRect(event.rect(), viewport.palette().brush(viewport.backgroundRole()))
        option = QStyleOption()
        option.initFrom(viewport)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, viewport)
        painter.end()
        super().paintEvent(event)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:
        region = QRegion()
        for rect in super().visualRegionForSelection(selection):
            region += rect.adjusted(-1, 0, 1, 0)
        return region

    def rowsInserted(self, parent: AnyIndex, start: int, end: int) -> None:
        super().rowsInserted(parent, start, end)
        model = self.model()
        if parent.isValid() or model is None:
            return
        self._inserted_from = start if self._inserted_from is None else min(start, self._inserted_from)
        self._row_count_after_insert = model.rowCount()

    def reset(self) -> None:
        self._inserted_from = None
        super().reset()

    def rowsAboutToBeRemoved(self, parent: AnyIndex, start: int, end: int) -> None:
        self._inserted_from = None
        super().rowsAboutToBeRemoved(parent, start, end)

    def doItemsLayout(self) -> None:
        first = self._inserted_from
        self._inserted_from = None
        model = self.model()
        if first is None or model is None or model.rowCount() != self._row_count_after_insert:
            super().doItemsLayout()
            return
        vertical_offset = self.verticalHeader().offset()
        horizontal_offset = self.horizontalHeader().offset()
        self.updateGeometries()
        viewport = self.viewport()
        if horizontal_offset != self.horizontalHeader().offset():
            viewport.update()
            return
        shift = vertical_offset - self.verticalHeader().offset()
        if shift:
            viewport.scroll(0, shift)  # moves child widgets too: put open cell editors back
            self.updateEditorGeometries()
        top = max(self.rowViewportPosition(first), 0) if first < model.rowCount() else viewport.height()
        if top < viewport.height():
            viewport.update(QRect(0, top, viewport.width(), viewport.height() - top))
