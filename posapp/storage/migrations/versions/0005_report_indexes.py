"""Indexes for the owner's reports: they sum invoices, lines and payments over a date range.

- invoices: issue time first, then the columns the sales, cashiers, customers and VAT reports read,
  so a range is summed from the index alone (the invoice rows also hold seller JSON and notes);
- invoice lines: invoice first, then product, rate, quantity and amounts, so the products and
  VAT reports join a range's lines without reading descriptions;
- invoices by customer with the amounts a balance sums (the customers report and the customer
  list's balance read them from the index alone);
- payments: by the time they were recorded (the payments report's range).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INVOICE_REPORT_COLUMNS = [
    "issued_at", "kind", "status", "till", "series", "sequence", "cashier", "customer_id", "gross", "line_discount",
    "invoice_discount", "net", "tax", "additions", "deductions", "payable",
]
LINE_REPORT_COLUMNS = ["invoice_id", "product_id", "tax_rate", "quantity", "net", "tax"]
BALANCE_COLUMNS = ["customer_id", "status", "kind", "payable", "settled", "credit"]


def upgrade() -> None:
    op.create_index("ix_invoices_report", "invoices", INVOICE_REPORT_COLUMNS)
    op.create_index("ix_invoices_balance", "invoices", BALANCE_COLUMNS)
    op.create_index("ix_invoice_lines_report", "invoice_lines", LINE_REPORT_COLUMNS)
    op.create_index("ix_payments_recorded_at", "payments", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_payments_recorded_at", "payments")
    op.drop_index("ix_invoice_lines_report", "invoice_lines")
    op.drop_index("ix_invoices_balance", "invoices")
    op.drop_index("ix_invoices_report", "invoices")
