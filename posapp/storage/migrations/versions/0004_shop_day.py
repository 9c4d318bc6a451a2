"""The shop's day: roles, users, shifts, cash movements and the hash-chained journal; the
user and shift of every invoice and payment.

The built-in roles are created here, and the journal starts with one record saying which
invoices and payments existed before it (those are outside the journal's proof).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from posapp.storage.journal import start_record
from posapp.storage.models import JournalHeadRow, JournalRow, RoleRow
from posapp.storage.roles import builtin_role_rows
from posapp.storage.types import Amount, DiscountValue, UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("invoices", "user_id", "users"),
    ("invoices", "shift_id", "shifts"),
    ("invoices", "cancelled_by", "users"),
    ("invoices", "cancel_shift_id", "shifts"),
    ("payments", "user_id", "users"),
    ("payments", "shift_id", "shifts"),
)
INDEXED = {("invoices", "shift_id"), ("invoices", "cancel_shift_id"), ("payments", "shift_id")}


def upgrade() -> None:
    op.create_table(
        "roles",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("permissions", sa.Text(), nullable=False),
        sa.Column("max_discount_percent", DiscountValue(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_roles")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("pin_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("wrong_pins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["role"], ["roles.name"], name=op.f("fk_users_role_roles"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("till", sa.String(8), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opening_float", Amount(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("expected_cash", Amount(), nullable=True),
        sa.Column("counted_cash", Amount(), nullable=True),
        sa.Column("counted_notes", sa.Text(), nullable=False),
        sa.Column("z_report", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["opened_by"], ["users.id"], name=op.f("fk_shifts_opened_by_users")),
        sa.ForeignKeyConstraint(["closed_by"], ["users.id"], name=op.f("fk_shifts_closed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
        sa.UniqueConstraint("till", "number", name="uq_shifts_till_number"),
    )
    op.create_index("uq_shifts_open_per_till", "shifts", ["till"], unique=True,
                    sqlite_where=sa.text("closed_at IS NULL"), postgresql_where=sa.text("closed_at IS NULL"))
    op.create_index("ix_shifts_opened_at", "shifts", ["opened_at"])
    op.create_table(
        "cash_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("amount", Amount(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('in', 'out')", name=op.f("ck_cash_movements_kind")),
        sa.ForeignKeyConstraint(["shift_id"], ["shifts.id"], name=op.f("fk_cash_movements_shift_id_shifts")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_cash_movements_user_id_users")),
        sa.ForeignKeyConstraint(["approver_id"], ["users.id"], name=op.f("fk_cash_movements_approver_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movements")),
    )
    op.create_index(op.f("ix_cash_movements_shift_id"), "cash_movements", ["shift_id"])
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("till", sa.String(8), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("approver_name", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal")),
        sa.UniqueConstraint("seq", name=op.f("uq_journal_seq")),
    )
    op.create_table(
        "journal_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_head")),
    )
    connection = op.get_bind()
    for table, column, target in NEW_COLUMNS:
        fk_name = f"fk_{table}_{column}_{target}"
        if connection.dialect.name == "sqlite":
            # SQLite adds a column with its foreign key in place; a batch copy of the table would
            # drop the old one, and with foreign keys on that cascades into its children.
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
                       f"CONSTRAINT {fk_name} REFERENCES {target} (id)")
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(fk_name, table, target, [column], ["id"])
        if (table, column) in INDEXED:
            op.create_index(f"ix_{table}_{column}", table, [column])

    connection.execute(sa.insert(RoleRow.__table__), builtin_role_rows())
    invoices_before = connection.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM invoices")).scalar_one()
    payments_before = connection.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM payments")).scalar_one()
    record = start_record(datetime.now(UTC), int(invoices_before), int(payments_before))
    connection.execute(sa.insert(JournalRow.__table__), [record])
    connection.execute(sa.insert(JournalHeadRow.__table__),
                       [{"id": 1, "last_seq": record["seq"], "last_hash": record["hash"]}])


def downgrade() -> None:
    connection = op.get_bind()
    for table, column, target in reversed(NEW_COLUMNS):
        if (table, column) in INDEXED:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        if connection.dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_constraint(f"fk_{table}_{column}_{target}", table, type_="foreignkey")
            op.drop_column(table, column)
    op.drop_table("journal_head")
    op.drop_table("journal")
    op.drop_index(op.f("ix_cash_movements_shift_id"), table_name="cash_movements")
    op.drop_table("cash_movements")
    op.drop_index("ix_shifts_opened_at", table_name="shifts")
    op.drop_index("uq_shifts_open_per_till", table_name="shifts")
    op.drop_table("shifts")
    op.drop_table("users")
    op.drop_table("roles")
