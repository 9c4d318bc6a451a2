"""Fast executemany for bulk writes (issuing batches, demo data, imports).

SQLAlchemy builds and type-processes a parameter dict per row, which dominates the cost of
inserting hundreds of thousands of rows. Here the statement is compiled once for the connection's
dialect and each row goes through the columns' own bind processors (the same conversions Core
applies: scaled Decimals, UTC datetimes, booleans) straight into the driver's `executemany`.
Runs inside the caller's transaction; portable across dialects (positional or named styles).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Insert, Table, Update, insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session


def executemany(target: Session | Connection, statement: Insert | Update, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run `statement` once per row. Every row must give every bound name of the statement."""
    if not rows:
        return
    connection = target.connection() if isinstance(target, Session) else target
    dialect = connection.dialect
    keys = list(rows[0])
    compiled = statement.compile(dialect=dialect, column_keys=keys)
    names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
    missing = [name for name in names if name not in rows[0]]
    if missing:
        raise KeyError(f"bulk rows lack values for {missing}")
    converters = [
        (index, processor)
        for index, name in enumerate(names)
        if (processor := compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    parameters: list[Any] = []
    for row in rows:
        values = list(pick(row))
        for index, convert in converters:
            values[index] = convert(values[index])
        parameters.append(tuple(values) if compiled.positional else dict(zip(names, values, strict=True)))
    connection.exec_driver_sql(str(compiled), parameters)


def insert_rows(target: Session | Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row (all of them with the same keys) without fetching generated keys."""
    executemany(target, insert(table).inline(), rows)
