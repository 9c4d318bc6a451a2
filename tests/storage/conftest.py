"""Storage fixtures: a migrated SQLite database in the test's own folder."""

from __future__ import annotations

import pytest

from posapp.storage import migrate
from posapp.storage.engine import Database


@pytest.fixture
def database(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    migrate.upgrade(db.engine)
    yield db
    db.dispose()
