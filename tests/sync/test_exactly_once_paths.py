"""Exactly once in every path (issue 19): a payment learnt by any path is recorded once, the
catch-up of a provider enabled again, corrections that reach the right remote document, and
refusals that reach the cashier instead of being retried forever."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

import pytest

from posapp.cli.sync import format_status
from posapp.domain.invoice import InvoiceLine, InvoiceStatus, Payment, PaymentMethod
from posapp.domain.sync import OutboxOperation, OutboxState
from posapp.providers.errors import InvalidStateError
from posapp.services.payment_links import PaymentLinkService
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.payments import pull_payments
from posapp.services.sync.results import ItemResult
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS
from posapp.storage import outbox
from tests.sync import providers_under_test as put
from tests.sync.conftest import FAST_POLICY


def pod_invoices(fake, **where):
    with fake.lock:
        return [dict(i) for i in fake.invoices.values() if all(i.get(k) == v for k, v in where.items())]


def hesabfa_invoice(fake, reference, invoice_type):
    """The one invoice of `invoice_type` Hesabfa holds under posapp's number `reference` (Hesabfa
    numbers its invoices itself), or None."""
    with fake.lock:
        found = [dict(i) for (kind, _), i in fake.invoices.items()
                 if kind == invoice_type and i["Reference"] == reference]
    assert len(found) <= 1, f"{len(found)} Hesabfa invoices under {reference}"
    return found[0] if found else None


def hesabfa_sale(fake, number):
    return hesabfa_invoice(fake, number, 0)


def hesabfa_return(fake, reference):
    return hesabfa_invoice(fake, reference, 2)


def test_a_link_paid_before_the_sale_reached_pod_is_recorded_once_and_its_receipt_follows(make_shop):
    shop = make_shop("pod", "hesabfa")
    pod = shop.fakes["pod"]
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    draft = shop.services.invoicing.new_draft().with_changes(lines=shop.sell(1)[0].lines)
    link = links.create(shop.services.invoicing.issue(draft).number or "", "pod")
    pod.pay(link.remote_id)  # the customer pays at Pod before any sync ran
    engine = shop.engine()
    for _ in range(2):  # `posapp sync --once --provider pod`, twice
        pull_payments(engine, engine.run_once(["pod"]))
    sale = shop.services.invoicing.get_by_number(link.invoice_number)
    assert sale.status is InvoiceStatus.PAID
    assert [p.method for p in sale.payments] == [PaymentMethod.LINK]
    assert outbox.remote_link(shop.services.database, "pod", sale.id).remote_state == "paid"
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
    [row] = outbox.items(shop.services.database)
    assert row.state is OutboxState.FAILED
    assert "خطای اجباری آزمون" in row.last_error  # Pod's own message
    status = format_status(engine.queue.status(), engine.queue.problems())
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
    [row] = outbox.items(shop.services.database)
    assert row.state is OutboxState.FAILED
    assert row.attempts == FAST_POLICY.max_tries == 12
    assert "gave up after" in row.last_error
    assert f"#{row.id} pod issue {sale.number}" in format_status(engine.queue.status(), engine.queue.problems())
    fake.faults.server_error.off()
    engine.queue.retry(row.id)  # the cashier's retry counts afresh, and looks Pod up first
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


def _tea_and_sugar(shop, *, paid_at_till: bool):
    invoicing = shop.services.invoicing
    draft = invoicing.new_draft().with_changes(lines=(
        InvoiceLine("چای", Decimal(3), Decimal(100_000), tax_rate=Decimal("0.10")),
        InvoiceLine("قند", Decimal(2), Decimal(50_000), tax_rate=Decimal("0.10"))))
    if paid_at_till:
        draft = draft.with_changes(payments=(Payment(PaymentMethod.CASH, draft.totals.payable),))
    return invoicing.issue(draft)


def _pod_copy(shop, sale):
    """The sale's link and the Pod invoice it points at."""
    link = outbox.remote_link(shop.services.database, "pod", sale.id)
    [invoice] = pod_invoices(shop.fakes["pod"], id=int(link.remote_id))
    return link, invoice


def _live_pod_copies(shop, sale):
    """Pod invoices for the sale that are neither cancelled nor replaced."""
    return [i for i in pod_invoices(shop.fakes["pod"], canceled=False, edited=False)
            if sale.number in (i["description"] or "")]


