"""The sale being edited at a till is kept in held_sales, marked with the till's code.

A held sale with `open_on_till` set is not parked: it is the sale open in that till's editor,
rewritten as it changes, so a crash or a power cut brings it back at the next start. At most
one per till (unique index; parked sales have NULL there and are not limited). The held list
(Shift+F9) shows only parked sales, so no other till can resume a sale being edited.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("held_sales", sa.Column("open_on_till", sa.String(length=8), nullable=True))
    op.create_index("uq_held_sales_open_on_till", "held_sales", ["open_on_till"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_held_sales_open_on_till", table_name="held_sales")
    with op.batch_alter_table("held_sales") as batch:
        batch.drop_column("open_on_till")
