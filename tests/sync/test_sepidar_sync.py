"""Sync with Sepidar (the shop's own server): invoices under their deterministic GUID exactly once
under faults, one request at a time, and the catalogue pulled in."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from posapp.services.sync.catalogue import pull_catalogue
from tests.sync import providers_under_test as put

CODES = tuple(code for code, _title, _fee in put.SEPIDAR_ITEMS)


def test_sepidar_gets_each_invoice_once_under_its_guid_despite_faults(make_shop):
    shop = make_shop("sepidar", seed=5)
    fake = shop.fakes["sepidar"]
    sales = shop.sell(6, product_codes=CODES)
    writes = {"Invoices.create"}
    fake.faults.drop_after_commit.next(2, operations=writes)
    fake.faults.server_error.next(1, operations=writes)
    engine = shop.engine()
    for _ in range(6):
        engine.run_once()
        [counts] = engine.queue.status()
        if counts.pending == 0:
            break
        shop.clock.advance(120)
    assert (counts.done, counts.failed, counts.pending) == (6, 0, 0)
    records = put.remote_invoices("sepidar", fake)
    copies = Counter(r.number for r in records)
    for sale in sales:
        key = put.remote_key("sepidar", sale.number)
        assert copies[key] == 1
    fired = Counter(r.fault for r in fake.requests if r.fault)
    assert fired["drop_after_commit"] == 2


def test_the_catalogue_comes_in_from_sepidar(make_shop):
    shop = make_shop("sepidar")
    fake = shop.fakes["sepidar"]
    fake.add_customer("زهرا", "کریمی", code="00077")
    summary = pull_catalogue(shop.engine(), "sepidar")
    assert summary.refused == ()
    assert summary.products_added >= len(put.SEPIDAR_ITEMS)
    assert summary.customers_added >= 2
    rice = shop.services.catalog.find_by_code("2003")
    assert (rice.name, rice.price) == ("برنج", Decimal(2_900_000))
    assert shop.services.customers.search("زهرا کریمی")[0].name == "زهرا کریمی"
    again = pull_catalogue(shop.engine(), "sepidar")
    assert (again.products_added, again.products_updated, again.customers_added) == (0, 0, 0)


def test_sepidar_declares_one_request_at_a_time_and_gets_one_lane(make_shop):
    """The limit is the provider's own (`max_lanes`), not a list of names in the engine."""
    shop = make_shop("sepidar", seed=6)
    fake = shop.fakes["sepidar"]
    shop.sell(5, product_codes=CODES)
    built = []

    def factory(name):
        built.append(name)
        return put.client_for(name, fake)

    from posapp.services.sync.engine import SyncEngine
    from tests.sync.conftest import FAST_POLICY

    assert FAST_POLICY.lanes > 1
    engine = SyncEngine(shop.services, factory, clock=shop.clock, policy=FAST_POLICY)
    summary = engine.run_once()
    assert len(summary.outcomes) == 5
    assert built == ["sepidar"]  # one client: one lane
