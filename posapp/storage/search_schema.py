"""SQLite FTS5 tables mirroring products' and customers' normalised text (external content,
kept in sync by triggers). Used by migration 0002 and by bulk loaders that rebuild the index."""

# ruff: noqa: S608  (table and column names below are module constants, never input)

from __future__ import annotations

from sqlalchemy.engine import Connection

PRODUCT_FTS = "products_fts"
CUSTOMER_FTS = "customers_fts"

# (fts table, content table, indexed column)
_INDEXES = ((PRODUCT_FTS, "products", "name_normalized"), (CUSTOMER_FTS, "customers", "search_text"))


def _triggers(fts: str, table: str, column: str) -> list[str]:
    return [
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
    ]


def create_search_tables(connection: Connection, prefix_lengths: str) -> None:
    """Create the FTS tables and triggers and index existing rows (SQLite only).
    `prefix_lengths` lists the prefix sizes (in characters) FTS5 keeps ready-made doclists for,
    e.g. "1 2 3 4 5"; migrations pass their own value so each revision stays what it was."""
    for fts, table, column in _INDEXES:
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
            f"content_rowid='id', prefix='{prefix_lengths}', tokenize='unicode61 remove_diacritics 2')"
        )
        create_search_triggers(connection, fts)
        connection.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def drop_search_tables(connection: Connection) -> None:
    for fts, _table, _column in _INDEXES:
        drop_search_triggers(connection, fts)
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {fts}")


def create_search_triggers(connection: Connection, fts: str) -> None:
    fts, table, column = next(index for index in _INDEXES if index[0] == fts)
    for statement in _triggers(fts, table, column):
        connection.exec_driver_sql(statement)


def drop_search_triggers(connection: Connection, fts: str) -> None:
    for suffix in ("ai", "ad", "au"):
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")


def rebuild_search_index(connection: Connection, fts: str) -> None:
    """Re-read the whole content table into the index (after a bulk load without triggers)."""
    connection.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
