"""The sync engine against real provider fakes: delivery, order, exactly once, retry and skip."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from posapp.domain.invoice import InvoiceStatus, PaymentMethod
from posapp.domain.sync import OutboxOperation, OutboxState
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.payments import pull_payments
from posapp.services.sync.results import ItemResult
from posapp.services.sync.worker import SyncWorker
from posapp.storage import outbox
from posapp.storage.models import AuditRow
from tests.sync import providers_under_test as put
from tests.sync.conftest import FAST_POLICY


def delivered_once(shop, name, invoices):
    records = put.remote_invoices(name, shop.fakes[name])
    counts = Counter(r.number for r in records)
    by_number = {r.number: r for r in records}
    for invoice in invoices:
        key = put.remote_key(name, invoice.number)
        assert counts[key] == 1, f"{invoice.number} on {name} {counts[key]} times"
        assert by_number[key].payable == invoice.totals.payable


ALL = ["hesabit", "pod", "hesabfa", "payping"]


@pytest.mark.parametrize("name", ALL)
def test_run_once_delivers_every_sale_once_and_stores_remote_ids(make_shop, name):
    shop = make_shop(name)
    sales = shop.sell(5)
    summary = shop.engine().run_once()
    assert summary.rejected == 0, summary.outcomes
    assert summary.delivered == 5
    delivered_once(shop, name, sales)
    for invoice in sales:
        link = outbox.remote_link(shop.services.database, name, invoice.id)
        assert link is not None
        assert link.remote_id
    assert shop.engine().run_once().delivered == 0
    [counts] = shop.engine().queue.status()
    assert (counts.done, counts.pending, counts.failed) == (5, 0, 0)
    assert counts.last_success_at is not None


def drain(shop, engine, rounds=60, step=120):
    """Run the engine until nothing is pending, moving the clock past every backoff."""
    for _ in range(rounds):
        engine.run_once()
        [counts] = [c for c in engine.queue.status()]
        if counts.pending == 0 and counts.in_flight == 0:
            return counts
        shop.clock.advance(step)
    raise AssertionError(f"outbox not drained: {engine.queue.status()}")


CREATE_OPERATION = {"hesabit": "invoices.create", "pod": "issueInvoice",
                    "hesabfa": "invoice/save", "payping": "invoice.create"}


@pytest.mark.parametrize("name", ALL)
def test_faults_end_with_every_invoice_exactly_once(make_shop, name):
    shop = make_shop(name, seed=3)
    fake = shop.fakes[name]
    sales = shop.sell(12)
    faults = fake.faults
    faults.hang_seconds = 3.0
    writes = {CREATE_OPERATION[name]}
    faults.drop_before_commit.next(2, operations=writes).sometimes(0.15)
    faults.drop_after_commit.next(2, operations=writes).sometimes(0.15)
    faults.server_error.sometimes(0.1)
    faults.truncated_body.sometimes(0.1)
    faults.malformed_body.sometimes(0.05)
    faults.hang_after_commit.next(1, operations=writes)
    engine = shop.engine()
    for _ in range(4):
        engine.run_once()
        shop.clock.advance(120)
    faults.clear()
    counts = drain(shop, engine)
    assert counts.done == 12
    assert counts.failed == 0
    delivered_once(shop, name, sales)
    fired = Counter(r.fault for r in fake.requests if r.fault)
    assert fired["drop_after_commit"] > 0
    assert fired["drop_before_commit"] > 0


def test_a_worker_killed_after_the_provider_committed_is_recovered_without_a_duplicate(make_shop):
    shop = make_shop("hesabit")
    [sale] = shop.sell(1)
    db = shop.services.database
    now = shop.clock()
    [claimed] = outbox.claim_due(db, "hesabit", now, now + timedelta(seconds=60), 10)
    with put.client_for("hesabit", shop.fakes["hesabit"]) as client:
        client.push_invoice(sale, sale.number)  # the provider commits; then the worker "dies"
    engine = shop.engine()
    assert engine.run_once().delivered == 0  # the dead worker's lease still holds
    shop.clock.advance(61)
    summary = engine.run_once()
    assert summary.delivered == 1
    delivered_once(shop, "hesabit", [sale])
    assert shop.fakes["hesabit"].count("invoices.create") == 1
    assert outbox.get_item(db, claimed.id).attempts == 2


def test_two_engines_on_one_database_never_send_the_same_row(make_shop):
    shop = make_shop("hesabit")
    sales = shop.sell(16)
    fake = shop.fakes["hesabit"]
    fake.faults.latency.sometimes(1.0)
    fake.faults.latency_seconds = 0.02
    engines = [shop.engine(seed=i) for i in range(2)]
    summaries = []
    threads = [threading.Thread(target=lambda e=e: summaries.append(e.run_once())) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(s.delivered for s in summaries) == 16
    assert fake.count("invoices.create") == 16
    delivered_once(shop, "hesabit", sales)


def test_a_rejected_sale_stops_only_itself_and_holds_back_its_cancellation(make_shop):
    shop = make_shop("hesabit")
    good = shop.sell(2)
    walk_in = shop.services.invoicing.new_draft().with_changes(
        lines=good[0].lines)  # no buyer mobile, and the client below has no walk-in customer
    rejected = shop.services.invoicing.issue(walk_in)
    shop.services.invoicing.cancel(rejected.number, "مشتری منصرف شد")
    fake = shop.fakes["hesabit"]
    engine = SyncEngine(shop.services, lambda name: put.client_for(name, fake, walk_in_customer_id=""),
                        clock=shop.clock, policy=FAST_POLICY)
    summary = engine.run_once()
    # both good sales lack a walk-in too but carry a buyer mobile, so they go through
    assert summary.delivered == 2
    assert summary.count(ItemResult.REJECTED) == 1
    [failed] = [o for o in summary.outcomes if o.result is ItemResult.REJECTED]
    assert failed.invoice_number == rejected.number
    assert "مشتری" in failed.message  # the provider's own message is kept
    [counts] = engine.queue.status()
    assert (counts.failed, counts.pending, counts.blocked) == (1, 1, 1)
    # the cashier fixes the cause (walk-in customer configured) and retries
    assert engine.queue.retry(failed.item_id, actor="cashier").state is OutboxState.PENDING
    summary = shop.engine().run_once()
    assert [o.operation for o in summary.outcomes if o.result is ItemResult.DELIVERED] == [
        OutboxOperation.ISSUE, OutboxOperation.CANCEL]
    # Hesabit cancels by deleting the unpaid invoice
    assert rejected.number not in {r.number for r in put.remote_invoices("hesabit", fake)}


def test_skip_settles_a_failed_row_and_the_audit_log_says_who(make_shop):
    shop = make_shop("hesabit")
    draft = shop.services.invoicing.new_draft().with_changes(lines=shop.sell(1)[0].lines)
    rejected = shop.services.invoicing.issue(draft)
    fake = shop.fakes["hesabit"]
    engine = SyncEngine(shop.services, lambda name: put.client_for(name, fake, walk_in_customer_id=""),
                        clock=shop.clock, policy=FAST_POLICY)
    summary = engine.run_once()
    [failed] = [o for o in summary.outcomes if o.result is ItemResult.REJECTED]
    assert failed.invoice_number == rejected.number
    item = engine.queue.skip(failed.item_id, actor="cashier", reason="entered by hand")
    assert item.state is OutboxState.SKIPPED
    assert engine.run_once().outcomes == ()
    with shop.services.database.read() as session:
        actions = session.scalars(select(AuditRow.actor).where(AuditRow.action == "sync.skip")).all()
    assert actions == ["cashier"]


def test_an_unsupported_correction_is_marked_not_dropped(make_shop):
    shop = make_shop("hesabit")
    [sale] = shop.sell(1)
    shop.services.invoicing.create_return(sale.number, {0: sale.lines[0].quantity})
    summary = shop.engine().run_once()
    unsupported = [o for o in summary.outcomes if o.result is ItemResult.UNSUPPORTED]
    assert [o.operation for o in unsupported] == [OutboxOperation.RETURN]
    assert "hesabit" in unsupported[0].message
    assert summary.rejected == 1
    [counts] = shop.engine().queue.status()
    assert counts.failed == 1


def test_a_paid_link_marks_the_invoice_paid_once(make_shop):
    shop = make_shop("hesabit")
    [sale] = shop.sell(1)
    engine = shop.engine()
    engine.run_once()
    put.pay("hesabit", shop.fakes["hesabit"], sale.number)
    summary = pull_payments(engine)
    assert summary.payments_recorded == (sale.number,)
    paid = shop.services.invoicing.get_by_number(sale.number)
    assert paid.status is InvoiceStatus.PAID
    assert [p.method for p in paid.payments] == [PaymentMethod.LINK]
    assert paid.payments[0].amount == sale.totals.payable
    assert pull_payments(engine).payments_recorded == ()


def test_the_worker_drains_in_the_background_and_stops_cleanly(make_shop):
    shop = make_shop("hesabit")
    shop.sell(3)
    seen = []
    done = threading.Event()

    def on_summary(summary):
        seen.append(summary)
        if sum(s.delivered for s in seen) >= 4:
            done.set()

    worker = SyncWorker(shop.engine(), on_summary=on_summary)
    worker.start()
    try:
        shop.sell(1, seed=9)
        worker.wake()
        assert done.wait(20)
    finally:
        worker.stop()
    assert not worker.running
    [counts] = shop.engine().queue.status()
    assert counts.done == 4


def test_the_worker_does_not_spin_on_rows_held_behind_a_rejected_one(make_shop):
    shop = make_shop("hesabit")
    draft = shop.services.invoicing.new_draft().with_changes(lines=shop.sell(1)[0].lines)
    rejected = shop.services.invoicing.issue(draft)
    shop.services.invoicing.cancel(rejected.number, "اشتباه")
    fake = shop.fakes["hesabit"]
    engine = SyncEngine(shop.services, lambda name: put.client_for(name, fake, walk_in_customer_id=""),
                        clock=shop.clock, policy=FAST_POLICY)
    cycles = []
    worker = SyncWorker(engine, on_summary=cycles.append)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while len(cycles) < 2 and time.monotonic() < deadline:
            worker.wake()
            time.sleep(0.05)
        time.sleep(0.3)  # let a cycle started by the last wake-up finish
        settled = len(cycles)
        time.sleep(0.5)  # the held-back cancellation is due, but nothing can be sent
        assert len(cycles) == settled
    finally:
        worker.stop()


def test_one_unreadable_invoice_does_not_hide_the_others_payments(make_shop):
    shop = make_shop("hesabit")
    gone, paid = shop.sell(2)
    engine = shop.engine()
    engine.run_once()
    fake = shop.fakes["hesabit"]
    with fake.lock:
        [gone_id] = [i for i, r in fake.invoices.items() if r["Invoice"]["number"] == gone.number]
        del fake.invoices[gone_id]  # deleted by someone in Hesabit's own panel
    put.pay("hesabit", fake, paid.number)
    summary = pull_payments(engine)
    assert summary.payments_recorded == (paid.number,)
    assert [name for name, _message in summary.provider_errors] == ["hesabit"]
    assert gone.number in summary.provider_errors[0][1]
