"""Exactly once in every path (issue 19): a payment learnt by any path is recorded once, the
catch-up of a provider enabled again, corrections that reach the right remote document, and
refusals that reach the cashier instead of being retried forever."""

from __future__ import annotations

from decimal import Decimal

from posapp.domain.invoice import InvoiceLine, InvoiceStatus, Payment, PaymentMethod
from posapp.services import sync_store
from posapp.services.payment_links import PaymentLinkService
from posapp.services.sync import ItemResult, format_status
from posapp.services.sync_store import OutboxOperation, OutboxState
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS
from tests.sync import providers_under_test as put
from tests.sync.conftest import FAST_POLICY


def pod_invoices(fake, **where):
    with fake.lock:
        return [dict(i) for i in fake.invoices.values() if all(i.get(k) == v for k, v in where.items())]


def hesabfa_sale(fake, number):
    with fake.lock:
        found = fake.invoices.get((0, number))
        return dict(found) if found is not None else None


def test_a_link_paid_before_the_sale_reached_pod_is_recorded_once_and_its_receipt_follows(make_shop):
    shop = make_shop("pod", "hesabfa")
    pod = shop.fakes["pod"]
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    draft = shop.services.invoicing.new_draft().with_changes(lines=shop.sell(1)[0].lines)
    link = links.create_for_draft(draft, "pod")
    pod.pay(link.remote_id)  # the customer pays at Pod before any sync ran
    engine = shop.engine()
    for _ in range(2):  # `posapp sync --once --provider pod`, twice
        engine.pull_payments(engine.run_once(["pod"]))
    sale = shop.services.invoicing.get_by_number(link.invoice_number)
    assert sale.status is InvoiceStatus.PAID
    assert [p.method for p in sale.payments] == [PaymentMethod.LINK]
    assert sync_store.remote_link(shop.services.database, "pod", sale.id).remote_state == "paid"
    engine.run_once()
    assert hesabfa_sale(shop.fakes["hesabfa"], sale.number)["Paid"] == sale.totals.payable
    with shop.fakes["hesabfa"].lock:
        assert len(shop.fakes["hesabfa"].receipts) == 1


def test_a_refusal_in_the_providers_own_words_fails_the_row_for_the_cashier(make_shop):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    shop.fakes["pod"].forced_errors["issueInvoice"] = [120]  # a code posapp does not know
    engine = shop.engine()
    [outcome] = engine.run_once().outcomes
    assert outcome.result is ItemResult.REJECTED
    [row] = sync_store.items(shop.services.database)
    assert row.state is OutboxState.FAILED
    assert "خطای اجباری آزمون" in row.last_error  # Pod's own message
    status = format_status(engine.status(), engine.problems())
    assert f"#{row.id} pod issue {sale.number}" in status
    assert "[code 120]" in status


def test_a_row_that_keeps_failing_gives_up_after_a_bounded_number_of_tries(make_shop):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    fake = shop.fakes["pod"]
    fake.faults.server_error.next(10_000, operations={"issueInvoice"})
    engine = shop.engine()
    for _ in range(14):
        engine.run_once()
        shop.clock.advance(3600)
    [row] = sync_store.items(shop.services.database)
    assert row.state is OutboxState.FAILED
    assert row.attempts == FAST_POLICY.max_tries == 12
    assert "gave up after" in row.last_error
    assert f"#{row.id} pod issue {sale.number}" in format_status(engine.status(), engine.problems())
    fake.faults.server_error.off()
    engine.retry(row.id)  # the cashier's retry counts afresh, and looks Pod up first
    assert engine.run_once().delivered == 1
    assert len(pod_invoices(fake, billNumber=sale.number)) == 1


def test_enqueue_catches_up_payments_and_cancellations_made_while_the_provider_was_off(make_shop):
    shop = make_shop("hesabfa")
    services = shop.services
    paid_later, cancelled = shop.sell(2)
    engine = shop.engine()
    assert engine.run_once().delivered == 2
    services.settings.set(ENABLED_SYNC_PROVIDERS, [])  # Hesabfa switched off
    services.invoicing.record_payment(paid_later.number, Payment(
        PaymentMethod.CARD, paid_later.totals.payable, "card-1"))
    services.invoicing.cancel(cancelled.number, "اشتباه صندوق‌دار")
    services.settings.set(ENABLED_SYNC_PROVIDERS, ["hesabfa"])  # and on again
    assert services.invoicing.queue_earlier("hesabfa") == 2
    assert services.invoicing.queue_earlier("hesabfa") == 0
    summary = engine.run_once()
    assert sorted(o.operation for o in summary.outcomes) == [OutboxOperation.CANCEL, OutboxOperation.PAYMENT]
    assert summary.delivered == 2
    fake = shop.fakes["hesabfa"]
    assert hesabfa_sale(fake, paid_later.number)["Paid"] == paid_later.totals.payable
    assert hesabfa_sale(fake, cancelled.number) is None
