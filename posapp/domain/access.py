"""Who may do what at the till: permissions, roles, PIN rules and the wrong-PIN lockout.

A PIN is 4 to 8 digits, typed with Persian, Arabic-Indic or Latin digits; it is kept only as a
salted scrypt hash (hashlib's implementation of RFC 7914) in the form
`scrypt$N$r$p$salt$hash`, and compared in constant time. Pure Python, no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.text import to_ascii_digits


class Permission(StrEnum):
    CANCEL_INVOICE = "cancel_invoice"
    MAKE_RETURN = "make_return"
    CHANGE_PRICE = "change_price"
    DISCOUNT_ABOVE_LIMIT = "discount_above_limit"
    """A line or invoice discount above the role's `max_discount_percent`."""
    REPRINT = "reprint"
    OPEN_DRAWER = "open_drawer"
    """Open the cash drawer without a sale."""
    CASH_IN_OUT = "cash_in_out"
    """Paid-in and paid-out entries during a shift."""
    CLOSE_SHIFT = "close_shift"
    MANAGE_PRODUCTS = "manage_products"
    MANAGE_CUSTOMERS = "manage_customers"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_USERS = "manage_users"
    VIEW_REPORTS = "view_reports"
    """The owner's reports (Ctrl+5): every user's sales, the shop's takings and VAT."""


PERMISSION_LABELS: dict[Permission, tuple[str, str]] = {
    Permission.CANCEL_INVOICE: ("ابطال فاکتور", "cancel an invoice"),
    Permission.MAKE_RETURN: ("برگشت از فروش", "make a return"),
    Permission.CHANGE_PRICE: ("تغییر قیمت واحد", "change a unit price"),
    Permission.DISCOUNT_ABOVE_LIMIT: ("تخفیف بیش از سقف نقش", "a discount above the role's limit"),
    Permission.REPRINT: ("چاپ دوباره", "reprint"),
    Permission.OPEN_DRAWER: ("باز کردن کشو بدون فروش", "open the drawer without a sale"),
    Permission.CASH_IN_OUT: ("ورود و خروج وجه نقد", "paid-in and paid-out"),
    Permission.CLOSE_SHIFT: ("بستن شیفت", "close a shift"),
    Permission.MANAGE_PRODUCTS: ("مدیریت کالاها", "manage products"),
    Permission.MANAGE_CUSTOMERS: ("مدیریت مشتریان", "manage customers"),
    Permission.MANAGE_SETTINGS: ("مدیریت تنظیمات", "manage settings"),
    Permission.MANAGE_USERS: ("مدیریت کاربران", "manage users"),
    Permission.VIEW_REPORTS: ("دیدن گزارش‌های فروشگاه", "view the shop's reports"),
}

OWNER_ROLE = "owner"
MANAGER_ROLE = "manager"
CASHIER_ROLE = "cashier"


@dataclass(frozen=True)
class Role:
    """A named set of permissions. The owner role holds every permission whatever is stored."""

    name: str
    label: str
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    max_discount_percent: Decimal = Decimal(0)
    """Discounts up to this percentage need no permission; above it, DISCOUNT_ABOVE_LIMIT."""

    def allows(self, permission: Permission) -> bool:
        return self.name == OWNER_ROLE or permission in self.permissions


BUILTIN_ROLES: tuple[Role, ...] = (
    Role(OWNER_ROLE, "مالک", frozenset(Permission), Decimal(100)),
    Role(MANAGER_ROLE, "مدیر", frozenset(Permission) - {Permission.MANAGE_USERS, Permission.MANAGE_SETTINGS},
         Decimal(100)),
    Role(CASHIER_ROLE, "صندوقدار", frozenset({Permission.REPRINT}), Decimal(5)),
)
"""The roles every database starts with; the owner may change the manager's and cashier's
permissions and add roles of their own."""

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8


def normalize_pin(text: str) -> str:
    """The PIN as Latin digits; refuses anything but 4 to 8 digits (Persian digits allowed)."""
    pin = to_ascii_digits(text.strip())
    if not (PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS and pin.isascii() and pin.isdigit()):
        raise ValidationError("pin", "رمز باید ۴ تا ۸ رقم باشد", "the PIN must be 4 to 8 digits")
    return pin


SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash of the normalised PIN (a fresh random salt unless given)."""
    pin = normalize_pin(pin)
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether `pin` is the one `stored` was made from (constant-time comparison); a malformed
    PIN or stored value simply does not match."""
    try:
        pin = normalize_pin(pin)
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(pin.encode("ascii"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except (ValueError, ValidationError):
        return False
    return hmac.compare_digest(actual, expected)


MAX_WRONG_PINS = 5
LOCKOUT = timedelta(minutes=5)


def locked_until_after(wrong_pins: int, now: datetime) -> datetime | None:
    """When a user who has now typed `wrong_pins` wrong PINs in a row may try again."""
    return now + LOCKOUT if wrong_pins >= MAX_WRONG_PINS else None


class AccessDeniedError(DomainError):
    """The signed-in user lacks a permission (and no manager approved the action)."""

    def __init__(self, permission: Permission, user_name: str) -> None:
        label_fa, label_en = PERMISSION_LABELS[permission]
        super().__init__(
            f"«{user_name}» اجازه «{label_fa}» را ندارد؛ تأیید مدیر لازم است",
            f"{user_name} may not {label_en}; a manager's approval is needed",
        )
        self.permission = permission


class SignInError(DomainError):
    """A wrong PIN, a disabled or locked user; says which without revealing the PIN."""


@dataclass(frozen=True)
class Actor:
    """Who does an action: the signed-in user and, when a manager approved it, the manager.
    Recorded on the journal record and on the rows the action writes."""

    user_id: int | None
    name: str
    approver_id: int | None = None
    approver_name: str = ""

    def approved_by(self, approver: Actor) -> Actor:
        return Actor(self.user_id, self.name, approver.user_id, approver.name)


SYSTEM = Actor(None, "")
"""No user: a database with no users yet (first start), or a maintenance command."""