def test_a_return_of_a_sale_unpaid_at_pod_cancels_and_reissues_it_as_pods_document_says(make_shop):
    shop = make_shop("pod")
    sale = _tea_and_sugar(shop, paid_at_till=True)  # Pod never learns of till payments
    engine = shop.engine()
    engine.run_once()
    _link, first = _pod_copy(shop, sale)
    assert first["payed"] is False
    first_return = shop.services.invoicing.create_return(sale.number, {0: Decimal(1)})
    assert [(o.operation, o.result) for o in engine.run_once().outcomes] == [
        (OutboxOperation.RETURN, ItemResult.DELIVERED)]
    link, second = _pod_copy(shop, sale)
    assert [i["quantity"] for i in second["items"]] == [Decimal(2), Decimal(2)]
    assert second["billNumber"] == first_return.number
    assert link.remote_key == first_return.number
    assert pod_invoices(shop.fakes["pod"], id=first["id"])[0]["canceled"] is True
    shop.services.invoicing.create_return(sale.number, {1: Decimal(2)})
    assert engine.run_once().delivered == 1
    _link, third = _pod_copy(shop, sale)
    assert [i["quantity"] for i in third["items"]] == [Decimal(2)]
    assert _live_pod_copies(shop, sale) == [third]


def test_pod_refuses_to_reduce_an_unpaid_invoice(make_shop):
    shop = make_shop("pod")
    sale = _tea_and_sugar(shop, paid_at_till=True)
    shop.engine().run_once()
    link = outbox.remote_link(shop.services.database, "pod", sale.id)
    client = shop.factory()("pod")
    remote = client.find_invoice(sale.number)
    reduction = shop.engine().delivery.kept_after_returns(sale)
    with pytest.raises(InvalidStateError):
        client.reduce_invoice(reduction, remote, sale.number)
    assert link.remote_id == remote.remote_id


def test_cancelling_a_return_at_pod_puts_the_sale_back_on_an_unpaid_copy(make_shop):
    shop = make_shop("pod")
    sale = _tea_and_sugar(shop, paid_at_till=True)
    engine = shop.engine()
    engine.run_once()
    returned = shop.services.invoicing.create_return(sale.number, {0: Decimal(1)})
    engine.run_once()
    shop.services.invoicing.cancel(returned.number, "برگشت اشتباه ثبت شد")
    assert [(o.operation, o.result) for o in engine.run_once().outcomes] == [
        (OutboxOperation.CANCEL, ItemResult.DELIVERED)]
    _link, current = _pod_copy(shop, sale)
    assert [i["quantity"] for i in current["items"]] == [Decimal(3), Decimal(2)]
    assert current["billNumber"] == f"{returned.number}-C"
    assert _live_pod_copies(shop, sale) == [current]
    assert outbox.remote_link(shop.services.database, "pod", returned.id).remote_state == "cancelled"


def test_cancelling_a_return_of_a_sale_paid_at_pod_never_cancels_the_sale_there(make_shop):
    shop = make_shop("pod")
    sale = _tea_and_sugar(shop, paid_at_till=False)
    engine = shop.engine()
    engine.run_once()
    put.pay("pod", shop.fakes["pod"], sale.number)
    returned = shop.services.invoicing.create_return(sale.number, {0: Decimal(1)})
    engine.run_once()
    _link, reduced = _pod_copy(shop, sale)
    assert [i["quantity"] for i in reduced["items"]] == [Decimal(2), Decimal(2)]
    shop.services.invoicing.cancel(returned.number, "برگشت اشتباه ثبت شد")
    [outcome] = engine.run_once().outcomes
    assert (outcome.operation, outcome.result) == (OutboxOperation.CANCEL, ItemResult.REJECTED)
    assert "separate invoice" in outcome.message
    link, still = _pod_copy(shop, sale)
    assert (still["id"], still["canceled"], still["payed"]) == (reduced["id"], False, True)
    assert link.remote_state == "paid"


def test_cancelling_a_return_takes_the_return_back_at_hesabfa_and_leaves_the_sale(make_shop):
    shop = make_shop("hesabfa")
    sale = _tea_and_sugar(shop, paid_at_till=False)
    engine = shop.engine()
    engine.run_once()
    returned = shop.services.invoicing.create_return(sale.number, {0: Decimal(1)})
    engine.run_once()
    fake = shop.fakes["hesabfa"]
    assert hesabfa_return(fake, returned.number) is not None
    shop.services.invoicing.cancel(returned.number, "برگشت اشتباه ثبت شد")
    assert engine.run_once().delivered == 1
    assert hesabfa_return(fake, returned.number) is None
    assert hesabfa_sale(fake, sale.number)["Payable"] == sale.totals.payable


