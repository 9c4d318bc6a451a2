"""Moadian (سامانه مؤدیان): goods and unit codes on products and invoice lines, the tax-ID serial
counter and the documents numbered under it.

`products.goods_code` is the 13-digit goods/service code (sstid) of the national catalogue and
`products.unit_code` Moadian's unit code (mu); both may be empty. Invoice lines copy both when
they are made, like price and VAT rate, so a later catalogue edit never changes a sent invoice.
`moadian_serials` holds the last serial per fiscal memory ID; `moadian_documents` one row per
document reported (sale, return, cancellation) with its tax ID, the tax ID it refers to, and its
delivery: the packet uid (stored before sending), reference, status and the verdict's messages.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("products", "invoice_lines"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("goods_code", sa.String(length=13), nullable=False, server_default=""))
            batch.add_column(sa.Column("unit_code", sa.String(length=8), nullable=False, server_default=""))
    op.create_table(
        "moadian_serials",
        sa.Column("memory_id", sa.String(length=6), nullable=False),
        sa.Column("last_serial", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("memory_id", name=op.f("pk_moadian_serials")),
    )
    op.create_table(
        "moadian_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Integer(), nullable=False),
        sa.Column("tax_id", sa.String(length=22), nullable=False),
        sa.Column("referenced_tax_id", sa.String(length=22), nullable=False, server_default=""),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False, server_default=""),
        sa.Column("reference_number", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("status", sa.String(length=16), nullable=False, server_default="queued"),
        sa.Column("messages", sa.Text(), nullable=False, server_default=""),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE",
                                name=op.f("fk_moadian_documents_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moadian_documents")),
        sa.UniqueConstraint("tax_id", name="uq_moadian_documents_tax_id"),
        sa.UniqueConstraint("invoice_id", "subject", name="uq_moadian_documents_invoice_subject"),
    )
    op.create_index(op.f("ix_moadian_documents_invoice_id"), "moadian_documents", ["invoice_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_moadian_documents_invoice_id"), table_name="moadian_documents")
    op.drop_table("moadian_documents")
    op.drop_table("moadian_serials")
    # In place (ALTER TABLE DROP COLUMN, SQLite 3.35+): a batch rebuild of `products` would
    # cascade into every barcode while foreign keys are on.
    for table in ("invoice_lines", "products"):
        op.drop_column(table, "unit_code")
        op.drop_column(table, "goods_code")
