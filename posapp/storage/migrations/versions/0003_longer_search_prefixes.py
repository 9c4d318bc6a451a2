"""Search indexes keep ready-made prefix lists for 1 to 5 characters (was 1 to 3).

Persian words typed in the search box are often cut after four or five letters ("شکلا",
"دستم"); without a prefix list of that size FTS5 merges every matching term at query time,
which took several milliseconds on a 300,000-product catalogue.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:55:00
"""

from __future__ import annotations

from alembic import op

from posapp.storage.search_schema import create_search_tables, drop_search_tables

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        drop_search_tables(connection)
        create_search_tables(connection, prefix_lengths="1 2 3 4 5")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        drop_search_tables(connection)
        create_search_tables(connection, prefix_lengths="1 2 3")
