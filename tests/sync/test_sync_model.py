"""The sync model's one home (`posapp.domain.sync`): keys, payment positions, received amounts and
scopes, and the one query of returned quantities the delivery trusts (a cancelled return no
longer counts)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice, InvoiceLine, Party, Payment, PaymentMethod
from posapp.domain.sync import (
    InvoiceScope,
    OutboxOperation,
    document_key,
    outbox_key,
    payment_position,
    received_amounts,
    scope_accepts,
    undoing_key,
)


def _sale(*payments: Payment, number: str | None = "T1-000001", buyer: Party | None = None) -> Invoice:
    return Invoice(Party("فروشگاه"), lines=(InvoiceLine("چای", Decimal(1), Decimal(100_000)),), payments=payments,
                   number=number, buyer=buyer)


def test_a_payment_rows_key_names_its_payment_and_gives_it_back():
    key = outbox_key("hesabfa", OutboxOperation.PAYMENT, "T1-000001", 2)
    assert key == "hesabfa:payment:T1-000001:2"
    assert payment_position(key) == 2
    assert outbox_key("pod", OutboxOperation.ISSUE, "T1-000001") == "pod:issue:T1-000001"


def test_the_document_key_is_the_invoice_number_and_its_undoing_key_follows_it():
    sale = _sale()
    assert document_key(sale) == "T1-000001"
    assert undoing_key(sale) == "T1-000001-C"
    with pytest.raises(DomainError):
        document_key(_sale(number=None))


def test_change_comes_out_of_the_last_cash_payment_and_credit_adds_nothing():
    sale = _sale(Payment(PaymentMethod.CASH, Decimal(50_000)), Payment(PaymentMethod.CREDIT, Decimal(10_000)),
                 Payment(PaymentMethod.CARD, Decimal(20_000)), Payment(PaymentMethod.CASH, Decimal(40_000)))
    assert sale.totals.change == Decimal(20_000)
    assert received_amounts(sale) == [Decimal(50_000), Decimal(0), Decimal(20_000), Decimal(20_000)]


def test_scopes_take_named_buyers_or_link_payments_only():
    walk_in = _sale()
    named = _sale(buyer=Party("مریم"))
    by_link = _sale(Payment(PaymentMethod.LINK, Decimal(100_000)))
    assert [scope_accepts(InvoiceScope.NAMED_CUSTOMER, s) for s in (walk_in, named)] == [False, True]
    assert [scope_accepts(InvoiceScope.PAYMENT_LINK, s) for s in (walk_in, by_link)] == [False, True]
    assert scope_accepts(InvoiceScope.ALL, walk_in)


def test_a_cancelled_return_no_longer_counts_as_returned_for_sync(make_shop):
    shop = make_shop("pod")
    invoicing = shop.services.invoicing
    sale = invoicing.issue(invoicing.new_draft().with_changes(lines=(
        InvoiceLine("چای", Decimal(3), Decimal(100_000), tax_rate=Decimal("0.10")),
        InvoiceLine("قند", Decimal(2), Decimal(50_000), tax_rate=Decimal("0.10")))))
    engine = shop.engine()
    try:
        kept_return = invoicing.create_return(sale.number, {0: Decimal(1)})
        cancelled_return = invoicing.create_return(sale.number, {1: Decimal(2)})
        invoicing.cancel(cancelled_return.number, "برگشت اشتباه ثبت شد")
        kept = engine.delivery.kept_after_returns(sale)
        assert kept is not None
        assert [line.quantity for line in kept.lines] == [Decimal(2), Decimal(2)]
        assert invoicing.returned_quantities(sale.number) == {0: Decimal(1)}
        assert kept_return.number != cancelled_return.number
    finally:
        engine.close()
