"""The invoice editor's table view: a QTableView that repaints only the rows a scan changed.

Qt answers every inserted row with a full items layout that repaints each visible cell, while
appending a line moves nothing above it. Scanning appends a line almost every time, so the view
lays out the scroll bars and repaints from the first inserted row down only. Any other layout
request (reset, removal, a new model) keeps Qt's full layout.
A vertical scroll repaints the whole viewport: Qt's per-item scrolling moves the pixels already
drawn by amounts that only the full repaint of its own layout used to correct.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect
from PySide6.QtWidgets import QTableView

AnyIndex = QModelIndex | QPersistentModelIndex


class InvoiceLinesView(QTableView):
    """A QTableView whose relayout after rows are inserted repaints those rows and below."""

    def __init__(self) -> None:
        super().__init__()
        self._inserted_from: int | None = None
        self._row_count_after_insert = -1

    def rowsInserted(self, parent: AnyIndex, start: int, end: int) -> None:
        super().rowsInserted(parent, start, end)
        model = self.model()
        if parent.isValid() or model is None:
            return
        first = start if self._inserted_from is None else min(start, self._inserted_from)
        self._inserted_from = first
        self._row_count_after_insert = model.rowCount()

    def reset(self) -> None:
        self._inserted_from = None
        super().reset()

    def rowsAboutToBeRemoved(self, parent: AnyIndex, start: int, end: int) -> None:
        self._inserted_from = None
        super().rowsAboutToBeRemoved(parent, start, end)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if dy:
            self.viewport().update()

    def doItemsLayout(self) -> None:
        first = self._inserted_from
        self._inserted_from = None
        model = self.model()
        if first is None or model is None or model.rowCount() != self._row_count_after_insert:
            super().doItemsLayout()
            return
        # What QTableView's own layout does, without repainting the rows above `first`.
        self.updateGeometries()
        viewport = self.viewport()
        top = max(self.rowViewportPosition(first), 0) if first < model.rowCount() else viewport.height()
        if top < viewport.height():
            viewport.update(QRect(0, top, viewport.width(), viewport.height() - top))
