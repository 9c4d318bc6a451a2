"""A read-only table model over a service's SQL paging: the row count plus a page cache.

Big lists (300,000 products, 100,000 customers, 200,000 invoices) are never loaded whole: the
model asks the service for the count, and for a page of rows only when the view paints a row
of it. Pages live in a small LRU cache, so memory stays flat however far the user scrolls.
Filtering happens in SQL: a new filter swaps the source functions and resets the model.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex

ALIGN_START = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
ROW_HEIGHT = 26


def configure_list_view(table: QTableView, stretch_column: int) -> None:
    """The one look of every paged list: whole-row single selection, no row numbers, fixed row
    height, columns sized to what is on screen (never by reading the whole table)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    model = table.model()
    digit_width = table.fontMetrics().horizontalAdvance("0")
    if isinstance(model, PagedTableModel):
        for section, column in enumerate(model.columns):
            if section != stretch_column:
                header.resizeSection(section, max(column.width_chars * digit_width + 16,
                                                  header.sectionSizeHint(section)))


def select_table_row(table: QTableView, row: int) -> None:
    """Select and show `row` of `table`. QTableView.selectRow misses the row in right-to-left
    layouts when the columns fill the viewport exactly, so the selection model is used."""
    index = table.model().index(row, 0)
    if index.isValid():
        table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        table.scrollTo(index)


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its (already translated) header, how a row shows in it, and its starting
    width in digits (columns are never sized by reading rows: that would load the table)."""

    header: str
    text: Callable[[Row], str]
    alignment: int = ALIGN_START
    width_chars: int = 10


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    """Rows come from `fetch_page(offset, limit)`; their number from `count()`.

    Both run on the GUI thread when the view needs them and must be quick (an indexed SQL
    query each). `refresh()` drops the cache after a mutation; `set_source` after a new filter."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        count: Callable[[], int],
        fetch_page: Callable[[int, int], Sequence[Row]],
        *,
        page_size: int = 100,
        max_cached_pages: int = 20,
    ) -> None:
        super().__init__()
        self._columns = tuple(columns)
        self._count_source = count
        self._fetch_page = fetch_page
        self._page_size = page_size
        self._max_cached_pages = max_cached_pages
        self._pages: OrderedDict[int, Sequence[Row]] = OrderedDict()
        self._row_count = max(0, count())

    @property
    def columns(self) -> tuple[Column[Row], ...]:
        return self._columns

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def set_source(self, count: Callable[[], int], fetch_page: Callable[[int, int], Sequence[Row]]) -> None:
        self.beginResetModel()
        self._count_source = count
        self._fetch_page = fetch_page
        self._pages.clear()
        self._row_count = max(0, count())
        self.endResetModel()

    def refresh(self) -> None:
        self.set_source(self._count_source, self._fetch_page)

    def row_at(self, row: int) -> Row | None:
        """The row object at `row`, loading its page if needed; None outside the table."""
        if not 0 <= row < self._row_count:
            return None
        page_number, offset = divmod(row, self._page_size)
        page = self._pages.get(page_number)
        if page is None:
            page = tuple(self._fetch_page(page_number * self._page_size, self._page_size))
            self._pages[page_number] = page
            while len(self._pages) > self._max_cached_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header if 0 <= section < len(self._columns) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self._columns):
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            row = self.row_at(index.row())
            return column.text(row) if row is not None else ""
        if role == Qt.ItemDataRole.ToolTipRole:  # a name cut to the column shows whole on hover
            row = self.row_at(index.row())
            return column.text(row) if row is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
