"""Opening a database file safely, and saying in plain words what is wrong with one that fails.

`open_database(url)` looks at a SQLite file before anything may write to it:
- a missing file is created, unless its folder is missing or read-only;
- an empty (0-byte) file is refused, never set up as a new database (numbering would restart);
- a file that is not SQLite, or shorter than its header says (truncated), is refused;
- the Alembic revision is read over a read-only connection, so a database written by a newer
  posapp is refused (`NewerDatabaseError`) before the WAL pragma could convert it (which
  changes its header);
- on a read-only file system (or a file this user may not write) the database opens read-only:
  reading commands work, and a write is refused with `DatabaseProblem` (READ_ONLY).

`explain_failure(exc)` turns what the driver raises later (corrupt pages, a full disk, a
read-only file, a locked database) into a bilingual `DatabaseProblem`, or returns None for
anything that is not a database problem. The commands and the app show its messages.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import DBAPIError, StatementError

from posapp.domain.errors import DomainError
from posapp.storage.engine import Database, sqlite_file

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
RESTORE_HINT_FA = "پشتیبان ساخته‌شده با «posapp db backup» را برگردانید"
RESTORE_HINT_EN = "restore the copy made with `posapp db backup`"


class Problem(StrEnum):
    EMPTY = "empty"
    CORRUPT = "corrupt"
    READ_ONLY = "read_only"
    FULL = "full"
    MISSING_FOLDER = "missing_folder"
    LOCKED = "locked"
    UNREADABLE = "unreadable"


class DatabaseProblem(DomainError):
    """The database cannot be used as asked; nothing was changed. `problem` says which kind."""

    def __init__(self, problem: Problem, message_fa: str, message_en: str) -> None:
        super().__init__(message_fa, message_en)
        self.problem = problem


def _names(path: str) -> tuple[str, str]:
    """How the messages name the database: with its path when known."""
    return (f"پایگاه داده «{path}»", f"the database {path}") if path else ("پایگاه داده", "the database")


def empty_file(path: str) -> DatabaseProblem:
    fa, en = _names(path)
    return DatabaseProblem(
        Problem.EMPTY,
        f"پرونده {fa} خالی است (۰ بایت)؛ شاید رونوشت‌برداری ناتمام مانده است. "
        f"{RESTORE_HINT_FA}؛ برای شروع از صفر، خود پرونده را پاک کنید. چیزی تغییر نکرد",
        f"{en} is an empty file (0 bytes): perhaps a copy did not finish. "
        f"{RESTORE_HINT_EN.capitalize()}; to start afresh, delete the file yourself. Nothing was changed",
    )


def corrupt(path: str, detail_fa: str, detail_en: str) -> DatabaseProblem:
    fa, en = _names(path)
    return DatabaseProblem(
        Problem.CORRUPT,
        f"{fa} آسیب دیده یا ناقص است ({detail_fa})؛ {RESTORE_HINT_FA} و دیسک یا حافظه USB را بررسی کنید."
        " چیزی تغییر نکرد",
        f"{en} is damaged or incomplete ({detail_en}); {RESTORE_HINT_EN}, and check the disk or USB"
        " stick it was on. Nothing was changed",
    )


def read_only(path: str) -> DatabaseProblem:
    fa, en = _names(path)
    return DatabaseProblem(
        Problem.READ_ONLY,
        f"{fa} فقط‌خواندنی است (دیسک یا پوشه اجازه نوشتن نمی‌دهد)؛ خواندن ممکن است ولی تغییری ذخیره"
        " نمی‌شود. مسیر و مجوزها را بررسی کنید یا پرونده را به جای نوشتنی ببرید",
        f"{en} is read-only (its disk or folder cannot be written): reading works but nothing can be"
        " saved. Check the path and permissions, or move the file somewhere writable",
    )


def disk_full(path: str) -> DatabaseProblem:
    fa, en = _names(path)
    return DatabaseProblem(
        Problem.FULL,
        f"دیسکِ {fa} پر است؛ این کار ذخیره نشد و داده‌های پیشین سالم‌اند. فضا آزاد کنید و دوباره بکوشید",
        f"the disk holding {en} is full: this change was not saved and what was saved before is"
        " intact. Free some space and try again",
    )


def missing_folder(path: str) -> DatabaseProblem:
    fa, en = _names(path)
    return DatabaseProblem(
        Problem.MISSING_FOLDER,
        f"پوشه {fa} وجود ندارد؛ مسیر را بررسی کنید (شاید حافظه USB وصل نیست)",
        f"the folder of {en} does not exist: check the path (is the USB stick plugged in?)",
    )


def unreadable(path: str, reason: str) -> DatabaseProblem:
    fa, en = _names(path)
    return DatabaseProblem(
        Problem.UNREADABLE,
        f"{fa} باز یا خوانده نشد ({reason})؛ مسیر، مجوزها و دیسک را بررسی کنید",
        f"{en} could not be opened or read ({reason}); check the path, permissions and disk",
    )


def _is_read_only_file_system(path: Path) -> bool:
    """Whether `path` lies on a file system mounted read-only (POSIX; elsewhere the write
    permission check in `open_database` covers a write-protected drive)."""
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:
        return False
    try:
        return bool(statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _header_problem(header: bytes, size: int, has_wal: bool) -> tuple[str, str] | None:
    """(Persian, English) why a file starting with `header` is not a whole SQLite database."""
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        return "پرونده SQLite نیست", "not a SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "اندازه صفحه نادرست", "bad page size"
    change_counter, valid_for = header[24:28], header[92:96]
    expected = int.from_bytes(header[28:32], "big") * page_size
    if not has_wal and change_counter == valid_for and size < expected:
        return f"بریده: {size} از {expected} بایت", f"truncated: {size} of {expected} bytes"
    return None


def _read_only_uri(path: str, immutable: bool) -> str:
    """A SQLite URI opening `path` read-only (and, on a read-only file system, as immutable:
    no lock or -shm file is needed there, nothing can change it)."""
    return f"{Path(path).resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def _stored_revision(path: str, immutable: bool) -> str | None:
    """The Alembic revision in the file, read without writing anything (None: no table yet)."""
    connection = sqlite3.connect(_read_only_uri(path, immutable), uri=True)
    try:
        exists = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        if exists is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


def open_database(url: str) -> Database:
    """A `Database` for `url` once the file is known to be usable (see the module docstring);
    raises `DatabaseProblem` otherwise, having changed nothing."""
    file_name = sqlite_file(url)
    if file_name is None:
        return Database(url)
    path = Path(file_name)
    folder = path.parent
    if not folder.is_dir():
        raise missing_folder(file_name)
    if not path.exists():
        if _is_read_only_file_system(folder) or not os.access(folder, os.W_OK):
            raise read_only(file_name)
        return Database(url)
    wal = Path(f"{file_name}-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError as exc:
        raise unreadable(file_name, exc.strerror or str(exc)) from None
    if size == 0:  # SQLite writes the first page before anything else, even in WAL mode
        raise empty_file(file_name)
    detail = _header_problem(header, size, has_wal)
    if detail is not None:
        raise corrupt(file_name, *detail)
    read_only_fs = _is_read_only_file_system(folder)
    writable = not read_only_fs and os.access(path, os.W_OK) and os.access(folder, os.W_OK)
    try:
        revision = _stored_revision(file_name, immutable=read_only_fs and not has_wal)
    except sqlite3.Error as exc:
        problem = explain_failure(exc, file_name)
        raise (problem or unreadable(file_name, str(exc))) from None
    from posapp.storage.migrate import NewerDatabaseError, revisions

    if revision is not None and revision not in revisions():
        raise NewerDatabaseError(revision)
    if writable:
        return Database(url)
    return Database(url, read_only_uri=_read_only_uri(file_name, immutable=read_only_fs and not has_wal))


_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def _raised_by_storage(exc: BaseException) -> bool:
    """Whether `exc` came out of the database layer (SQLAlchemy or posapp.storage)."""
    tb = exc.__traceback__
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        if module.startswith(("sqlalchemy", "posapp.storage")):
            return True
        tb = tb.tb_next
    return False


def explain_failure(exc: BaseException, file_name: str = "") -> DatabaseProblem | None:
    """The `DatabaseProblem` behind `exc` (raised by the driver, through SQLAlchemy or not), or
    None when `exc` is not about the database file."""
    if isinstance(exc, DatabaseProblem):
        return exc
    original: BaseException = exc.orig if isinstance(exc, (DBAPIError, StatementError)) and exc.orig else exc
    if isinstance(original, UnicodeDecodeError):
        if not _raised_by_storage(exc):
            return None
        return corrupt(file_name, "متنی که UTF-8 نیست", "stored text that is not UTF-8")
    if isinstance(original, OSError):
        about_database = bool(file_name) and str(original.filename or "").startswith(file_name)
        if about_database and original.errno == errno.ENOSPC:
            return disk_full(file_name)
        if about_database and original.errno == errno.EROFS:
            return read_only(file_name)
        return None
    if not isinstance(original, sqlite3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(original).lower()
    if text.startswith("could not decode"):
        column = str(original).split("'")[1] if "'" in str(original) else "?"
        return corrupt(file_name, f"متنی که UTF-8 نیست در ستون {column}", f"text that is not UTF-8 in column {column}")
    if primary in _CORRUPT_CODES or "malformed" in text or "not a database" in text:
        return corrupt(file_name, str(original), str(original))
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        return disk_full(file_name)
    if primary == sqlite3.SQLITE_READONLY or "readonly database" in text:
        return read_only(file_name)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return DatabaseProblem(
            Problem.LOCKED, "پایگاه داده در دست برنامه دیگری قفل مانده است؛ کمی بعد دوباره بکوشید",
            "the database stayed locked by another program; try again in a moment",
        )
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM):
        return unreadable(file_name, str(original))
    return None


@contextmanager
def database_errors_explained(file_name: str = "") -> Iterator[None]:
    """Re-raise database failures inside the block as `DatabaseProblem`; others unchanged."""
    try:
        yield
    except Exception as exc:
        problem = explain_failure(exc, file_name)
        if problem is None or problem is exc:
            raise
        raise problem from exc
