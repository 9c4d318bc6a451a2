"""Sync with Pod end to end: corrections in Pod's own forms, pay-by-link at the counter, the
status pull with Pod's verify and close, and refused links."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.invoice import InvoiceLine, InvoiceStatus, Payment, PaymentMethod, make_reduction
from posapp.domain.payment_links import PaymentLinkRefused
from posapp.domain.sync import OutboxOperation, OutboxState
from posapp.services.invoicing import HistoryFilter
from posapp.services.payment_links import PaymentLinkService
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.payments import pull_payments
from posapp.services.sync.results import ItemResult
from posapp.services.sync_settings import POD_CLOSE_PAID
from posapp.storage import outbox
from tests.sync import providers_under_test as put
from tests.sync.conftest import FAST_POLICY


def pod_invoice(fake, **where):
    with fake.lock:
        [invoice] = [i for i in fake.invoices.values()
                     if all(i.get(k) == v for k, v in where.items())]
        return dict(invoice)


def test_a_cancellation_follows_its_sale_to_pod(make_shop):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    shop.services.invoicing.cancel(sale.number, "اشتباه صندوق‌دار")
    engine = shop.engine()
    [queued] = engine.queue.invoice_state(sale.id)
    assert (queued.provider, queued.state, queued.remote_id) == ("pod", OutboxState.PENDING, "")
    summary = engine.run_once()
    assert [o.operation for o in summary.outcomes] == [OutboxOperation.ISSUE, OutboxOperation.CANCEL]
    [state] = engine.queue.invoice_state(sale.id)
    assert (state.state, state.operation, state.remote_state) == (
        OutboxState.DONE, OutboxOperation.CANCEL, "cancelled")
    assert state.remote_id
    assert pod_invoice(shop.fakes["pod"], billNumber=sale.number)["canceled"] is True
    link = outbox.remote_link(shop.services.database, "pod", sale.id)
    assert link.remote_state == "cancelled"


def test_a_reduction_reaches_pod_as_reduce_invoice_and_replaces_the_original(make_shop):
    shop = make_shop("pod")
    [sale] = shop.sell(1, lines=2)
    engine = shop.engine()
    engine.run_once()
    fake = shop.fakes["pod"]
    put.pay("pod", fake, sale.number)
    first = sale.lines[0]
    draft = make_reduction(sale, {0: (first.quantity, first.unit_price - Decimal(1000))}, returned={})
    reduction = shop.services.invoicing.issue(draft)
    summary = engine.run_once()
    assert [(o.operation, o.result) for o in summary.outcomes] == [
        (OutboxOperation.REDUCE, ItemResult.DELIVERED)]
    original_link = outbox.remote_link(shop.services.database, "pod", sale.id)
    new_link = outbox.remote_link(shop.services.database, "pod", reduction.id)
    assert original_link.remote_state == "replaced"
    replacement = pod_invoice(fake, id=int(new_link.remote_id))
    assert replacement["editedInvoiceId"] == int(original_link.remote_id)
    assert replacement["billNumber"] == sale.number
    net = sum((t.net for t in reduction.totals.lines), Decimal(0))
    assert replacement["totalAmount"] == net


def test_pay_by_link_at_the_counter_completes_the_sale_once(make_shop):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    draft = shop.services.invoicing.new_draft().with_changes(lines=shop.sell(1)[0].lines)
    link = links.create(shop.services.invoicing.issue(draft).number or "", "pod")
    assert link.url.startswith("https://pay.pod.ir/")
    assert link.amount == shop.services.invoicing.get_by_number(link.invoice_number).totals.payable
    assert links.poll(link).paid is False
    assert shop.services.invoicing.get_by_number(link.invoice_number).status is InvoiceStatus.ISSUED
    fake.pay(link.remote_id)
    result = links.poll(link)
    assert result.paid
    paid = shop.services.invoicing.get_by_number(link.invoice_number)
    assert paid.status is InvoiceStatus.PAID
    assert [p.method for p in paid.payments] == [PaymentMethod.LINK]
    assert links.poll(link).invoice.payments == paid.payments  # a second poll records nothing
    # the outbox's own issue row finds the invoice the link already created: still one copy
    shop.engine().run_once()
    assert len([i for i in fake.invoices.values() if i["billNumber"] == link.invoice_number]) == 1


def test_a_link_for_more_than_the_balance_due_is_refused(make_shop):
    shop = make_shop("pod")
    draft = shop.services.invoicing.new_draft().with_changes(
        lines=shop.sell(1)[0].lines, payments=(Payment(PaymentMethod.CASH, Decimal(50_000)),))
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    with pytest.raises(PaymentLinkRefused) as refused:
        links.create(shop.services.invoicing.issue(draft).number or "", "pod")
    assert "مانده" in refused.value.message_fa
    [sale] = shop.services.invoicing.history(HistoryFilter(), 0, 1)
    assert outbox.remote_link(shop.services.database, "pod", sale.id) is None


@pytest.mark.parametrize("pay_url", ["https://pay.pod.ir.evil.example",
                                     "https://user@evil.example", "https://pay.pod.ir:8443"])
def test_a_link_off_pods_known_https_host_is_refused(make_shop, pay_url):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    fake = shop.fakes["pod"]
    links = PaymentLinkService(shop.services, lambda name: put.client_for(name, fake, pay_base_url=pay_url),
                               clock=shop.clock)
    with pytest.raises(PaymentLinkRefused) as refused:
        links.create(sale.number, "pod")
    assert "لینک پرداخت" in refused.value.message_fa
    assert outbox.remote_link(shop.services.database, "pod", sale.id) is None


def test_the_status_pull_verifies_and_closes_a_paid_pod_invoice_when_enabled(make_shop):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    shop.services.settings.set(POD_CLOSE_PAID, True)
    factory = lambda name: put.client_for(name, fake, verification_needed=True)  # noqa: E731
    [sale] = shop.sell(1)
    link = PaymentLinkService(shop.services, factory, clock=shop.clock).create(sale.number, "pod")
    fake.pay(link.remote_id)
    assert pod_invoice(fake, billNumber=sale.number)["waiting"] is True
    engine = SyncEngine(shop.services, factory, clock=shop.clock, policy=FAST_POLICY)
    assert pull_payments(engine).payments_recorded == (sale.number,)
    remote = pod_invoice(fake, billNumber=sale.number)
    assert (remote["waiting"], remote["closed"]) == (False, True)
    assert shop.services.invoicing.get_by_number(sale.number).status is InvoiceStatus.PAID
    assert outbox.remote_link(shop.services.database, "pod", sale.id).remote_state == "closed"


def test_a_refused_token_keeps_every_sale_queued_and_names_the_cause(make_shop):
    shop = make_shop("pod")
    sales = shop.sell(3)
    fake = shop.fakes["pod"]
    engine = SyncEngine(shop.services, lambda name: put.pod_client(fake, token="not-our-token"),
                        clock=shop.clock, policy=FAST_POLICY)
    summary = engine.run_once()
    assert summary.rejected == 0
    assert {o.result for o in summary.outcomes} == {ItemResult.RETRYING}
    [(provider, message)] = summary.provider_errors
    assert provider == "pod"
    assert "[code 21]" in message
    [counts] = engine.queue.status()
    assert (counts.pending, counts.failed) == (len(sales), 0)
    assert "[code 21]" in counts.last_error
    shop.clock.advance(3600)
    assert shop.engine().run_once().delivered == len(sales)


def test_returns_reach_pod_as_reductions_of_the_sale_and_a_full_return_cancels_it(make_shop):
    shop = make_shop("pod")
    invoicing = shop.services.invoicing
    draft = invoicing.new_draft().with_changes(lines=(
        InvoiceLine("چای", Decimal(3), Decimal(100_000), tax_rate=Decimal("0.10")),
        InvoiceLine("قند", Decimal(2), Decimal(50_000), tax_rate=Decimal("0.10"))))
    sale = invoicing.issue(draft)
    engine = shop.engine()
    engine.run_once()
    fake = shop.fakes["pod"]
    put.pay("pod", fake, sale.number)

    def pod_copy():
        link = outbox.remote_link(shop.services.database, "pod", sale.id)
        return link, pod_invoice(fake, id=int(link.remote_id))

    first = invoicing.create_return(sale.number, {0: Decimal(1)})
    assert [o.result for o in engine.run_once().outcomes] == [ItemResult.DELIVERED]
    _link, reduced = pod_copy()
    assert [i["quantity"] for i in reduced["items"]] == [Decimal(2), Decimal(2)]
    assert reduced["billNumber"] == sale.number
    invoicing.create_return(sale.number, {0: Decimal(1)})
    engine.run_once()
    link, twice = pod_copy()
    assert [i["quantity"] for i in twice["items"]] == [Decimal(1), Decimal(2)]
    assert twice["editedInvoiceId"] == reduced["id"]
    assert outbox.remote_link(shop.services.database, "pod", first.id).remote_id
    invoicing.create_return(sale.number, {0: Decimal(1), 1: Decimal(2)})
    assert [o.result for o in engine.run_once().outcomes] == [ItemResult.DELIVERED]
    link, last = pod_copy()
    assert last["canceled"] is True
    assert link.remote_state == "cancelled"
