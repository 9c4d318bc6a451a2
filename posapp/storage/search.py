"""Word-prefix text search over normalised columns: SQLite FTS5, or LIKE on other databases.

Callers pass text already normalised with `posapp.domain.text.normalize_for_search`; every word
must be the prefix of some word of the row ("شیر پاس" finds "شیر پاستوریزه کاله"). This is the
only module that writes SQLite-specific search SQL.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, Select, and_, literal_column, select, table
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import text as sql_text

from posapp.storage.models import CustomerRow, ProductRow
from posapp.storage.search_schema import CUSTOMER_FTS, PRODUCT_FTS

_LIKE_ESCAPE = "\\"

MAX_MATCH_CHAR = "\U0010ffff"
"""Sorts after every other character: `[key, key + MAX_MATCH_CHAR)` is the range of values
starting with key, which an ordinary B-tree index answers on every database."""


def fts_query(words: list[str]) -> str:
    """An FTS5 query where every word is a quoted prefix term (quotes make any input safe)."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def like_escape(word: str) -> str:
    return word.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")


class TextSearch:
    """Builds id queries for products and customers matching normalised words."""

    def __init__(self, dialect_name: str) -> None:
        self.uses_fts = dialect_name == "sqlite"

    def product_ids(self, words: list[str]) -> Select[int]:
        """Ids of products whose normalised name has every word as a word prefix."""
        return self._matching_ids(words, PRODUCT_FTS, ProductRow.id, ProductRow.name_normalized)

    def customer_ids(self, words: list[str]) -> Select[int]:
        """Ids of customers whose search text (name, mobiles, IDs) has every word as a prefix."""
        return self._matching_ids(words, CUSTOMER_FTS, CustomerRow.id, CustomerRow.search_text)

    def _matching_ids(
        self,
        words: list[str],
        fts_table: str,
        id_column: InstrumentedAttribute[int],
        text_column: InstrumentedAttribute[str],
    ) -> Select[int]:
        if self.uses_fts:
            rowid = literal_column("rowid", Integer)
            return (
                select(rowid.label("id"))
                .select_from(table(fts_table))
                .where(sql_text(f"{fts_table} MATCH :fts_query").bindparams(fts_query=fts_query(words)))
                .order_by(rowid)
            )
        return select(id_column).where(self._like_all(words, text_column)).order_by(id_column)

    @staticmethod
    def _like_all(words: list[str], column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
        spaced = " " + column
        return and_(*(spaced.like(f"% {like_escape(word)}%", escape=_LIKE_ESCAPE) for word in words))
