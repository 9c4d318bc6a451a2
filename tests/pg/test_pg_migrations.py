"""Migrations on a real PostgreSQL server: empty to head through the API and `posapp db upgrade`."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from posapp.cli import main
from posapp.storage import migrate
from posapp.storage.engine import Database
from posapp.storage.models import Base

pytestmark = pytest.mark.postgres


def test_upgrade_from_empty_to_head_creates_every_table_and_no_fts(postgres_url):
    database = Database(postgres_url)
    try:
        assert not database.is_sqlite
        assert migrate.current_revision(database.engine) is None
        migrate.upgrade(database.engine)
        assert migrate.current_revision(database.engine) == migrate.head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        migrate.upgrade(database.engine)  # at head: nothing to do
        migrate.downgrade(database.engine, "base")
        assert set(inspect(database.engine).get_table_names()) == {"alembic_version"}
        migrate.upgrade(database.engine)
        assert migrate.current_revision(database.engine) == migrate.head_revision()
    finally:
        database.dispose()


def test_cli_db_upgrade_reads_the_url_from_the_environment(postgres_url, monkeypatch, capsys):
    monkeypatch.setenv("POSAPP_DATABASE_URL", postgres_url)
    assert main(["db", "upgrade"]) == 0
    assert f"database upgraded from empty to {migrate.head_revision()}" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert f"database already at revision {migrate.head_revision()}" in capsys.readouterr().out
