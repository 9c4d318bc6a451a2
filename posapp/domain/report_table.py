"""A report as plain tables: what the spreadsheet, CSV, text and PDF outputs are written from.

Cells hold typed values (Decimal Rial, Decimal quantities and rates, ints, dates, text); each
output formats them its own way. Titles come in Persian and English; a document is written in
one language, chosen by whoever writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

Cell = str | int | Decimal | date | None


class CellKind(StrEnum):
    TEXT = "text"
    AMOUNT = "amount"
    """Whole Rial."""
    QUANTITY = "quantity"
    COUNT = "count"
    RATE = "rate"
    """A fraction (0.10 for 10%)."""
    DATE = "date"
    """A Gregorian date, shown in the Jalali calendar."""


@dataclass(frozen=True)
class TableColumn:
    key: str
    title_fa: str
    title_en: str
    kind: CellKind = CellKind.TEXT

    def title(self, language: str) -> str:
        return self.title_fa if language == "fa" else self.title_en


@dataclass(frozen=True)
class ReportTable:
    title_fa: str
    title_en: str
    columns: tuple[TableColumn, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: tuple[Cell, ...] | None = None
    """A closing row (the first cell is its label), or None."""

    def __post_init__(self) -> None:
        for row in (*self.rows, *((self.totals,) if self.totals else ())):
            if len(row) != len(self.columns):
                raise ValueError(f"a row of {self.title_en!r} has {len(row)} cells for {len(self.columns)} columns")

    def title(self, language: str) -> str:
        return self.title_fa if language == "fa" else self.title_en


@dataclass(frozen=True)
class ReportDocument:
    """One report over one date range: a title, the range, and its tables in reading order."""

    kind: str
    title_fa: str
    title_en: str
    date_from: date
    date_to: date
    till: str | None
    tables: tuple[ReportTable, ...]

    def title(self, language: str) -> str:
        return self.title_fa if language == "fa" else self.title_en
