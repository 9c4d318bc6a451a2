"""Customer service: validation, search by name/mobile/national ID, exact lookup, balance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import Party, PartyKind, Payment, PaymentMethod
from posapp.services.customers import CustomerInput


@pytest.fixture
def ali(services):
    return services.customers.create(CustomerInput(
        name="علی رضایی", national_id="۰۰۱۲۳۴۵۶۷۹", mobile="+98 912 123 4567", postal_code="1193653471"))


def test_create_stores_canonical_forms(ali):
    assert ali.national_id == "0012345679"
    assert ali.mobile == "09121234567"
    assert ali.kind is PartyKind.NATURAL
    assert Party.of(ali).name == "علی رضایی"


@pytest.mark.parametrize("query", ["رضا", "علی", "عل رض", "0912123", "9121234567", "+989121234567",
                                   "۰۹۱۲۱۲۳۴۵۶۷", "00123"])
def test_search_by_name_mobile_forms_and_national_id(services, ali, query):
    assert [c.id for c in services.customers.search(query)] == [ali.id]


def test_find_exact_by_national_id_or_mobile(services, ali):
    customers = services.customers
    assert customers.find_exact("0012345679") == ali
    assert customers.find_exact("0098 912 123 4567") == ali
    assert customers.find_exact("0912") is None
    assert customers.find_exact("نام") is None


def test_validation_names_the_field(services, ali):
    cases = [
        (dict(name=""), "name"),
        (dict(name="x", national_id="0012345678"), "national_id"),
        (dict(name="x", kind=PartyKind.LEGAL, national_id="0012345679"), "national_id"),
        (dict(name="x", mobile="0812345678"), "mobile"),
        (dict(name="x", postal_code="12345"), "postal_code"),
        (dict(name="x", economic_code="12ab"), "economic_code"),
        (dict(name="x", national_id="0012345679"), "national_id"),  # already Ali's
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as caught:
            services.customers.create(CustomerInput(**values))
        assert caught.value.field == field, values
    assert services.customers.count() == 1


def test_legal_entity_and_update(services, ali):
    company = services.customers.create(CustomerInput(
        name="شرکت نمونه", kind=PartyKind.LEGAL, national_id="10100302746", economic_code="411111111111"))
    assert company.kind is PartyKind.LEGAL
    renamed = services.customers.update(ali.id, CustomerInput(name="علی رضایی‌نژاد", national_id="0012345679"))
    assert renamed.mobile == ""
    assert services.customers.search("0912") == []
    assert [c.id for c in services.customers.search("رضایی نژاد")] == [ali.id]
    assert services.customers.count() == 2
    assert services.customers.ids("شرکت") == [company.id]
    assert [c.id for c in services.customers.page("", 0, 10)] == services.customers.ids()


def test_balance_counts_on_account_sales_less_returns(services, products, ali):
    invoicing = services.invoicing
    line = invoicing.line_for_product(products["bread"], Decimal(5))  # exempt: 600,000
    draft = invoicing.new_draft().with_changes(
        lines=(line,), customer_id=ali.id, buyer=Party.of(ali),
        payments=(Payment(PaymentMethod.CASH, Decimal(100000)), Payment(PaymentMethod.CREDIT, Decimal(500000))))
    sale = invoicing.issue(draft)
    assert services.customers.balance(ali.id) == Decimal(500000)
    invoicing.create_return(sale.number, {0: Decimal(1)}, payments=(Payment(PaymentMethod.CREDIT, Decimal(120000)),))
    assert services.customers.balance(ali.id) == Decimal(380000)
    assert [s.number for s in services.customers.invoices_of(ali.id, 0, 10)] == ["1A-000002", "1A-000001"]
