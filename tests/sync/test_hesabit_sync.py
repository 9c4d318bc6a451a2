"""Pay by link with Hesabit: the counter gets and stores Hesabit's https invoice page, never the
http short link that the payment-link service would refuse."""

from __future__ import annotations

from posapp.services.payment_links import PaymentLinkService
from posapp.storage import outbox


def test_pay_by_link_offers_and_stores_hesabits_https_invoice_page(make_shop):
    shop = make_shop("hesabit")
    [sale] = shop.sell(1)
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    link = links.create(sale.number, "hesabit")
    assert link.url == f"https://www.hesabit.com/invoice/{link.remote_id}"
    assert link.url != shop.fakes["hesabit"].invoices[link.remote_id]["Invoice"]["short_link"]
    assert link.amount == sale.totals.payable
    assert outbox.remote_link(shop.services.database, "hesabit", sale.id).link == link.url
