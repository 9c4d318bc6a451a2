"""Suite-wide fixtures: headless Qt, an isolated data folder, no real keyring, no network."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own user data folder and database; nothing touches the real ones."""
    data_dir = tmp_path / "posapp-data"
    monkeypatch.setenv("POSAPP_DATA_DIR", str(data_dir))
    monkeypatch.delenv("POSAPP_DATABASE_URL", raising=False)
    return data_dir
