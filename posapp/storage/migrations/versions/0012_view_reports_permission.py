"""The owner's reports get their own permission: the built-in manager role, which holds every
permission but users and settings, is given it in databases made before it existed (a new
database's roles are written with it by 0004). The cashier role does not get it: a cashier asks
a manager to approve opening the reports, which show every user's sales.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

PERMISSION = "view_reports"
_ROLES = sa.table("roles", sa.column("name", sa.String), sa.column("permissions", sa.Text),
                  sa.column("builtin", sa.Boolean))


def _rewrite(change: bool) -> None:
    connection = op.get_bind()
    row = connection.execute(sa.select(_ROLES.c.permissions)
                             .where(_ROLES.c.name == "manager", _ROLES.c.builtin.is_(True))).first()
    if row is None:
        return
    permissions = {p for p in row.permissions.split(",") if p}
    permissions = permissions | {PERMISSION} if change else permissions - {PERMISSION}
    connection.execute(sa.update(_ROLES).where(_ROLES.c.name == "manager")
                       .values(permissions=",".join(sorted(permissions))))


def upgrade() -> None:
    _rewrite(True)


def downgrade() -> None:
    _rewrite(False)
