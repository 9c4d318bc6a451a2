"""Rate-limit buckets shared by every process syncing from this database, the key of each
sale's current remote document, and where an outbox row's count of tries restarts.

`rate_buckets` holds one token bucket per provider account and host, so the app's worker and any
number of `posapp sync --once` runs together stay under the provider's limit. `remote_links`
gains `remote_key`: the provider's own key (Pod's billNumber) of the document that currently
stands for the invoice, which changes when Pod cancels and re-issues a sale after a return. `outbox.retried_from` is the
row's `attempts` when the cashier last asked for a retry: `attempts` itself only ever grows (it
is the row's fencing token), and the engine gives up after a bounded number of tries since then.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_buckets",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("refreshed_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_buckets")),
    )
    with op.batch_alter_table("remote_links") as batch:
        batch.add_column(sa.Column("remote_key", sa.String(length=128), nullable=False, server_default=""))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("retried_from", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("retried_from")
    with op.batch_alter_table("remote_links") as batch:
        batch.drop_column("remote_key")
    op.drop_table("rate_buckets")
