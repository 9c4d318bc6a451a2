"""The one search-as-you-type list pane: a search field whose typing is debounced, a table over
the service's SQL paging, and the selected row. The products and customers panes subclass it
with their columns, actions and what they show below the table."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

from posapp.ui.paged_model import Column, PagedTableModel, configure_list_view

FILTER_DELAY_MS = 150
"""How long typing must pause before the list is filtered again."""

RowT = TypeVar("RowT")
RowT_co = TypeVar("RowT_co", covariant=True)


class PagedSource(Protocol[RowT_co]):
    """What a service offers a list pane (see services/_paging.PagedListing)."""

    def count(self, text: str = "") -> int: ...

    def page(self, text: str, offset: int, limit: int) -> Sequence[RowT_co]: ...


class SearchPane(QWidget, Generic[RowT]):
    """`search_field` above `table` (over `model`) in `list_layout`; subclasses give their
    `_columns()` and `_placeholder()` and add their widgets below. `refresh()` re-runs the search
    (after a pause in typing, or after a change) and then calls `_on_refreshed()`; `selected()`
    is the current row or None. Everything runs on the GUI thread: a count and a page are one
    indexed query each."""

    def __init__(self, source: PagedSource[RowT], *, names: tuple[str, str, str], stretch_column: int,
                 table_stretch: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pane_name, search_name, table_name = names
        self.setObjectName(pane_name)
        self._source = source
        self.search_field = QLineEdit()
        self.search_field.setObjectName(search_name)
        self.search_field.setPlaceholderText(self._placeholder())
        self.search_field.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.refresh)
        self.search_field.textEdited.connect(lambda _text: self._filter_timer.start())
        self.model: PagedTableModel[RowT] = PagedTableModel(
            self._columns(), lambda: source.count(""), lambda offset, limit: source.page("", offset, limit),
        )
        self.table = QTableView()
        self.table.setObjectName(table_name)
        self.table.setModel(self.model)
        configure_list_view(self.table, stretch_column=stretch_column)
        self.list_layout = QVBoxLayout(self)
        self.list_layout.addWidget(self.search_field)
        self.list_layout.addWidget(self.table, table_stretch)
        self.setFocusProxy(self.search_field)

    @abstractmethod
    def _columns(self) -> Sequence[Column[RowT]]:
        """The table's columns (headers already translated)."""

    @abstractmethod
    def _placeholder(self) -> str:
        """The search field's hint: what the search looks in."""

    def refresh(self) -> None:
        text = self.search_field.text().strip()
        source = self._source
        self.model.set_source(lambda: source.count(text),
                              lambda offset, limit: source.page(text, offset, limit))
        self._on_refreshed()

    def _on_refreshed(self) -> None:
        """Called after every refresh: update what depends on the list (a count, details)."""

    def selected(self) -> RowT | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None
