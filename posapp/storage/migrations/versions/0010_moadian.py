"""Moadian (سامانه مؤدیان): goods and unit codes on products and invoice lines.

`products.goods_code` is the 13-digit goods/service code (sstid) of the national catalogue and
`products.unit_code` Moadian's unit code (mu); both may be empty. Invoice lines copy both when
they are made, like price and VAT rate, so a later catalogue edit never changes a sent invoice.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-04 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("products", "invoice_lines"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("goods_code", sa.String(length=13), nullable=False, server_default=""))
            batch.add_column(sa.Column("unit_code", sa.String(length=8), nullable=False, server_default=""))


def downgrade() -> None:
    for table in ("invoice_lines", "products"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("unit_code")
            batch.drop_column("goods_code")
