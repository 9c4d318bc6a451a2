"""Column types that keep money and quantities exact on every database, and times in UTC.

SQLAlchemy's `Numeric` round-trips through float on SQLite, so Decimals are stored as scaled
integers instead: whole Rial for amounts, thousandths for quantities, millionths for rates.
Comparisons and sums in SQL stay correct because the scale of a column never changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as the integer `value * 10**places`. Refuses (never rounds) a value with
    more decimal places than the column holds, so nothing is silently lost."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places

    def to_storage(self, value: Decimal | int | None) -> int | None:
        if value is None:
            return None
        if type(value) is int:
            return int(value) * int(10**self.places)
        if not isinstance(value, Decimal):
            raise TypeError(f"Decimal columns take Decimal or int values, not {type(value).__name__}")
        scaled = value.scaleb(self.places) if self.places else value
        integral = int(scaled)
        if integral != scaled:
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return integral

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        return self.to_storage(value)

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], int | None]:
        """The integer column needs no further conversion, so bulk writes call `to_storage`
        directly instead of going through TypeDecorator's generic wrapper."""
        return self.to_storage

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places)


def Amount() -> ScaledDecimal:
    """Whole Rial."""
    return ScaledDecimal(0)


def Quantity() -> ScaledDecimal:
    """Quantities up to three decimal places (weighed goods)."""
    return ScaledDecimal(3)


def Rate() -> ScaledDecimal:
    """Fractions below one, such as tax rates (0.10)."""
    return ScaledDecimal(6)


def DiscountValue() -> ScaledDecimal:
    """A discount's value: a Rial amount or a percentage, to three decimal places."""
    return ScaledDecimal(3)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC; read back as aware UTC on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)
