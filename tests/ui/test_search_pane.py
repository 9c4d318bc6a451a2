"""The shared search pane: typing filters (after a pause), the list pages through its source."""

from __future__ import annotations

from posapp.ui.paged_model import Column
from posapp.ui.search_pane import SearchPane
from tests.ui.keys import type_text


class _Words:
    """A source over a list of words that records each page it is asked for."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.pages: list[tuple[str, int, int]] = []

    def _matching(self, text: str) -> list[str]:
        return [word for word in self.words if text in word]

    def count(self, text: str = "") -> int:
        return len(self._matching(text))

    def page(self, text: str, offset: int, limit: int) -> list[str]:
        self.pages.append((text, offset, limit))
        return self._matching(text)[offset:offset + limit]


class _WordsPane(SearchPane[str]):
    def _columns(self) -> list[Column[str]]:
        return [Column("word", lambda word: word)]

    def _placeholder(self) -> str:
        return "word"


def _pane(source: _Words, qtbot) -> SearchPane[str]:
    pane = _WordsPane(source, names=("pane", "search", "table"), stretch_column=0)
    qtbot.addWidget(pane)
    return pane


def test_typing_filters_after_a_pause_and_selection_reads_the_row(qtbot):
    source = _Words([f"item{n:04d}" for n in range(1000)] + ["other"])
    pane = _pane(source, qtbot)
    assert pane.model.rowCount() == 1001
    assert pane.selected() is None
    type_text(pane.search_field, "item09")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 100)
    assert source.count("item09") == 100
    pane.table.setCurrentIndex(pane.model.index(42, 0))
    assert pane.selected() == "item0942"


def test_far_rows_load_their_own_page_only(qtbot):
    source = _Words([f"w{n:05d}" for n in range(5000)])
    pane = _pane(source, qtbot)
    assert pane.model.row_at(4321) == "w04321"
    assert source.pages[-1] == ("", 4300, 100)

