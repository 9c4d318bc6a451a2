"""The compiled-once bulk path converts values exactly as the ORM does."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, select, update

from posapp.storage.bulk import executemany, insert_rows
from posapp.storage.models import ProductRow
from posapp.storage.types import Quantity


def _values(code, **overrides):
    moment = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    values = {"code": code, "name": "نام", "name_normalized": "نام", "unit": "عدد",
              "price": Decimal("999999999999999"), "tax_rate_override": Decimal("0.095"), "tax_exempt": True,
              "stock": Decimal("1.250"), "created_at": moment, "updated_at": moment}
    values.update(overrides)
    return values


def test_bulk_rows_read_back_like_orm_rows(database):
    with database.write() as session:
        insert_rows(session, ProductRow.__table__, [_values("B1"), _values("B2", tax_rate_override=None)])
        session.add(ProductRow(**_values("O1")))
    with database.read() as session:
        rows = {r.code: r for r in session.execute(select(ProductRow)).scalars()}
    for field in ("price", "tax_rate_override", "tax_exempt", "stock", "created_at"):
        assert getattr(rows["B1"], field) == getattr(rows["O1"], field), field
    assert rows["B2"].tax_rate_override is None


def test_bulk_update_with_typed_parameters(database):
    with database.write() as session:
        insert_rows(session, ProductRow.__table__, [_values("U1"), _values("U2")])
    products = ProductRow.__table__
    with database.write() as session:
        executemany(session, update(products).where(products.c.code == bindparam("target"))
                    .values(stock=products.c.stock + bindparam("delta", type_=Quantity())),
                    [{"target": "U1", "delta": Decimal("-0.125")}, {"target": "U2", "delta": Decimal(3)}])
    with database.read() as session:
        stocks = dict(session.execute(select(ProductRow.code, ProductRow.stock)).all())
    assert stocks == {"U1": Decimal("1.125"), "U2": Decimal("4.250")}


def test_bulk_refuses_rows_missing_a_column_and_inexact_values(database):
    incomplete = _values("M1")
    del incomplete["stock"]
    with pytest.raises(KeyError), database.write() as session:
        insert_rows(session, ProductRow.__table__, [incomplete])
    with pytest.raises(ValueError, match="decimal places"), database.write() as session:
        insert_rows(session, ProductRow.__table__, [_values("M2", price=Decimal("1.5"))])
    with database.read() as session:
        assert session.execute(select(ProductRow)).first() is None