def test_cancelling_a_sale_with_receipts_at_hesabfa_keeps_them_and_sends_a_full_return(make_shop):
    shop = make_shop("hesabfa")
    sale = _tea_and_sugar(shop, paid_at_till=True)
    engine = shop.engine()
    assert engine.run_once().delivered == 2  # the sale and its receipt
    shop.services.invoicing.cancel(sale.number, "مشتری پشیمان شد")
    [outcome] = engine.run_once().outcomes
    assert (outcome.operation, outcome.result) == (OutboxOperation.CANCEL, ItemResult.DELIVERED)
    fake = shop.fakes["hesabfa"]
    held = hesabfa_sale(fake, sale.number)
    assert held is not None
    assert held["Paid"] == sale.totals.payable  # the money received stays
    reversal = hesabfa_return(fake, f"{sale.number}-C")
    assert reversal is not None
    assert str(reversal["Number"]).isdigit()  # Hesabfa numbered it; posapp's key is the reference
    assert reversal["Payable"] == sale.totals.payable
    assert outbox.remote_link(shop.services.database, "hesabfa", sale.id).remote_state == "cancelled"


def test_a_full_return_whose_answer_hesabfa_lost_is_not_sent_twice(make_shop):
    """The reversal of a paid sale has no number of its own (Hesabfa numbers it), so a resend
    after a lost answer would make a second one: it is found by its reference `NUMBER-C` first."""
    shop = make_shop("hesabfa")
    fake = shop.fakes["hesabfa"]
    sale = _tea_and_sugar(shop, paid_at_till=True)
    engine = shop.engine()
    assert engine.run_once().delivered == 2
    shop.services.invoicing.cancel(sale.number, "مشتری پشیمان شد")
    fake.faults.drop_after_commit.next(1, operations={"invoice/save"})
    assert [o.result for o in engine.run_once().outcomes] == [ItemResult.RETRYING]
    assert hesabfa_return(fake, f"{sale.number}-C") is not None  # Hesabfa did save it
    shop.clock.advance(120)
    assert [o.result for o in engine.run_once().outcomes] == [ItemResult.DELIVERED]
    assert hesabfa_return(fake, f"{sale.number}-C")["Payable"] == sale.totals.payable  # still one
    assert outbox.remote_link(shop.services.database, "hesabfa", sale.id).remote_state == "cancelled"


def test_a_reissued_pod_copy_at_another_payable_fails_for_the_cashier(make_shop):
    """The one amount-mismatch policy covers the copies a correction makes too: Pod rounding
    the reissued copy's VAT its own way fails the return row, and the sale's link follows the
    new copy so a retry finds it instead of issuing another."""
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    invoicing = shop.services.invoicing
    sale = invoicing.issue(invoicing.new_draft().with_changes(lines=(
        InvoiceLine("چای", Decimal(1), Decimal(1005), tax_rate=Decimal("0.10")),
        InvoiceLine("قند", Decimal(1), Decimal(1000), tax_rate=Decimal("0.10")))))
    engine = shop.engine()
    assert engine.run_once().delivered == 1
    fake.vat_rounding = ROUND_FLOOR  # 1005 × 10% is 100.5: posapp says 101, Pod now 100
    returned = invoicing.create_return(sale.number, {1: Decimal(1)})
    [outcome] = engine.run_once().outcomes
    assert (outcome.operation, outcome.result) == (OutboxOperation.RETURN, ItemResult.REJECTED)
    assert "1105" in outcome.message
    assert "1106" in outcome.message
    link, copy = _pod_copy(shop, sale)
    assert copy["billNumber"] == returned.number
    assert link.remote_key == returned.number
    assert _live_pod_copies(shop, sale) == [copy]


def test_a_shop_offline_for_long_keeps_its_rows_pending_not_failed(make_shop):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    fake = shop.fakes["pod"]
    offline = SyncEngine(shop.services, lambda name: put.client_for(name, fake, base_url="http://127.0.0.1:9"),
                         clock=shop.clock, policy=FAST_POLICY)
    for _ in range(FAST_POLICY.max_tries + 2):
        offline.run_once()
        shop.clock.advance(3600)
    [row] = outbox.items(shop.services.database)
    assert row.state is OutboxState.PENDING  # the provider was never reached: nothing to tell
    assert row.last_error
    assert shop.engine().run_once().delivered == 1  # back online
    assert len(pod_invoices(fake, billNumber=sale.number)) == 1


