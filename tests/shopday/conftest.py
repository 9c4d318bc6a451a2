"""Shop-day fixtures: services with an owner, a cashier and an open shift on till 1."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.services.conftest import database_url, migrated_template, settings  # noqa: F401
from tests.shop_data import create_products

OWNER_PIN = "1357"
CASHIER_PIN = "2468"


@pytest.fixture
def services(database_url, settings):  # noqa: F811
    from posapp.services.context import AppServices

    with AppServices.open(database_url, settings=settings) as opened:
        yield opened


@pytest.fixture
def products(services):
    return create_products(services.catalog)


@pytest.fixture
def owner(services):
    return services.access.add_user("مالک", "owner", OWNER_PIN)


@pytest.fixture
def cashier(services, owner):
    return services.access.add_user("سارا", "cashier", CASHIER_PIN, owner.actor)


@pytest.fixture
def shift(services, owner, cashier):
    return services.shifts.open(Decimal(5_000_000), cashier.actor)
