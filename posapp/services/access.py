"""People at the till: users with PINs and roles, sign-in with lockout, permission checks and
manager approval. Every change is journaled in its own transaction.

The API other features call before a guarded action (reprint, open the drawer, ...):
`require(actor, permission)` raises `AccessDeniedError` unless the actor's role, or the role
of the manager who approved (`approve`), allows it; `record(actor, action, subject, payload)`
journals the action itself. Each write to users and roles announces `Changes(users=True)` on the
database's feed (`posapp.services.changes`). A database with no users yet (first start) allows everything, as
posapp did before users existed; the first user must be an owner.
Thread-safe: each call opens its own session.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from posapp.domain.access import (
    OWNER_ROLE,
    SYSTEM,
    AccessDeniedError,
    Actor,
    Permission,
    Role,
    SignInError,
    hash_pin,
    locked_until_after,
    pin_matches,
)
from posapp.domain.errors import DomainError, NotFoundError, ValidationError
from posapp.domain.jalali import format_jalali_datetime
from posapp.services._common import required_text
from posapp.services.changes import JOURNAL_ONLY, USERS, writes
from posapp.storage import journal
from posapp.storage.engine import Database
from posapp.storage.models import RoleRow, UserRow
from posapp.storage.roles import role_from_row, role_values

RECORDED_ACTIONS = frozenset({"approval", "price.override", "discount.override", "drawer.open", "reprint"})
"""Actions other features journal through `record` (their own changes journal themselves)."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    active: bool
    locked_until: datetime | None

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.name)

    def allows(self, permission: Permission) -> bool:
        return self.active and self.role.allows(permission)


def _user(row: UserRow, role: Role) -> User:
    return User(row.id, row.name, role, row.active, row.locked_until)


class TillSession:
    """Who is signed in at this till, for the GUI's calls that name no actor: a new draft's
    cashier, a cancellation or payment recorded from a dialog. `acting` lends the actor a
    manager's approval for one action. Read and written on the GUI thread only."""

    def __init__(self) -> None:
        self.user: User | None = None
        self._lent: Actor | None = None

    @property
    def actor(self) -> Actor:
        if self._lent is not None:
            return self._lent
        return self.user.actor if self.user is not None else SYSTEM

    @contextmanager
    def acting(self, actor: Actor) -> Iterator[None]:
        """`actor` (say, the cashier with a manager's approval) acts for the block's duration."""
        previous, self._lent = self._lent, actor
        try:
            yield
        finally:
            self._lent = previous


