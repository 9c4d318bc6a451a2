"""Service fixtures: AppServices over a fresh SQLite file, a configured shop, a few products."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from posapp.services.catalog import ProductInput
from posapp.services.context import AppServices
from posapp.settings.shop import SHOP_NAME, SHOP_NATIONAL_ID, TILL_CODE
from posapp.settings.store import SettingsStore
from posapp.storage import migrate
from posapp.storage.engine import Database


@pytest.fixture
def settings(tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    store.set(SHOP_NAME, "فروشگاه نمونه")
    store.set(SHOP_NATIONAL_ID, "0012345679")
    store.set(TILL_CODE, "1")
    return store


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """One database migrated to head per test session; each test starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database.engine)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def database_url(tmp_path, migrated_template):
    path = tmp_path / "posapp.sqlite3"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def services(database_url, settings):
    with AppServices.open(database_url, settings=settings) as opened:
        yield opened


@pytest.fixture
def products(services):
    """Three products: milk (9% override? no: table rate), exempt bread, weighed cheese."""
    catalog = services.catalog
    return {
        "milk": catalog.create(ProductInput(
            name="شیر پاستوریزه کاله ۱ لیتری", code="1001", price=Decimal(450000), unit="عدد",
            stock=Decimal(50), barcodes=("6260100110011",))),
        "bread": catalog.create(ProductInput(
            name="نان سنگک", code="1002", price=Decimal(120000), tax_exempt=True, stock=Decimal(20))),
        "cheese": catalog.create(ProductInput(
            name="پنیر لیقوان", code="1003", price=Decimal(3200000), unit="کیلوگرم",
            stock=Decimal("10.500"), tax_rate_override=Decimal("0.09"))),
    }
