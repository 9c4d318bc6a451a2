"""Bulk loads: connection settings are relaxed only for the loading thread and restored after;
converting each distinct value once never lets a value through that the column refuses."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from posapp.storage.bulk import (
    BULK_LOAD_CACHE_KIB,
    BULK_LOAD_CHECKPOINT_PAGES,
    bulk_load,
    insert_rows,
)
from posapp.storage.models import ProductRow

FULL, NORMAL = 2, 1


def _settings(database) -> tuple[int, int, int]:
    with database.write() as session:
        return tuple(session.execute(text(f"PRAGMA {name}")).scalar_one()
                     for name in ("synchronous", "cache_size", "wal_autocheckpoint"))


def _product(code, **overrides):
    moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    values = {"code": code, "name": "نام", "name_normalized": "نام", "unit": "عدد", "price": Decimal(1000),
              "tax_rate_override": None, "tax_exempt": False, "stock": Decimal(1),
              "created_at": moment, "updated_at": moment}
    values.update(overrides)
    return values


def test_bulk_load_relaxes_only_the_loading_thread_and_restores(database):
    before = _settings(database)
    assert before[0] == FULL
    assert before[2] != BULK_LOAD_CHECKPOINT_PAGES
    other_thread: list[tuple[int, int]] = []
    with bulk_load(database.engine):
        assert _settings(database) == (NORMAL, -BULK_LOAD_CACHE_KIB, BULK_LOAD_CHECKPOINT_PAGES)
        worker = threading.Thread(target=lambda: other_thread.append(_settings(database)))
        worker.start()
        worker.join()
    assert other_thread == [before], "a till selling during the load keeps full durability"
    assert _settings(database) == before, "the pooled connection got its own settings back"


def test_a_completed_load_leaves_no_big_wal_behind(database, tmp_path):
    wal = tmp_path / "store.sqlite3-wal"
    with bulk_load(database.engine):
        for batch in range(3):
            with database.write() as session:
                insert_rows(session, ProductRow.__table__, [_product(f"W{batch}-{i}") for i in range(500)])
        assert wal.stat().st_size > 0
    assert wal.stat().st_size == 0, "the load's WAL was checkpointed into the database and truncated"
    with database.read() as session:
        assert len(session.execute(select(ProductRow.id)).all()) == 1500


def test_repeated_values_convert_once_but_exactly(database):
    moment = datetime(2025, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    tehran = moment.astimezone(timezone(timedelta(hours=3, minutes=30)))
    rows = [_product(f"R{i}", price=Decimal("1500.000") if i % 2 else Decimal(1500), stock=Decimal("0.250"),
                     created_at=moment if i % 2 else tehran) for i in range(6)]
    with database.write() as session:
        insert_rows(session, ProductRow.__table__, rows)
    with database.read() as session:
        stored = session.execute(select(ProductRow.price, ProductRow.stock, ProductRow.created_at)).all()
    assert set(stored) == {(Decimal(1500), Decimal("0.250"), moment)}


@pytest.mark.parametrize("intruder", [True, 1500.0])
def test_an_equal_value_of_another_type_is_still_refused(database, intruder):
    rows = [_product("T1"), _product("T2"), _product("T3", price=intruder)]
    rows[0]["price"] = rows[1]["price"] = Decimal(1)
    with pytest.raises(TypeError), database.write() as session:
        insert_rows(session, ProductRow.__table__, rows)
