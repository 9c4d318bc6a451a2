"""Money, quantities and times survive the database exactly (no float on SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from posapp.storage.models import ProductRow
from posapp.storage.types import ScaledDecimal

BIGGEST_RIAL = Decimal("999999999999999")


def _product(**overrides):
    now = datetime.now(UTC)
    values = dict(code="P1", name="شیر", name_normalized="شیر", unit="لیتر", price=BIGGEST_RIAL,
                  tax_rate_override=None, tax_exempt=False, stock=Decimal("12.345"),
                  created_at=now, updated_at=now)
    values.update(overrides)
    return ProductRow(**values)


def test_largest_amount_and_three_place_quantity_round_trip_exactly(database):
    with database.write() as session:
        session.add(_product(tax_rate_override=Decimal("0.095")))
    with database.read() as session:
        row = session.execute(select(ProductRow)).scalar_one()
        assert row.price == BIGGEST_RIAL
        assert isinstance(row.price, Decimal)
        assert str(row.price) == "999999999999999"
        assert row.stock == Decimal("12.345")
        assert row.tax_rate_override == Decimal("0.095")
        stored = session.execute(text("SELECT price, stock, typeof(price) FROM products")).one()
    assert stored == (999999999999999, 12345, "integer")


def test_sql_arithmetic_on_scaled_columns_stays_exact(database):
    with database.write() as session:
        session.add(_product(stock=Decimal("0.001")))
    with database.write() as session:
        row = session.execute(select(ProductRow)).scalar_one()
        row.stock = ProductRow.stock + Decimal("1.999")
    with database.read() as session:
        assert session.execute(select(ProductRow.stock)).scalar_one() == Decimal("2.000")


def test_more_places_than_the_column_holds_is_refused_not_rounded():
    column = ScaledDecimal(3)
    with pytest.raises(ValueError, match="decimal places"):
        column.process_bind_param(Decimal("1.2345"), None)
    with pytest.raises(TypeError):
        column.process_bind_param(1.5, None)


def test_times_are_stored_in_utc_and_read_back_aware(database):
    tehran = timezone(timedelta(hours=3, minutes=30))
    moment = datetime(2025, 3, 20, 23, 59, 30, tzinfo=tehran)
    with database.write() as session:
        session.add(_product(created_at=moment, updated_at=moment))
    with database.read() as session:
        row = session.execute(select(ProductRow)).scalar_one()
    assert row.created_at == moment
    assert row.created_at.tzinfo is UTC
