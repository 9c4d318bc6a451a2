"""A database failure met while the app runs (a full disk, a read-only stick, damaged pages) is
shown in the user's language, never as the driver's raw English text."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import OperationalError

from posapp.ui.messages import error_text


def _driver_error(text: str) -> OperationalError:
    return OperationalError("INSERT INTO invoices ...", {}, sqlite3.OperationalError(text))


def test_a_full_disk_is_explained_in_both_languages():
    error = _driver_error("database or disk is full")
    assert "پر است" in error_text(error, "fa")
    assert "Free some space" in error_text(error, "en")
    assert "database or disk is full" not in error_text(error, "en")


def test_a_read_only_database_and_damaged_pages_are_explained():
    assert "read-only" in error_text(_driver_error("attempt to write a readonly database"), "en")
    assert "آسیب" in error_text(_driver_error("database disk image is malformed"), "fa")


def test_other_errors_keep_their_own_text():
    assert error_text(ValueError("something else"), "en") == "something else"
