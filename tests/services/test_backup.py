"""Online backup: a consistent, openable copy even while another connection writes."""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest

from posapp.services.backup import BackupError, BackupService
from posapp.services.catalog import ProductInput
from posapp.storage.engine import Database


def test_backup_is_a_consistent_copy_while_writes_continue(services, products, tmp_path):
    stop = threading.Event()

    def keep_writing():
        serial = 0
        while not stop.is_set():
            serial += 1
            services.catalog.create(ProductInput(name=f"کالا {serial}", code=f"W{serial}", price=Decimal(serial)))

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        progress = []
        target = services.backup.backup(tmp_path / "backups" / "copy.sqlite3",
                                        progress=lambda done, total: progress.append((done, total)))
    finally:
        stop.set()
        writer.join()
    assert progress
    assert progress[-1][0] == progress[-1][1]
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = {row[0] for row in copy.execute("SELECT code FROM products")}
    assert {"1001", "1002", "1003"} <= names
    assert not list(target.parent.glob(".*.partial"))


def test_backup_refuses_other_databases_and_itself(services, tmp_path):
    postgres = SimpleNamespace(url="postgresql+psycopg://localhost/posapp")  # only .url is read first
    with pytest.raises(BackupError) as caught:
        BackupService(postgres).backup(tmp_path / "x")
    assert "pg_dump" in caught.value.message_en
    memory = Database("sqlite://")
    with pytest.raises(BackupError):
        BackupService(memory).backup(tmp_path / "y")
    memory.dispose()
    database_file = services.database.url.removeprefix("sqlite:///")
    with pytest.raises(BackupError):
        services.backup.backup(database_file)
