"""Roles and users in the database: rows to domain values and back."""

from __future__ import annotations

from decimal import Decimal

from posapp.domain.access import BUILTIN_ROLES, Permission, Role
from posapp.storage.models import RoleRow


def role_values(role: Role, *, builtin: bool = False) -> dict[str, object]:
    return {"name": role.name, "label": role.label,
            "permissions": ",".join(sorted(p.value for p in role.permissions)),
            "max_discount_percent": role.max_discount_percent, "builtin": builtin}


def builtin_role_rows() -> list[dict[str, object]]:
    return [role_values(role, builtin=True) for role in BUILTIN_ROLES]


def role_from_row(row: RoleRow) -> Role:
    known = {p.value for p in Permission}
    return Role(
        name=row.name, label=row.label,
        permissions=frozenset(Permission(p) for p in row.permissions.split(",") if p in known),
        max_discount_percent=Decimal(row.max_discount_percent),
    )
