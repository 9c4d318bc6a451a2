"""Search indexes: SQLite FTS5 tables over normalised product names and customer search text.

Other databases search with LIKE on the same normalised columns, so nothing is created there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:30:00
"""

from __future__ import annotations

from alembic import op

from posapp.storage.search_schema import create_search_tables, drop_search_tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        create_search_tables(connection, prefix_lengths="1 2 3")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        drop_search_tables(connection)
