"""Where posapp's bundled resources and themes live, and where the user's data goes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "posapp"


def project_root() -> Path:
    """The folder holding resources/ and themes/: the checkout, or the frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return project_root() / "resources"


def themes_dir() -> Path:
    return project_root() / "themes"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def user_data_dir() -> Path:
    """The user's data folder; POSAPP_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("POSAPP_DATA_DIR")
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    """POSAPP_DATABASE_URL, or a SQLite file in the user data folder."""
    return os.environ.get("POSAPP_DATABASE_URL") or f"sqlite:///{user_data_dir() / 'posapp.sqlite3'}"
