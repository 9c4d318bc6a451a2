"""Pay by link with Hesabit end to end: the counter gets Hesabit's https invoice page (never the
http short link), the link is stored, and a paid invoice completes the sale once."""

from __future__ import annotations

from posapp.domain.invoice import InvoiceStatus, PaymentMethod
from posapp.services import sync_store
from posapp.services.payment_links import PaymentLinkService


def test_pay_by_link_offers_hesabits_https_invoice_page_and_completes_the_sale(make_shop):
    shop = make_shop("hesabit")
    fake = shop.fakes["hesabit"]
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    draft = shop.services.invoicing.new_draft().with_changes(lines=shop.sell(1)[0].lines)
    link = links.create_for_draft(draft, "hesabit")
    assert link.url == f"https://www.hesabit.com/invoice/{link.remote_id}"
    assert link.url != fake.invoices[link.remote_id]["Invoice"]["short_link"]
    sale = shop.services.invoicing.get_by_number(link.invoice_number)
    assert link.amount == sale.totals.payable
    assert sync_store.remote_link(shop.services.database, "hesabit", sale.id).link == link.url
    assert links.poll(link).paid is False
    fake.mark_paid(link.remote_id)
    result = links.wait_until_paid(link, timeout=5, interval=0.01)
    assert result.paid
    paid = shop.services.invoicing.get_by_number(link.invoice_number)
    assert paid.status is InvoiceStatus.PAID
    assert [p.method for p in paid.payments] == [PaymentMethod.LINK]
