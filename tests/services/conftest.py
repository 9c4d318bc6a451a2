"""Service fixtures: AppServices over a fresh SQLite file, a configured shop, a few products."""

from __future__ import annotations

import shutil

import pytest

from posapp.services.context import AppServices
from posapp.settings.shop import SHOP_NAME, SHOP_NATIONAL_ID, TILL_CODE
from posapp.settings.store import SettingsStore
from posapp.storage import migrate
from posapp.storage.engine import Database
from tests.report_data import all_invoices, build_report_shop
from tests.shop_data import create_products


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
    return create_products(services.catalog)


@pytest.fixture(scope="module")
def report_shop(tmp_path_factory, migrated_template):
    """A shop with a year of demo sales and every kind of correction (tests/report_data.py),
    built once per module (it issues some 300 documents)."""
    folder = tmp_path_factory.mktemp("reports")
    shutil.copyfile(migrated_template, folder / "posapp.sqlite3")
    settings = SettingsStore(folder / "settings.json")
    settings.set(SHOP_NAME, "فروشگاه نمونه")
    settings.set(SHOP_NATIONAL_ID, "0012345679")
    settings.set(TILL_CODE, "1")
    with AppServices.open(f"sqlite:///{folder / 'posapp.sqlite3'}", settings=settings) as services:
        built = build_report_shop(services)
        yield services, built, all_invoices(services)
