"""Leases and fencing (issue 19, item 1): a worker whose row was taken over sends nothing more
for it, and one that paused past its lease asks the provider before sending."""

from __future__ import annotations

from datetime import timedelta

from posapp.domain.sync import OutboxState
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.results import ItemResult
from posapp.storage import outbox
from tests.sync import providers_under_test as put
from tests.sync.conftest import FAST_POLICY


class PausingClient:
    """A Pod client that, before its first issue, lets `pause()` run: the worker stalls there
    (a debugger, a suspended laptop, a swap storm) while the test moves the world on."""

    def __init__(self, client, pause):
        self._client = client
        self._pause = pause

    def push_invoice(self, invoice, key):
        pause, self._pause = self._pause, None
        if pause is not None:
            pause()
        return self._client.push_invoice(invoice, key)

    def __getattr__(self, name):
        return getattr(self._client, name)


def engine_pausing(shop, pause):
    fake = shop.fakes["pod"]
    return SyncEngine(shop.services, lambda name: PausingClient(put.client_for(name, fake), pause),
                      clock=shop.clock, policy=FAST_POLICY)


def test_a_worker_whose_row_was_taken_over_sends_nothing_more_for_it(make_shop):
    shop = make_shop("pod")
    shop.sell(1)
    fake = shop.fakes["pod"]
    taken = []

    def another_worker_takes_over():
        shop.clock.advance(FAST_POLICY.lease_seconds + 1)
        now = shop.clock()
        taken.extend(outbox.claim_due(shop.services.database, "pod", now,
                                          now + timedelta(seconds=60), 8))

    [outcome] = engine_pausing(shop, another_worker_takes_over).run_once().outcomes
    assert outcome.result is ItemResult.LOST_LEASE
    assert [row.attempts for row in taken] == [2]
    assert put.remote_invoices("pod", fake) == []  # the stale worker sent nothing
    [row] = outbox.items(shop.services.database)
    assert (row.state, row.attempts) == (OutboxState.IN_FLIGHT, 2)  # still the other worker's


def test_a_worker_that_paused_past_its_lease_asks_the_provider_before_sending(make_shop):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    fake = shop.fakes["pod"]
    lookups_before = []

    def pause_past_the_lease():
        shop.clock.advance(FAST_POLICY.lease_seconds + 1)
        lookups_before.append(fake.count("getInvoiceList"))

    [outcome] = engine_pausing(shop, pause_past_the_lease).run_once().outcomes
    assert outcome.result is ItemResult.DELIVERED
    lookups = fake.count("getInvoiceList")
    assert lookups > lookups_before[0]  # it looked the invoice up before issuing it
    assert [r.number for r in put.remote_invoices("pod", fake)] == [put.remote_key("pod", sale.number)]