def test_a_reduction_after_a_return_reduces_a_paid_pod_copy_to_the_kept_goods_at_the_new_price(make_shop):
    """Pod's paid copy already follows the return (2 tea, 2 sugar); the reduction lowers the
    sugar's price and leaves the tea as the customer holds it. Before the fix an untouched line
    restated the 3 tea sold, counting the returned one again at Pod."""
    shop = make_shop("pod")
    sale = _tea_and_sugar(shop, paid_at_till=False)
    engine = shop.engine()
    engine.run_once()
    put.pay("pod", shop.fakes["pod"], sale.number)
    invoicing = shop.services.invoicing
    invoicing.create_return(sale.number, {0: Decimal(1)})
    engine.run_once()
    reduction = invoicing.issue(invoicing.draft_reduction(sale.number, {1: (Decimal(2), Decimal(45_000))}))
    assert [(o.operation, o.result) for o in engine.run_once().outcomes] == [
        (OutboxOperation.REDUCE, ItemResult.DELIVERED)]
    link = outbox.remote_link(shop.services.database, "pod", reduction.id)
    [standing] = pod_invoices(shop.fakes["pod"], id=int(link.remote_id))
    assert [(i["quantity"], i["amount"]) for i in standing["items"]] == [
        (Decimal(2), Decimal(100_000)), (Decimal(2), Decimal(45_000))]
    assert standing["totalAmount"] == sum((t.net for t in reduction.totals.lines), Decimal(0))
    assert _live_pod_copies(shop, sale) == [standing]


def test_a_reduction_after_a_line_came_back_in_full_reissues_an_unpaid_pod_copy_without_it(make_shop):
    """Sugar came back in full and a tea: Pod's unpaid copy was issued anew with the 2 tea kept;
    the reduction of their price replaces it by a copy holding only them."""
    shop = make_shop("pod")
    sale = _tea_and_sugar(shop, paid_at_till=True)
    engine = shop.engine()
    engine.run_once()
    invoicing = shop.services.invoicing
    invoicing.create_return(sale.number, {0: Decimal(1), 1: Decimal(2)})
    engine.run_once()
    _link, after_return = _pod_copy(shop, sale)
    assert [i["quantity"] for i in after_return["items"]] == [Decimal(2)]
    reduction = invoicing.issue(invoicing.draft_reduction(sale.number, {0: (Decimal(2), Decimal(90_000))}))
    assert [line.origin_line for line in reduction.lines] == [0]
    assert [(o.operation, o.result) for o in engine.run_once().outcomes] == [
        (OutboxOperation.REDUCE, ItemResult.DELIVERED)]
    assert pod_invoices(shop.fakes["pod"], id=after_return["id"])[0]["canceled"] is True
    link = outbox.remote_link(shop.services.database, "pod", reduction.id)
    [standing] = pod_invoices(shop.fakes["pod"], id=int(link.remote_id))
    assert standing["canceled"] is False
    assert [(i["quantity"], i["amount"]) for i in standing["items"]] == [(Decimal(2), Decimal(90_000))]
    assert standing["totalAmount"] == reduction.totals.lines[0].net


def test_a_return_and_a_reduction_made_while_offline_reach_a_paid_pod_copy_in_turn(make_shop):
    """Both issued before the next sync: the return's row still brings Pod's copy to what was
    kept (though the sale is replaced here by then), and the reduction then lowers that."""
    shop = make_shop("pod")
    sale = _tea_and_sugar(shop, paid_at_till=False)
    engine = shop.engine()
    engine.run_once()
    put.pay("pod", shop.fakes["pod"], sale.number)
    invoicing = shop.services.invoicing
    invoicing.create_return(sale.number, {0: Decimal(1)})
    reduction = invoicing.issue(invoicing.draft_reduction(sale.number, {1: (Decimal(2), Decimal(45_000))}))
    outcomes = engine.run_once().outcomes
    assert [(o.operation, o.result) for o in outcomes] == [
        (OutboxOperation.RETURN, ItemResult.DELIVERED), (OutboxOperation.REDUCE, ItemResult.DELIVERED)]
    link = outbox.remote_link(shop.services.database, "pod", reduction.id)
    [standing] = pod_invoices(shop.fakes["pod"], id=int(link.remote_id))
    assert [(i["quantity"], i["amount"]) for i in standing["items"]] == [
        (Decimal(2), Decimal(100_000)), (Decimal(2), Decimal(45_000))]
    assert _live_pod_copies(shop, sale) == [standing]
