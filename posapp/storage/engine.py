"""The database engine and transactions: SQLite pragmas (WAL, foreign keys, synchronous=FULL,
busy timeout), and one `Database.write()` transaction per user action.

On SQLite a write transaction starts with BEGIN IMMEDIATE, so two writers queue on the busy
timeout instead of failing half-way; reads use plain deferred transactions and never block
writers under WAL. The same code runs on PostgreSQL, where these SQLite details are skipped.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from posapp.domain.changes import ChangeFeed

BUSY_TIMEOUT_MS = 15_000
_BEGIN_OPTION = "posapp_begin"


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_file(url: str) -> str | None:
    """The file path of a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return database


def create_database_engine(url: str, read_only_uri: str | None = None) -> Engine:
    """An engine for `url` with posapp's connection settings applied on every new connection.
    With `read_only_uri` (a SQLite "file:...?mode=ro" URI for the same file) the engine opens
    that instead and never switches the journal mode: nothing is written to the file."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    file_backed = sqlite_file(url) is not None
    # An in-memory database lives in one connection: every user must share that connection.
    pool_options: dict[str, Any] = {} if file_backed else {"poolclass": StaticPool}
    if read_only_uri:
        # the URI goes to the driver as it is: SQLAlchemy's URL parsing would undo its escapes
        pool_options["creator"] = functools.partial(
            sqlite3.connect, read_only_uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **pool_options,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how a transaction starts (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if file_backed and not read_only_uri:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get(_BEGIN_OPTION, "BEGIN"))

    return engine


def writer(engine: Engine) -> Engine:
    """`engine` whose transactions take SQLite's write lock at BEGIN (IMMEDIATE), so a writer
    waits its turn on the busy timeout instead of failing when it first writes."""
    return engine.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"}) if is_sqlite(engine) else engine


class Database:
    """An engine plus the two ways in: `read()` and `write()` sessions. Thread-safe: every call
    opens its own Session, so services may be called from any worker thread."""

    def __init__(self, url: str, read_only_uri: str | None = None) -> None:
        self.url = url
        self.read_only_uri = read_only_uri
        """The SQLite URI the file was opened through when it is read-only (a read-only file
        system or file; writes fail), else None."""
        self.engine = create_database_engine(url, read_only_uri)
        self._read_sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(bind=writer(self.engine), expire_on_commit=False)
        self.changes = ChangeFeed()
        """Where the services announce what their committed writes changed (see domain.changes)."""

    @property
    def read_only(self) -> bool:
        return self.read_only_uri is not None

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; its transaction is rolled back at the end."""
        with self._read_sessions() as session:
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection for hot read paths (lookups, search): cheaper than a Session;
        its transaction is rolled back at the end."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back entirely on any error."""
        with self._write_sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
