"""Fast executemany for bulk writes (issuing batches, demo data, imports), and the SQLite
connection settings a bulk load runs with.

SQLAlchemy builds and type-processes a parameter dict per row, which dominates the cost of
inserting hundreds of thousands of rows. Here the statement is compiled once for the connection's
dialect and each row goes through the columns' own bind processors (the same conversions Core
applies: scaled Decimals, UTC datetimes, booleans) straight into the driver's `executemany`.
Runs inside the caller's transaction; portable across dialects (positional or named styles).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Dialect, Engine, Insert, Table, Update, event, insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from posapp.storage.types import ScaledDecimal, UtcDateTime

_VALUE_BASED_TYPES = (ScaledDecimal, UtcDateTime)
"""Column types whose conversion depends only on the value (equal Decimals give the same
scaled integer, equal instants the same UTC text), so each distinct value of a batch is
converted once: batches repeat the same prices, rates, zeros and timestamps many times."""

BULK_LOAD_CACHE_KIB = 262_144
"""Page cache per connection during a bulk load (256 MiB instead of SQLite's 2 MiB), so index
pages of big tables stay in memory instead of being re-read and re-spilled on every batch."""
BULK_LOAD_CHECKPOINT_PAGES = 131_072
"""WAL pages between automatic checkpoints during a bulk load (512 MiB instead of SQLite's
1,000 pages): every batch dirties the same hot pages of big tables and indexes (stock, rollups,
index leaves), which a checkpoint then copies into the database file once for many batches
instead of once for each; the load ends with a checkpoint that truncates the WAL again."""
BULK_LOAD_PRAGMAS = (
    ("synchronous", "NORMAL"),
    ("cache_size", f"-{BULK_LOAD_CACHE_KIB}"),
    ("wal_autocheckpoint", str(BULK_LOAD_CHECKPOINT_PAGES)),
)
"""What a bulk load sets on the loading thread's SQLite connections, in order."""


def _converted(convert: Callable[[Any], Any], values: Sequence[Any], value_based: bool) -> list[Any]:
    """`values` through `convert`. For a value-based type, each distinct value is converted
    once, but only when the column holds a single Python type besides None: Decimal(1), 1 and
    True are equal, so mixing them could let a value through that the converter refuses."""
    if value_based:
        kinds = set(map(type, values))
        kinds.discard(type(None))
        if len(kinds) <= 1:
            try:
                distinct = set(values)
            except TypeError:  # unhashable, e.g. a signalling NaN: convert (and refuse) one by one
                distinct = None
            if distinct is not None and len(distinct) < len(values):
                table = {value: convert(value) for value in distinct}
                return list(map(table.__getitem__, values))
    return list(map(convert, values))


@dataclass(frozen=True)
class _Plan:
    """A statement compiled for one dialect and one set of row keys, with the bind processor
    of each bound column: what every batch of the same statement reuses."""

    sql: str
    names: tuple[str, ...]
    positional: bool
    converters: tuple[tuple[int, Callable[[Any], Any], bool], ...]
    """(position in `names`, processor, whether it is value-based) for columns that convert."""


@lru_cache(maxsize=256)
def _plan(statement: Insert | Update, dialect: Dialect, keys: tuple[str, ...]) -> _Plan:
    """Compile once per statement object (see `insert_rows` and the callers' module-level
    statements), dialect and keys: compiling and looking up processors cost as much as
    converting a small batch."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
    converters = []
    for index, name in enumerate(names):
        column_type = compiled.binds[name].type
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            converters.append((index, processor, isinstance(column_type, _VALUE_BASED_TYPES)))
    return _Plan(str(compiled), names, bool(compiled.positional), tuple(converters))


def executemany(target: Session | Connection, statement: Insert | Update, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run `statement` once per row. Every row must give every bound name of the statement.
    Values are converted column by column (a map per column instead of a call per value).
    Pass the same statement object for repeated batches: its compiled form is reused."""
    if not rows:
        return
    connection = target.connection() if isinstance(target, Session) else target
    plan = _plan(statement, connection.dialect, tuple(rows[0]))
    missing = [name for name in plan.names if name not in rows[0]]
    if missing:
        raise KeyError(f"bulk rows lack values for {missing}")
    columns: list[Sequence[Any]] = [list(map(itemgetter(name), rows)) for name in plan.names]
    for index, processor, value_based in plan.converters:
        columns[index] = _converted(processor, columns[index], value_based)
    parameters: list[Any] = (
        list(zip(*columns, strict=True)) if plan.positional
        else [dict(zip(plan.names, values, strict=True)) for values in zip(*columns, strict=True)]
    )
    connection.exec_driver_sql(plan.sql, parameters)


@cache
def _insert(table: Table) -> Insert:
    return insert(table).inline()


def insert_rows(target: Session | Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row (all of them with the same keys) without fetching generated keys."""
    executemany(target, _insert(table), rows)


_RESTORE_KEY = "posapp_bulk_load_restore"


@contextmanager
def bulk_load(engine: Engine) -> Iterator[None]:
    """Run the block as a bulk load: on SQLite, every connection the calling thread checks out
    meanwhile uses `synchronous=NORMAL`, a large page cache and fewer WAL checkpoints (see
    `BULK_LOAD_PRAGMAS`), and gets its own settings back
    when it returns to the pool; other threads' connections (a till selling meanwhile) keep
    theirs. The journal stays WAL and every transaction stays atomic: what NORMAL gives up is
    only the durability of the last commits before a power cut, which a demo load or an import
    can simply be run again for. A load that completes checkpoints the WAL into the database
    and truncates it, so the big WAL it allowed does not stay on disk. Elsewhere the block
    runs unchanged."""
    if engine.dialect.name != "sqlite":
        yield
        return
    loader = threading.get_ident()

    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if threading.get_ident() != loader:
            return
        cursor = dbapi_connection.cursor()
        try:
            before = [(name, cursor.execute(f"PRAGMA {name}").fetchone()[0]) for name, _ in BULK_LOAD_PRAGMAS]
            for name, value in BULK_LOAD_PRAGMAS:
                cursor.execute(f"PRAGMA {name}={value}")
        finally:
            cursor.close()
        record.info[_RESTORE_KEY] = before

    def on_checkin(dbapi_connection: Any, record: Any) -> None:
        restore = record.info.pop(_RESTORE_KEY, None)
        if restore is None or dbapi_connection is None:
            return
        cursor = dbapi_connection.cursor()
        try:
            for name, value in restore:
                cursor.execute(f"PRAGMA {name}={int(value)}")
        finally:
            cursor.close()

    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    try:
        yield
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
