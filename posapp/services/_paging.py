"""The one way a service lists a filtered table page by page: how many rows match a search,
their ids in list order, and one page of them as frozen views (what the UI's paged models use).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Connection, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute

from posapp.storage.engine import Database

View = TypeVar("View")


class PagedListing(ABC, Generic[View]):
    """`count`, `ids` and `page` over `_filtered(text)` in `LIST_ORDER`. Each call opens its own
    connection, so it is safe from any thread."""

    LIST_ORDER: ClassVar[tuple[InstrumentedAttribute[Any], ...]]
    """The list's order; it ends with the id so pages never overlap."""

    _db: Database

    @abstractmethod
    def _filtered(self, text: str) -> Select[int]:
        """The ids matching the search `text` ("" for all), unordered."""

    @staticmethod
    @abstractmethod
    def _views(connection: Connection, ids: Sequence[int]) -> list[View]:
        """Views of `ids` in the same order, leaving out ids that no longer exist."""

    def count(self, text: str = "") -> int:
        with self._db.connect() as connection:
            subquery = self._filtered(text).subquery()
            return int(connection.execute(select(func.count()).select_from(subquery)).scalar_one())

    def ids(self, text: str = "") -> list[int]:
        """Ids of every row matching `text`, in list order: what a lazy table model holds."""
        with self._db.connect() as connection:
            return list(connection.execute(self._filtered(text).order_by(*self.LIST_ORDER)).scalars())

    def page(self, text: str, offset: int, limit: int) -> list[View]:
        with self._db.connect() as connection:
            statement = self._filtered(text).order_by(*self.LIST_ORDER).offset(offset).limit(limit)
            return self._views(connection, list(connection.execute(statement).scalars()))
