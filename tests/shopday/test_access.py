"""Users, PINs, lockout, permissions and manager approval through AccessService."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from posapp.domain.access import (
    MAX_WRONG_PINS,
    AccessDeniedError,
    Permission,
    SignInError,
    hash_pin,
    normalize_pin,
    pin_matches,
)
from posapp.domain.errors import ValidationError
from posapp.storage.models import JournalRow, UserRow
from tests.shopday.conftest import CASHIER_PIN, OWNER_PIN


def test_pin_takes_persian_digits_and_only_4_to_8_digits():
    assert normalize_pin("۱۲۳۴") == "1234"
    assert normalize_pin(" 12345678 ") == "12345678"
    for bad in ("123", "123456789", "12a4", "", "۱۲۳"):
        with pytest.raises(ValidationError):
            normalize_pin(bad)


def test_pin_hash_is_salted_scrypt_and_never_holds_the_pin():
    first, second = hash_pin("4321"), hash_pin("4321")
    assert first != second
    assert first.startswith("scrypt$")
    assert "4321" not in first
    assert pin_matches("۴۳۲۱", first)
    assert not pin_matches("4322", first)
    assert not pin_matches("4321", "plain$4321")


def test_first_user_must_be_an_owner_and_later_ones_need_manage_users(services):
    assert not services.access.has_users()
    with pytest.raises(ValidationError):
        services.access.add_user("سارا", "cashier", "2468")
    owner = services.access.add_user("مالک", "owner", OWNER_PIN)
    cashier = services.access.add_user("سارا", "cashier", CASHIER_PIN, owner.actor)
    with pytest.raises(AccessDeniedError):
        services.access.add_user("رضا", "cashier", "1111", cashier.actor)
    with pytest.raises(ValidationError):
        services.access.add_user("سارا", "cashier", "1111", owner.actor)
    with services.database.read() as session:
        stored = session.execute(select(UserRow.pin_hash)).scalars().all()
        actions = session.execute(select(JournalRow.action, JournalRow.user_name).order_by(JournalRow.seq)).all()
    assert all(OWNER_PIN not in h and CASHIER_PIN not in h for h in stored)
    assert [tuple(a) for a in actions[1:]] == [("user.add", "مالک"), ("user.add", "مالک")]


def test_wrong_pins_lock_the_user_and_the_right_pin_then_waits(services, cashier):
    assert services.access.sign_in("سارا", "۲۴۶۸").name == "سارا"
    for _ in range(MAX_WRONG_PINS):
        with pytest.raises(SignInError):
            services.access.sign_in("سارا", "0000")
    with pytest.raises(SignInError, match="locked"):
        services.access.sign_in("سارا", CASHIER_PIN)
    services.access.reset_pin("سارا", "9999", services.access.user("مالک").actor)
    assert services.access.sign_in("سارا", "9999").name == "سارا"


def test_a_disabled_user_cannot_sign_in_and_the_last_owner_stays(services, owner, cashier):
    services.access.set_active("سارا", False, owner.actor)
    with pytest.raises(SignInError):
        services.access.sign_in("سارا", CASHIER_PIN)
    with pytest.raises(ValidationError):
        services.access.set_active("مالک", False, owner.actor)


def test_cashier_lacks_cancel_and_a_managers_approval_is_journaled_with_both_names(services, owner, cashier):
    access = services.access
    assert not access.allows(cashier.actor, Permission.CANCEL_INVOICE)
    assert access.allows(cashier.actor, Permission.REPRINT)
    approved = access.approve(cashier.actor, Permission.CANCEL_INVOICE, "مالک", OWNER_PIN, "A-1")
    assert access.allows(approved, Permission.CANCEL_INVOICE)
    with services.database.read() as session:
        record = session.execute(select(JournalRow).where(JournalRow.action == "approval")).scalar_one()
    assert (record.user_name, record.approver_name) == ("سارا", "مالک")
    with pytest.raises(SignInError):
        access.approve(cashier.actor, Permission.CANCEL_INVOICE, "مالک", "0000")


def test_owner_changes_a_roles_permissions(services, owner, cashier):
    services.access.set_role("cashier", "صندوقدار", {Permission.REPRINT, Permission.CANCEL_INVOICE},
                             Decimal(10), owner.actor)
    assert services.access.allows(cashier.actor, Permission.CANCEL_INVOICE)
    with pytest.raises(AccessDeniedError):
        services.access.set_role("cashier", "x", set(Permission), Decimal(0), cashier.actor)
