"""Product categories, and the daily sales rollups the products and VAT reports read.

- `products.category`: the shelf group (dairy, drinks...) the products report sums by; empty
  for products without one;
- `sales_by_product_day`: per product, Tehran day and till, the quantity and net amount of
  valid sales and of valid returns; `sales_by_rate_day`: per Tehran day, till and VAT rate, the
  taxable amount and VAT of valid sales and returns. Both are kept in the issuing and
  cancelling transactions (`posapp.storage.sales_rollup`) and are filled here from the
  existing invoice lines. On SQLite both are WITHOUT ROWID tables clustered by their key;
- the journal by action and time, so the cashiers report counts a range's approvals from the
  index alone; and the invoices' report index gains the issuing user (the cashiers report is
  per user) and the change given (the payments report), so both read a range from the index.

The category is added and dropped in place (ALTER TABLE), never by copying the products table:
on SQLite, with foreign keys on, dropping the old copy would cascade to barcodes and unlink
invoice lines.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from posapp.storage.sales_rollup import rebuild
from posapp.storage.types import Amount, Quantity, Rate

INVOICE_REPORT_COLUMNS = [
    "issued_at", "kind", "status", "till", "series", "sequence", "cashier", "customer_id", "gross", "line_discount",
    "invoice_discount", "net", "tax", "additions", "deductions", "payable",
]
"""Revision 0005's report index on invoices; this revision appends the issuing user (the cashiers
report) and the change given (the payments report nets cash of it)."""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("products", sa.Column("category", sa.String(length=100), nullable=False, server_default=""))
    op.create_index(op.f("ix_products_category"), "products", ["category"])
    op.create_table(
        "sales_by_product_day",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("till", sa.String(length=8), nullable=False),
        sa.Column("sold_quantity", Quantity(), nullable=False),
        sa.Column("sold_net", Amount(), nullable=False),
        sa.Column("returned_quantity", Quantity(), nullable=False),
        sa.Column("returned_net", Amount(), nullable=False),
        sa.PrimaryKeyConstraint("product_id", "day", "till", name=op.f("pk_sales_by_product_day")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "sales_by_rate_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("till", sa.String(length=8), nullable=False),
        sa.Column("tax_rate", Rate(), nullable=False),
        sa.Column("sold_net", Amount(), nullable=False),
        sa.Column("sold_tax", Amount(), nullable=False),
        sa.Column("returned_net", Amount(), nullable=False),
        sa.Column("returned_tax", Amount(), nullable=False),
        sa.PrimaryKeyConstraint("day", "till", "tax_rate", name=op.f("pk_sales_by_rate_day")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_journal_action_at", "journal", ["action", "at", "till", "user_id", "approver_id"])
    op.drop_index("ix_invoices_report", "invoices")
    op.create_index("ix_invoices_report", "invoices", [*INVOICE_REPORT_COLUMNS, "user_id", "change"])
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_journal_action_at", "journal")
    op.drop_index("ix_invoices_report", "invoices")
    op.create_index("ix_invoices_report", "invoices", INVOICE_REPORT_COLUMNS)
    op.drop_table("sales_by_rate_day")
    op.drop_table("sales_by_product_day")
    op.drop_index(op.f("ix_products_category"), "products")
    op.drop_column("products", "category")
