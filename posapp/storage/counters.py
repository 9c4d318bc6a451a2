"""Gapless counters kept in a row per key (invoice numbers per till and series, Moadian serials
per fiscal memory): advanced inside the caller's transaction, so a rollback gives the numbers
back and the row lock (BEGIN IMMEDIATE on SQLite, the UPDATE's row lock elsewhere) keeps two
writers from ever getting the same one."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Table, insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session


def reserve(session: Session, counters: Table, key: Mapping[str, object], last: str, count: int) -> int:
    """Advance the counter row of `counters` whose primary key is `key` by `count` (its column
    `last` holds the last number taken; a missing row starts at 0) and return the first number
    reserved. On PostgreSQL a missing row is created by an upsert: two writers starting the same
    counter at once would otherwise both INSERT it, and the second would fail on its key."""
    column = counters.c[last]
    if session.connection().dialect.name == "postgresql":
        upsert = pg_insert(counters).values(**key, **{last: count})
        taken = session.execute(
            upsert.on_conflict_do_update(index_elements=[counters.c[name] for name in key],
                                         set_={last: column + count})
            .returning(column)
        ).scalar_one()
        return int(taken) - count + 1
    taken = session.execute(
        update(counters).where(*(counters.c[name] == value for name, value in key.items()))
        .values({last: column + count}).returning(column)
    ).scalar_one_or_none()
    if taken is None:
        session.execute(insert(counters).values(**key, **{last: count}))
        taken = count
    return int(taken) - count + 1
