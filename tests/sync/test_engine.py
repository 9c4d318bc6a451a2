"""The sync engine against real provider fakes: delivery, order, exactly once, retry and skip."""

from __future__ import annotations

from collections import Counter

from posapp.services import sync_store
from tests.sync import providers_under_test as put


def delivered_once(shop, name, invoices):
    records = put.remote_invoices(name, shop.fakes[name])
    counts = Counter(r.number for r in records)
    for invoice in invoices:
        assert counts[invoice.number] == 1, f"{invoice.number} on {name} {counts[invoice.number]} times"
    by_number = {r.number: r for r in records}
    for invoice in invoices:
        assert by_number[invoice.number].payable == invoice.totals.payable


def test_run_once_delivers_every_sale_once_and_stores_remote_ids(make_shop):
    shop = make_shop("hesabit")
    sales = shop.sell(5)
    summary = shop.engine().run_once()
    assert summary.delivered == 5
    assert summary.rejected == 0
    delivered_once(shop, "hesabit", sales)
    for invoice in sales:
        link = sync_store.remote_link(shop.services.database, "hesabit", invoice.id)
        assert link is not None
        assert link.remote_id
    assert shop.engine().run_once().delivered == 0
    [counts] = shop.engine().status()
    assert (counts.done, counts.pending, counts.failed) == (5, 0, 0)
    assert counts.last_success_at is not None
