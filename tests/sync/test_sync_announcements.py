"""The sync engine's own writes say what they changed: a drain announces the outbox rows it
claims and settles (from its own thread), the cashier's retry and skip announce theirs, a paid
link pulled announces the invoice and the outbox, a catalogue pull the products and customers
it merged; a cycle with nothing to do announces nothing."""

from __future__ import annotations

import threading

import pytest

from posapp.domain.changes import Changes
from posapp.domain.sync import OutboxState
from posapp.services.payment_links import PaymentLinkService
from posapp.services.sync.catalogue import pull_catalogue
from posapp.services.sync.payments import pull_payments
from tests.sync import providers_under_test as put


@pytest.fixture
def heard():
    """`listen(services)` starts collecting (changes, thread name) pairs published on its feed."""
    seen: list[tuple[Changes, str]] = []
    feeds = []

    def note(changes: Changes) -> None:
        seen.append((changes, threading.current_thread().name))

    def listen(services):
        services.changes.subscribe(note)
        feeds.append(services.changes)
        return seen

    yield listen
    for feed in feeds:
        feed.unsubscribe(note)


def kinds(seen) -> set[str]:
    return set().union(*(changes.kinds for changes, _thread in seen))


def test_a_drain_announces_the_rows_it_claims_and_settles_from_its_own_thread(make_shop, heard):
    shop = make_shop("pod")
    shop.sell(2)
    engine = shop.engine()
    seen = heard(shop.services)
    worker = threading.Thread(target=engine.run_once, name="sync-test-worker")
    worker.start()
    worker.join()
    assert seen, "the drain announced nothing"
    assert {changes for changes, _thread in seen} == {Changes(outbox=True)}
    assert {thread for _changes, thread in seen} <= {"sync-test-worker"}
    assert engine.queue.status()[0].done == 2
    seen.clear()
    engine.run_once()  # nothing due: nothing written, nothing said
    assert seen == []


def test_retry_and_skip_from_the_queue_announce_the_outbox(make_shop, heard):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    shop.fakes["pod"].forced_errors["issueInvoice"] = [120]  # a refusal: the row fails
    engine = shop.engine()
    engine.run_once()
    [failed] = engine.queue.problems()
    assert failed.state is OutboxState.FAILED
    seen = heard(shop.services)
    engine.queue.retry(failed.id, "مریم")
    assert [changes for changes, _thread in seen] == [Changes(outbox=True)]
    seen.clear()
    engine.queue.skip(failed.id, "مریم", "ثبت دستی")
    assert [changes for changes, _thread in seen] == [Changes(outbox=True)]
    assert sale.number == failed.invoice_number


def test_a_paid_link_pulled_announces_the_invoice_and_the_outbox(make_shop, heard):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    [sale] = shop.sell(1)
    link = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock).create(sale.number, "pod")
    fake.pay(link.remote_id)
    engine = shop.engine()
    seen = heard(shop.services)
    assert pull_payments(engine).payments_recorded == (sale.number,)
    assert {"invoices", "outbox"} <= kinds(seen)
    seen.clear()
    assert pull_payments(engine).payments_recorded == ()
    assert "invoices" not in kinds(seen)  # nothing new was paid


def test_a_catalogue_pull_announces_the_products_and_customers_it_merged(make_shop, heard):
    shop = make_shop("hesabfa")
    fake = shop.fakes["hesabfa"]
    with put.client_for("hesabfa", fake) as client:
        client.save_item({"Code": "0000101", "Name": "چای کلاسیک ۵۰۰ گرمی", "Unit": "بسته",
                          "SellPrice": 1_850_000, "ItemType": 0})
        client.save_contact({"Code": "000201", "Name": "مریم رضایی", "ContactType": 1,
                             "Mobile": "09121112233", "NationalCode": "0499370899"})
    engine = shop.engine()
    seen = heard(shop.services)
    pulled = pull_catalogue(engine, "hesabfa")
    assert (pulled.products_added, pulled.customers_added) == (1, 1)
    assert kinds(seen) == {"products", "customers"}
    seen.clear()
    pull_catalogue(engine, "hesabfa")  # nothing changed since: nothing written
    assert seen == []
