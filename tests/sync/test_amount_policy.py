"""Issue 18: one amount-mismatch policy for every provider, and every sale reaching Pod (mixed
VAT rates included) with the till's payable."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from posapp.domain.invoice import InvoiceLine, Party
from posapp.domain.sync import OutboxOperation, OutboxState
from posapp.services.sync.results import ItemResult
from posapp.storage import outbox


def issue_sale(shop, *lines: tuple[str, str, str]):
    draft = shop.services.invoicing.new_draft(cashier="test").with_changes(
        buyer=Party("مشتری", mobile="09121234567"),
        lines=tuple(InvoiceLine(f"کالای {i + 1}", Decimal(quantity), Decimal(price), tax_rate=Decimal(rate))
                    for i, (quantity, price, rate) in enumerate(lines)))
    return shop.services.invoicing.issue(draft)


def test_exempt_and_standard_lines_reach_pod_with_the_tills_payable(make_shop):
    shop = make_shop("pod")
    sale = issue_sale(shop, ("2", "45000", "0"), ("1", "1237000", "0.10"), ("3", "7333", "0.10"))
    summary = shop.engine().run_once()
    assert [(o.operation, o.result) for o in summary.outcomes] == [(OutboxOperation.ISSUE, ItemResult.DELIVERED)]
    fake = shop.fakes["pod"]
    with fake.lock:
        [held] = [i for i in fake.invoices.values() if i["billNumber"] == sale.number]
        assert held["payableAmount"] == sale.totals.payable


def test_a_payable_the_provider_computes_differently_fails_for_the_cashier(make_shop):
    """The fake rounds VAT down (Pod does not say how it rounds): 1005 × 10% is 100.5, posapp
    says 101 and Pod 100. The row fails with both amounts; the remote copy is remembered, so a
    retry finds it instead of issuing a second invoice."""
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    fake.vat_rounding = ROUND_FLOOR
    sale = issue_sale(shop, ("1", "1005", "0.10"))
    engine = shop.engine()
    [outcome] = engine.run_once().outcomes
    assert outcome.result is ItemResult.REJECTED
    assert "1105" in outcome.message
    assert "1106" in outcome.message
    [state] = engine.queue.invoice_state(sale.id)
    assert state.state is OutboxState.FAILED
    link = outbox.remote_link(shop.services.database, "pod", sale.id)
    assert link is not None
    assert link.remote_id
    assert len(fake.invoices) == 1


def test_a_counter_link_for_a_sale_already_delivered_makes_no_second_document(make_shop):
    """Hesabfa numbers its invoices itself, so pushing again would make a second one: the link
    is made for the copy the sync delivered."""
    from posapp.services.payment_links import PaymentLinkService
    from tests.sync import providers_under_test as put

    shop = make_shop("hesabfa")
    [sale] = shop.sell(1)
    shop.engine().run_once()
    fake = shop.fakes["hesabfa"]
    links = PaymentLinkService(shop.services, lambda name: put.client_for(name, fake), clock=shop.clock)
    link = links.create(sale.number, "hesabfa")
    assert link.url.startswith("https://app.hesabfa.com/public/invoice?token=")
    with fake.lock:
        assert len(fake.invoices) == 1
        [held] = fake.invoices.values()
    assert link.remote_id == held["Number"]


def test_every_demo_sale_maps_to_pod_at_the_tills_payable(tmp_path):
    """Issue 18 item 7: the demo's everyday baskets (tax-exempt goods beside standard ones: 86
    of these 200) all reach Pod, Pod's own arithmetic giving the till's payable."""
    from posapp.providers import pod_mapping
    from posapp.services.context import AppServices
    from posapp.services.demo_data import DemoDataGenerator
    from posapp.services.invoicing import HistoryFilter
    from posapp.settings.store import SettingsStore

    settings = SettingsStore(tmp_path / "settings.json")
    with AppServices.open(f"sqlite:///{tmp_path}/demo.db", settings=settings) as services:
        DemoDataGenerator(services, seed=1).run(products=300, customers=50, invoices=200)
        sales = [services.invoicing.get_by_number(s.number)
                 for s in services.invoicing.history(HistoryFilter(), 0, 1000)]
    assert len(sales) == 200
    mixed = [sale for sale in sales if len({line.tax_rate for line in sale.lines}) > 1]
    assert mixed
    for sale in sales:
        priced = pod_mapping.invoice_items(sale)
        assert pod_mapping.pod_totals(priced.items, priced.tax_rate).payable == sale.totals.payable
        if sale in mixed:
            assert priced.vat_included
            assert priced.tax_rate == 0
