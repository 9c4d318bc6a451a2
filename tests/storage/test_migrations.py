"""Alembic migrations: from an empty database, from every earlier revision, and the pragmas."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from posapp.storage import migrate
from posapp.storage.engine import Database
from posapp.storage.models import Base


def _tables(db):
    return set(inspect(db.engine).get_table_names())


def test_upgrade_from_empty_database_creates_every_table(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    migrate.upgrade(db.engine)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    assert set(Base.metadata.tables) <= _tables(db)
    assert {"products_fts", "customers_fts"} <= _tables(db)
    migrate.upgrade(db.engine)  # running it again is harmless
    db.dispose()


@pytest.mark.parametrize("start", migrate.revisions()[:-1])
def test_upgrade_from_each_earlier_revision(tmp_path, start):
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate.upgrade(db.engine, start)
    assert migrate.current_revision(db.engine) == start
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO products (code, name, name_normalized, unit, price, tax_exempt, stock, "
            "created_at, updated_at) VALUES ('K1', 'ماست کاله', 'ماست کاله', 'عدد', 1000, 0, 0, "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    migrate.upgrade(db.engine)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    with db.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT rowid FROM products_fts WHERE products_fts MATCH '\"ماس\"*'").all()
    assert len(found) == 1, "rows written before the search revision are indexed by it"
    db.dispose()


def test_downgrade_to_base_and_up_again(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'cycle.sqlite3'}")
    migrate.upgrade(db.engine)
    migrate.downgrade(db.engine, "base")
    assert _tables(db) <= {"alembic_version"}
    migrate.upgrade(db.engine)
    assert set(Base.metadata.tables) <= _tables(db)
    db.dispose()


def test_model_and_migrations_agree(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database(f"sqlite:///{tmp_path / 'diff.sqlite3'}")
    migrate.upgrade(db.engine)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = [
            diff for diff in compare_metadata(context, Base.metadata)
            if not (diff[0] == "remove_table" and "_fts" in diff[1].name)
        ]
    assert differences == []
    db.dispose()


def test_sqlite_connection_settings(database):
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_in_memory_database_is_one_shared_connection():
    db = Database("sqlite://")
    migrate.upgrade(db.engine)
    with db.read() as session:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        assert session.connection().exec_driver_sql("SELECT count(*) FROM products").scalar() == 0
    db.dispose()


def test_a_database_from_a_newer_posapp_is_refused_untouched(tmp_path, capsys):
    from posapp.cli import main

    db = Database(f"sqlite:///{tmp_path / 'future.sqlite3'}")
    migrate.upgrade(db.engine)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(migrate.NewerDatabaseError) as caught:
        migrate.upgrade(db.engine)
    assert "newer posapp" in caught.value.message_en
    assert main(["--database-url", db.url, "db", "upgrade"]) == 1
    assert "newer posapp" in capsys.readouterr().err
    assert migrate.current_revision(db.engine) == "9999"
    db.dispose()


def test_downgrading_the_moadian_revision_keeps_barcodes(tmp_path):
    """Dropping the Moadian product columns must not rebuild `products`: with foreign keys on, a
    rebuilt table cascades into every barcode of every product."""
    db = Database(f"sqlite:///{tmp_path / 'down.sqlite3'}")
    migrate.upgrade(db.engine)
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO products (id, code, name, name_normalized, unit, price, tax_exempt, stock, "
            "created_at, updated_at) VALUES (7, 'K1', 'ماست کاله', 'ماست کاله', 'عدد', 1000, 0, 0, "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO product_barcodes (product_id, barcode) VALUES (7, '6260000000017')")
    migrate.downgrade(db.engine, "0009")
    with db.engine.connect() as connection:
        barcodes = connection.exec_driver_sql("SELECT barcode FROM product_barcodes").all()
        columns = {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(products)")}
    assert barcodes == [("6260000000017",)]
    assert "goods_code" not in columns
    assert "unit_code" not in columns
    db.dispose()


def test_the_manager_role_of_an_older_database_may_open_the_reports(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'roles.sqlite3'}")
    migrate.upgrade(db.engine, "0011")
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE roles SET permissions = replace(permissions, 'view_reports', 'reprint') WHERE name = 'manager'")
    migrate.upgrade(db.engine)
    with db.engine.connect() as connection:
        roles = dict(connection.exec_driver_sql("SELECT name, permissions FROM roles").all())
    assert "view_reports" in roles["manager"].split(",")
    assert "view_reports" not in roles["cashier"].split(",")
    migrate.downgrade(db.engine, "0011")
    with db.engine.connect() as connection:
        manager = connection.exec_driver_sql("SELECT permissions FROM roles WHERE name = 'manager'").scalar_one()
    assert "view_reports" not in manager.split(",")
    db.dispose()


def test_a_revision_that_cannot_apply_changes_nothing_and_says_why(tmp_path, capsys):
    from posapp.cli import main

    path = tmp_path / "odd.sqlite3"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db.engine, "0010")
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE journal_head")
        connection.exec_driver_sql("DROP TABLE journal")
    with pytest.raises(migrate.UpgradeFailedError) as failed:
        migrate.upgrade(db.engine)
    assert "0010" in failed.value.message_en
    assert "journal" in failed.value.message_en
    assert migrate.current_revision(db.engine) == "0010"
    assert "sales_by_product_day" not in _tables(db), "the failed upgrade was rolled back"
    db.dispose()
    assert main(["--database-url", f"sqlite:///{path}", "db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" in err
    assert "Traceback" not in err


def test_a_full_disk_during_an_upgrade_is_still_explained_as_a_full_disk(tmp_path, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from posapp.services.context import AppServices
    from posapp.storage.opening import DatabaseProblem, Problem

    path = tmp_path / "full.sqlite3"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db.engine, "0011")
    db.dispose()

    def full(*_args, **_kwargs):
        raise OperationalError("ALTER TABLE", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(migrate.command, "upgrade", full)
    with pytest.raises(DatabaseProblem) as problem:
        AppServices.open(f"sqlite:///{path}")
    assert problem.value.problem is Problem.FULL
