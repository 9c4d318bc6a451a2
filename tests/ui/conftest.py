"""GUI fixtures: a small real database made through the services, and the real main window.

The schema is migrated once per session into a template file that each test copies, so every
test has its own database without paying for migrations again. Teardown closes the window,
waits for background tasks and restores the Persian UI, so no thread, timer or translator
outlives a test.
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from posapp.app import PosApplication
from posapp.services.catalog import ProductInput
from posapp.services.context import AppServices
from posapp.services.customers import CustomerInput
from posapp.settings.shop import SHOP_NAME, TILL_CODE
from posapp.settings.store import SettingsStore
from posapp.settings.ui import CASHIER_NAME, UI_LANGUAGE
from posapp.ui.i18n import apply_language


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "posapp.sqlite3"
    settings = SettingsStore(path.with_suffix(".json"))
    with AppServices.open(f"sqlite:///{path}", settings=settings):
        pass
    return path


@pytest.fixture
def store(tmp_path):
    settings = SettingsStore(tmp_path / "settings.json")
    settings.set(SHOP_NAME, "فروشگاه نمونه")
    settings.set(TILL_CODE, "1")
    settings.set(CASHIER_NAME, "مریم")
    return settings


@pytest.fixture
def services(tmp_path, template_database, store):
    path = tmp_path / "posapp.sqlite3"
    shutil.copyfile(template_database, path)
    opened = AppServices.open(f"sqlite:///{path}", settings=store)
    yield opened
    opened.close()


@pytest.fixture
def catalog(services):
    """A few products: one with a barcode, one with a Latin-letter code, one weighed."""
    create = services.catalog.create
    return {
        "milk": create(ProductInput(name="شیر پاستوریزه ۱ لیتری", code="1001", price=Decimal(450000),
                                    stock=Decimal(50), barcodes=("6260100110011",))),
        "bread": create(ProductInput(name="نان سنگک", code="1002", price=Decimal(120000), tax_exempt=True)),
        "tea": create(ProductInput(name="چای سیاه گلستان", code="TEA-7", price=Decimal(1850000),
                                   tax_rate_override=Decimal("0.10"))),
        "cheese": create(ProductInput(name="پنیر لیقوان", code="1003", price=Decimal(3200000),
                                      unit="کیلوگرم", stock=Decimal("10.5"))),
    }


@pytest.fixture
def customer(services):
    return services.customers.create(CustomerInput(name="علی رضایی", mobile="09121234567",
                                                   national_id="0012345679"))


def _open_window(qapp, qtbot, store, services):
    pos = PosApplication(qapp, store, services, "posapp.sqlite3")
    window = pos.build_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return pos, window


@pytest.fixture
def pos(qapp, qtbot, store, services, catalog):
    """The application object with its main window shown, in Persian."""
    application, _window = _open_window(qapp, qtbot, store, services)
    yield application
    _close(qapp, application)


def _close(qapp, application):
    """Close the window and check nothing it started is still running."""
    window = application.window
    window.close()
    if application.sync is not None:
        application.sync.stop()
    application.tasks.shutdown()
    assert not application.tasks.busy
    assert not window.clock.isActive()
    assert not window.editor.product_search.is_open()
    apply_language(qapp, "fa")


@pytest.fixture
def window(pos):
    return pos.window


@pytest.fixture
def english_pos(qapp, qtbot, store, services, catalog):
    store.set(UI_LANGUAGE, "en")
    application, _window = _open_window(qapp, qtbot, store, services)
    yield application
    _close(qapp, application)