class AccessService:
    def __init__(self, database: Database, till: str = "1", session: TillSession | None = None) -> None:
        self._db = database
        self.till = till
        self.session = session or TillSession()

    # -- reading ---------------------------------------------------------------------------

    def has_users(self) -> bool:
        with self._db.read() as session:
            return has_users(session)

    def users(self, *, include_disabled: bool = True) -> list[User]:
        with self._db.read() as session:
            roles = _roles(session)
            statement = select(UserRow).order_by(UserRow.name)
            if not include_disabled:
                statement = statement.where(UserRow.active.is_(True))
            return [_user(row, roles[row.role]) for row in session.execute(statement).scalars()]

    def user(self, name: str) -> User:
        with self._db.read() as session:
            row = _user_row(session, name)
            return _user(row, _roles(session)[row.role])

    def roles(self) -> list[Role]:
        with self._db.read() as session:
            return sorted(_roles(session).values(), key=lambda role: role.name)

    # -- changing users and roles ----------------------------------------------------------

    @writes(USERS)
    def add_user(self, name: str, role: str, pin: str, actor: Actor = SYSTEM) -> User:
        """A new active user. The first user of a database must be an owner; later ones need
        MANAGE_USERS. The PIN is hashed before anything is written."""
        name = required_text(name, field="name", label_fa="نام کاربر", label_en="user name", max_length=100)
        pin_hash = hash_pin(pin)
        now = datetime.now(UTC)
        try:
            with self._db.write() as session:
                first = not has_users(session)
                if first and role != OWNER_ROLE:
                    raise ValidationError("role", "نخستین کاربر باید مالک باشد", "the first user must be an owner")
                if not first:
                    require_in(session, actor, Permission.MANAGE_USERS)
                roles = _roles(session)
                if role not in roles:
                    raise ValidationError("role", f"نقش «{role}» وجود ندارد", f"there is no role '{role}'")
                row = UserRow(name=name, role=role, pin_hash=pin_hash, active=True, wrong_pins=0,
                              created_at=now, updated_at=now)
                session.add(row)
                session.flush()
                journal.append(session, self.till, actor if not first else Actor(row.id, name),
                               "user.add", name, {"user_id": row.id, "role": role})
                return _user(row, roles[role])
        except IntegrityError as exc:
            raise ValidationError("name", f"کاربری به نام «{name}» هست", f"a user named '{name}' exists") from exc

    @writes(USERS)
    def set_active(self, name: str, active: bool, actor: Actor = SYSTEM) -> User:
        with self._db.write() as session:
            require_in(session, actor, Permission.MANAGE_USERS)
            row = _user_row(session, name)
            if not active and row.role == OWNER_ROLE and _active_owners(session) <= 1 and row.active:
                raise ValidationError("name", "آخرین مالک فعال را نمی‌توان غیرفعال کرد",
                                      "the last active owner cannot be disabled")
            row.active = active
            row.updated_at = datetime.now(UTC)
            journal.append(session, self.till, actor, "user.enable" if active else "user.disable", row.name,
                           {"user_id": row.id})
            return _user(row, _roles(session)[row.role])

    @writes(USERS)
    def reset_pin(self, name: str, pin: str, actor: Actor = SYSTEM) -> None:
        """A new PIN (and the lockout lifted). Needs MANAGE_USERS, unless users change their own."""
        pin_hash = hash_pin(pin)
        with self._db.write() as session:
            row = _user_row(session, name)
            if actor.user_id != row.id or actor.approver_id is not None:
                require_in(session, actor, Permission.MANAGE_USERS)
            row.pin_hash = pin_hash
            row.wrong_pins = 0
            row.locked_until = None
            row.updated_at = datetime.now(UTC)
            journal.append(session, self.till, actor, "user.reset_pin", row.name, {"user_id": row.id})

    @writes(USERS)
    def set_role(self, name: str, label: str, permissions: Iterable[Permission],
                 max_discount_percent: Decimal, actor: Actor = SYSTEM) -> Role:
        """Create or change a role. The owner role always keeps every permission."""
        name = required_text(name, field="role", label_fa="نام نقش", label_en="role name", max_length=32)
        if not Decimal(0) <= max_discount_percent <= Decimal(100):
            raise ValidationError("max_discount_percent", "سقف تخفیف باید بین ۰ و ۱۰۰ درصد باشد",
                                  "the discount limit must be between 0 and 100 percent")
        role = Role(name, label.strip() or name, frozenset(permissions), max_discount_percent)
        with self._db.write() as session:
            require_in(session, actor, Permission.MANAGE_USERS)
            if name == OWNER_ROLE:
                raise ValidationError("role", "نقش مالک همه اجازه‌ها را دارد و تغییر نمی‌کند",
                                      "the owner role holds every permission and cannot change")
            row = session.get(RoleRow, name)
            values = role_values(role)
            if row is None:
                session.add(RoleRow(**values))
            else:
                for key in ("label", "permissions", "max_discount_percent"):
                    setattr(row, key, values[key])
            session.flush()
            journal.append(session, self.till, actor, "role.set", name, {
                "permissions": sorted(p.value for p in role.permissions),
                "max_discount_percent": max_discount_percent})
            return role

    # -- signing in, permissions and approval ----------------------------------------------

    @writes(USERS, kept_on=(SignInError,))
    def sign_in(self, name: str, pin: str) -> User:
        """The user, if `pin` is theirs; a wrong PIN counts towards a lockout (committed even
        though sign-in fails). Messages never say whether the name or the PIN was wrong."""
        now = datetime.now(UTC)
        with self._db.write() as session:
            row = session.execute(select(UserRow).where(UserRow.name == name.strip())).scalar_one_or_none()
            if row is None or not row.active:
                raise SignInError("نام یا رمز نادرست است، یا کاربر غیرفعال است",
                                  "wrong name or PIN, or the user is disabled")
            if row.locked_until is not None and row.locked_until > now:
                until = format_jalali_datetime(row.locked_until)
                raise SignInError(f"این کاربر به دلیل رمزهای نادرست تا {until} قفل است",
                                  f"this user is locked after wrong PINs until {format_jalali_datetime(row.locked_until, False)}")
            if not pin_matches(pin, row.pin_hash):
                row.wrong_pins += 1
                row.locked_until = locked_until_after(row.wrong_pins, now)
                if row.locked_until is not None:
                    row.wrong_pins = 0
                    journal.append(session, self.till, Actor(row.id, row.name), "user.locked", row.name,
                                   {"user_id": row.id, "until": row.locked_until})
                failure = SignInError("نام یا رمز نادرست است", "wrong name or PIN")
            else:
                row.wrong_pins = 0
                row.locked_until = None
                failure = None
                user = _user(row, _roles(session)[row.role])
        if failure is not None:
            raise failure
        return user

    def allows(self, actor: Actor, permission: Permission) -> bool:
        with self._db.read() as session:
            return _allows(session, actor, permission)

    @writes(JOURNAL_ONLY)
    def approve(self, actor: Actor, permission: Permission, manager_name: str, pin: str,
                detail: str = "") -> Actor:
        """A manager's approval for `actor` to do one `permission` action: the manager signs in
        with their PIN (wrong PINs count towards their lockout) and must hold the permission.
        The approval is journaled with both names; the returned actor carries the approver."""
        manager = self.sign_in(manager_name, pin)
        if not manager.allows(permission):
            raise AccessDeniedError(permission, manager.name)
        approved = actor.approved_by(manager.actor)
        with self._db.write() as session:
            journal.append(session, self.till, approved, "approval", permission.value,
                           {"permission": permission.value, "detail": detail})
        return approved

    @writes(JOURNAL_ONLY)
    def record(self, actor: Actor, action: str, subject: str, payload: Mapping[str, object]) -> None:
        """Journal an action that changes no other row (a drawer opened without a sale, a price
        overridden on a draft line, a reprint)."""
        if action not in RECORDED_ACTIONS:
            raise ValueError(f"unknown journal action {action!r}")
        with self._db.write() as session:
            journal.append(session, self.till, actor, action, subject, payload)



