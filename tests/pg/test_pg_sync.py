"""The sync engine on a real PostgreSQL server: the outbox drains to the Pod fake, and two
engines (two processes' worth of connections) claiming at once deliver every invoice exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

import pytest

from posapp.domain.sync import OutboxState
from tests.sync import providers_under_test as put
from tests.sync.conftest import Shop

pytestmark = pytest.mark.postgres


@dataclass
class PostgresShop(Shop):
    """A `Shop` whose database is on the PostgreSQL server instead of a SQLite file."""

    url: str = ""

    @property
    def database_url(self) -> str:
        return self.url


@pytest.fixture
def pod_shop(tmp_path, postgres_url):
    with put.start_fake("pod") as fake:
        shop = PostgresShop(tmp_path, ("pod",), {"pod": fake}, url=postgres_url)
        shop.open()
        try:
            yield shop
        finally:
            assert shop.services is not None
            shop.services.close()


def delivered_exactly_once(shop, invoices):
    records = put.remote_invoices("pod", shop.fakes["pod"])
    counts = Counter(r.number for r in records)
    by_number = {r.number: r for r in records}
    assert sorted(counts) == sorted(put.remote_key("pod", invoice.number) for invoice in invoices)
    for invoice in invoices:
        key = put.remote_key("pod", invoice.number)
        assert counts[key] == 1, f"{invoice.number} delivered {counts[key]} times"
        assert by_number[key].payable == invoice.totals.payable


def test_the_outbox_drains_to_pod_and_a_cancellation_follows_its_sale(pod_shop):
    sales = pod_shop.sell(5)
    pod_shop.services.invoicing.cancel(sales[0].number, "مشتری منصرف شد")
    summary = pod_shop.engine().run_once()
    assert summary.rejected == 0
    delivered_exactly_once(pod_shop, sales)
    [counts] = pod_shop.engine().queue.status()
    assert (counts.pending, counts.in_flight, counts.failed) == (0, 0, 0)
    assert counts.done == summary.delivered
    states = pod_shop.engine().queue.states_for([sale.id for sale in sales])
    assert all(set(by_provider.values()) == {OutboxState.DONE} for by_provider in states.values())
    assert {r.state for r in put.remote_invoices("pod", pod_shop.fakes["pod"])
            if r.number == put.remote_key("pod", sales[0].number)} == {"cancelled"}
    assert pod_shop.engine().run_once().delivered == 0


def test_two_engines_claiming_at_once_deliver_every_invoice_exactly_once(pod_shop):
    sales = pod_shop.sell(24, lines=1)
    fake = pod_shop.fakes["pod"]
    fake.faults.latency.sometimes(1.0)
    fake.faults.latency_seconds = 0.01
    engines = [pod_shop.engine(seed=seed) for seed in range(2)]
    start = threading.Barrier(len(engines))
    summaries = []
    errors = []

    def drain(engine):
        start.wait()
        try:
            summaries.append(engine.run_once())
        except Exception as exc:  # judged below
            errors.append(exc)

    threads = [threading.Thread(target=drain, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(s.delivered for s in summaries) == 24
    assert all(s.rejected == 0 for s in summaries)
    delivered_exactly_once(pod_shop, sales)
