"""Database backups with SQLite's online backup API: a consistent copy while the app writes."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from posapp.domain.errors import DomainError
from posapp.services._common import Progress
from posapp.storage.engine import Database, sqlite_file

PAGES_PER_STEP = 1024


class BackupError(DomainError):
    """The backup could not be made; the message says why."""


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno == errno.ENOSPC
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)


class BackupService:
    def __init__(self, database: Database) -> None:
        self._db = database

    def backup(self, path: Path | str, progress: Progress | None = None) -> Path:
        """Copy the whole database to `path` page by page (writers keep working meanwhile; the
        copy is one consistent snapshot). Written to a temporary file first, then renamed, so an
        interrupted backup never leaves a half file under the chosen name. Returns the path."""
        if not self._db.url.startswith("sqlite"):
            raise BackupError(
                "پشتیبان‌گیری داخلی فقط برای پایگاه‌داده SQLite است؛ برای PostgreSQL از pg_dump استفاده کنید",
                "built-in backup works with SQLite databases only; back up PostgreSQL with pg_dump",
            )
        source_file = sqlite_file(self._db.url)
        if source_file is None:
            raise BackupError("پایگاه‌داده در حافظه است و پرونده‌ای برای پشتیبان‌گیری ندارد",
                              "the database lives in memory; there is no file to back up")
        target = Path(path).expanduser().resolve()
        if target == Path(source_file).resolve():
            raise BackupError("پرونده پشتیبان نمی‌تواند خود پایگاه‌داده باشد",
                              "the backup file cannot be the database itself")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.unlink(missing_ok=True)

        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        try:
            read_only_uri = self._db.read_only_uri
            source = (sqlite3.connect(read_only_uri, uri=True, timeout=15) if read_only_uri
                      else sqlite3.connect(source_file, timeout=15))
            try:
                copy = sqlite3.connect(partial)
                try:
                    source.backup(copy, pages=PAGES_PER_STEP, progress=report)
                    copy.execute("PRAGMA journal_mode=DELETE")
                finally:
                    copy.close()
            finally:
                source.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            if _disk_full(exc):
                raise BackupError(
                    f"پشتیبان‌گیری ناموفق بود: دیسکِ «{target.parent}» جا ندارد؛ فضا آزاد کنید یا جای دیگری برگزینید",
                    f"the backup failed: the disk holding {target.parent} is full; free some space or choose"
                    " another place",
                ) from exc
            raise BackupError(f"پشتیبان‌گیری ناموفق بود: {exc}", f"the backup failed: {exc}") from exc
        return target