def has_users(session: Session) -> bool:
    return session.execute(select(UserRow.id).limit(1)).first() is not None


def _active_owners(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(UserRow).where(
        UserRow.role == OWNER_ROLE, UserRow.active.is_(True))).scalar_one())


def _roles(session: Session) -> dict[str, Role]:
    return {row.name: role_from_row(row) for row in session.execute(select(RoleRow)).scalars()}


def _user_row(session: Session, name: str) -> UserRow:
    row = session.execute(select(UserRow).where(UserRow.name == name.strip())).scalar_one_or_none()
    if row is None:
        raise NotFoundError(f"کاربر «{name}» پیدا نشد", f"user '{name}' was not found")
    return row


def _allows(session: Session, actor: Actor, permission: Permission) -> bool:
    if not has_users(session):
        return True
    roles = _roles(session)
    for user_id in (actor.user_id, actor.approver_id):
        if user_id is None:
            continue
        row = session.get(UserRow, user_id)
        if row is not None and row.active and roles[row.role].allows(permission):
            return True
    return False


def require_in(session: Session, actor: Actor, permission: Permission) -> None:
    """Raise `AccessDeniedError` unless `actor` (or the manager who approved) may do it, inside
    the caller's transaction (services check and write at once)."""
    if not _allows(session, actor, permission):
        raise AccessDeniedError(permission, actor.name or "?")


def signed_in_actor(session: Session, actor: Actor) -> None:
    """Once a shop has users, every change needs a signed-in, active user."""
    if not has_users(session):
        return
    row = session.get(UserRow, actor.user_id) if actor.user_id is not None else None
    if row is None or not row.active:
        raise NoUserError()


class NoUserError(DomainError):
    def __init__(self) -> None:
        super().__init__("نخست با نام و رمز خود وارد شوید", "sign in with your name and PIN first")

