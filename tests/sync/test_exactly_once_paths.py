"""Exactly once in every path (issue 19): a payment learnt by any path is recorded once, the
catch-up of a provider enabled again, corrections that reach the right remote document, and
refusals that reach the cashier instead of being retried forever."""

from __future__ import annotations

from decimal import Decimal

from posapp.domain.invoice import InvoiceLine, InvoiceStatus, Party, Payment, PaymentMethod
from posapp.services import sync_store
from posapp.services.payment_links import PaymentLinkService
from posapp.services.sync import ItemResult
from posapp.services.sync_store import OutboxOperation, OutboxState
from tests.sync import providers_under_test as put


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
