"""Which providers a document is queued for: a sale by each provider's invoice scope (all,
named customers, paid by link); its cancellation, returns and later payments only to the
providers that hold the sale."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.invoice import InvoiceLine, Party, Payment, PaymentMethod
from posapp.domain.sync import InvoiceScope
from posapp.settings import providers as provider_settings
from posapp.storage import outbox


@pytest.fixture
def scoped(services):
    """Pod takes every sale, Hesabfa only named customers, PayPing only sales paid by link."""
    store = services.settings
    for name, scope in (("pod", InvoiceScope.ALL), ("hesabfa", InvoiceScope.NAMED_CUSTOMER),
                        ("payping", InvoiceScope.PAYMENT_LINK)):
        provider_settings.set_enabled(store, name, True)
        provider_settings.set_invoice_scope(store, name, scope)
    return services


def sell(services, *, buyer=None, payments=()):
    draft = services.invoicing.new_draft(cashier="مریم").with_changes(
        buyer=buyer, lines=(InvoiceLine("چای", Decimal(2), Decimal(100000)),), payments=payments)
    return services.invoicing.issue(draft)


def queued(services, invoice_id):
    return sorted((item.provider, str(item.operation))
                  for item in outbox.items(services.database, invoice_id=invoice_id))


def test_a_sale_goes_to_each_provider_whose_scope_takes_it(scoped):
    walk_in = sell(scoped, payments=(Payment(PaymentMethod.CASH, Decimal(200000)),))
    named = sell(scoped, buyer=Party("علی رضایی", mobile="09121234567"))
    by_link = sell(scoped, payments=(Payment(PaymentMethod.LINK, Decimal(200000), "PAY-1"),))
    assert queued(scoped, walk_in.id) == [("pod", "issue"), ("pod", "payment")]
    assert queued(scoped, named.id) == [("hesabfa", "issue"), ("pod", "issue")]
    assert queued(scoped, by_link.id) == [("payping", "issue"), ("payping", "payment"),
                                          ("pod", "issue"), ("pod", "payment")]


def test_cancellation_returns_and_later_payments_follow_the_sale(scoped):
    walk_in = sell(scoped)
    named = sell(scoped, buyer=Party("علی رضایی", mobile="09121234567"))
    scoped.invoicing.record_payment(walk_in.number, Payment(PaymentMethod.CARD, Decimal(50000)))
    scoped.invoicing.cancel(walk_in.number, "اشتباه صندوقدار")
    returned = scoped.invoicing.create_return(named.number, {0: Decimal(1)})
    assert queued(scoped, walk_in.id) == [("pod", "cancel"), ("pod", "issue"), ("pod", "payment")]
    assert queued(scoped, returned.id) == [("hesabfa", "return"), ("pod", "return")]


def test_a_link_made_at_the_counter_makes_the_provider_hold_the_sale(scoped):
    sale = sell(scoped)
    assert ("payping", "issue") not in queued(scoped, sale.id)
    outbox.save_link(scoped.database, "payping", sale.id, sale.issued_at, remote_id="INV-9",
                         link="https://api.payping.ir/v2/pay/INV-9", printed_link=True)
    scoped.invoicing.record_payment(sale.number, Payment(PaymentMethod.LINK, Decimal(200000), "PP-77"))
    assert ("payping", "payment") in queued(scoped, sale.id)
    assert scoped.invoicing.get_by_number(sale.number).payment_link == "https://api.payping.ir/v2/pay/INV-9"


def test_a_provider_enabled_later_gets_the_earlier_documents_its_scope_takes(services):
    named = sell(services, buyer=Party("علی رضایی", mobile="09121234567"),
                 payments=(Payment(PaymentMethod.CASH, Decimal(200000)),))
    walk_in = sell(services)
    returned = services.invoicing.create_return(named.number, {0: Decimal(1)})
    provider_settings.set_enabled(services.settings, "hesabfa", True)
    provider_settings.set_invoice_scope(services.settings, "hesabfa", InvoiceScope.NAMED_CUSTOMER)
    assert services.invoicing.queue_earlier("hesabfa") == 2
    assert queued(services, named.id) == [("hesabfa", "issue"), ("hesabfa", "payment")]
    assert queued(services, walk_in.id) == []
    assert queued(services, returned.id) == [("hesabfa", "return")]
    assert services.invoicing.queue_earlier("hesabfa") == 0
