"""Catalogue and customers on a real PostgreSQL server: the portable LIKE search path with
Persian text and its normalisation, exact code and barcode lookups, edits and paging."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import InvoiceLine
from posapp.services.catalog import ProductInput
from posapp.services.context import AppServices
from posapp.services.customers import CustomerInput
from posapp.services.invoicing import HistoryFilter

pytestmark = pytest.mark.postgres


def test_products_read_back_exactly(pg_services, pg_products):
    cheese = pg_services.catalog.get(pg_products["cheese"].id)
    assert (cheese.price, cheese.stock, cheese.tax_rate_override) == (
        Decimal(3200000), Decimal("10.500"), Decimal("0.09"))
    assert pg_services.catalog.get(pg_products["bread"].id).tax_exempt is True


@pytest.mark.parametrize("query", [
    "کاله",            # Persian kaf finds the Arabic kaf the name was typed with
    "شیر پاس",         # every word a word prefix
    "ليتر",            # Arabic yeh typed, Persian yeh stored
    "شير",
    "پاستوريزه کال",
])
def test_search_by_normalised_word_prefixes(pg_services, pg_products, query):
    assert [p.id for p in pg_services.catalog.search(query)] == [pg_products["milk"].id]


def test_search_like_wildcards_are_literal_and_code_or_barcode_come_first(pg_services, pg_products):
    catalog = pg_services.catalog
    assert catalog.search("%") == []
    assert catalog.search("_") == []
    percent = catalog.create(ProductInput(name="تخفیف ۵۰% ویژه", code="50%", price=Decimal(1000)))
    assert [p.id for p in catalog.search("۵۰%")] == [percent.id]
    assert [p.id for p in catalog.search("50%")] == [percent.id]
    assert [p.id for p in catalog.search("1003")] == [pg_products["cheese"].id]
    assert catalog.find_by_code("۶۲۶۰۱۰۰۱۱۰۰۱۱").id == pg_products["milk"].id
    assert catalog.find_by_code("1002").id == pg_products["bread"].id
    assert catalog.find_by_code("9999") is None


def test_names_starting_with_the_text_come_first_in_name_order(pg_services):
    catalog = pg_services.catalog
    created = [catalog.create(ProductInput(name=name, code=code, price=Decimal(10_000)))
               for name, code in (("چای سبز", "2001"), ("چای کیسه‌ای", "2002"), ("شکر و چای", "2003"))]
    assert [p.name for p in catalog.search("چای")] == ["چای سبز", "چای کیسه‌ای", "شکر و چای"]
    assert catalog.count("چای") == 3
    in_name_order = catalog.ids("چای")
    assert sorted(in_name_order) == [p.id for p in created]
    assert [p.id for p in catalog.page("چای", 1, 2)] == in_name_order[1:]


def test_update_renames_rebarcodes_and_search_follows(pg_services, pg_products):
    catalog = pg_services.catalog
    milk = pg_products["milk"]
    catalog.update(milk.id, ProductInput(
        name="شیر کم‌چرب دامداران", code="1001", price=Decimal(480000), stock=Decimal("49.250"),
        barcodes=("6260100110028",)))
    assert catalog.search("کاله") == []
    assert [p.id for p in catalog.search("دامدار")] == [milk.id]
    assert catalog.find_by_code("6260100110011") is None
    updated = catalog.find_by_code("6260100110028")
    assert (updated.price, updated.stock) == (Decimal(480000), Decimal("49.250"))
    with pytest.raises(ValidationError) as caught:
        catalog.create(ProductInput(name="تکراری", code="X1", price=Decimal(1), barcodes=("1002",)))
    assert caught.value.field == "barcodes"


@pytest.fixture
def ali(pg_services):
    return pg_services.customers.create(CustomerInput(
        name="علی رضایی", national_id="۰۰۱۲۳۴۵۶۷۹", mobile="+98 912 123 4567", postal_code="1193653471"))


@pytest.mark.parametrize("query", ["رضا", "علی", "عل رض", "0912123", "9121234567", "+989121234567",
                                   "۰۹۱۲۱۲۳۴۵۶۷", "00123", "علي"])
def test_customer_search_by_name_mobile_and_national_id(pg_services, ali, query):
    assert [c.id for c in pg_services.customers.search(query)] == [ali.id]


def test_customers_create_update_and_exact_lookup(pg_services, ali):
    customers = pg_services.customers
    assert customers.find_exact("0012345679") == ali
    assert customers.find_exact("0098 912 123 4567") == ali
    with pytest.raises(ValidationError) as caught:
        customers.create(CustomerInput(name="دیگری", national_id="0012345679"))
    assert caught.value.field == "national_id"
    renamed = customers.update(ali.id, CustomerInput(name="علی رضایی‌پور", national_id="0012345679",
                                                     mobile="09351234567"))
    assert renamed.mobile == "09351234567"
    assert [c.id for c in customers.search("0935")] == [ali.id]
    assert customers.search("0912") == []
    assert customers.count() == 1
    assert customers.balance(ali.id) == 0


def test_prefix_searches_work_under_a_persian_collation(persian_collated_url, shop_settings):
    """The "starts with" searches are index ranges `[key, key + U+10FFFF)`; a language collation
    must still put every name starting with the key inside that range."""
    with AppServices.open(persian_collated_url, settings=shop_settings) as services:
        catalog = services.catalog
        created = [catalog.create(ProductInput(name=name, code=code, price=Decimal(10_000)))
                   for name, code in (("شکر و چای", "2003"), ("چای سبز", "2001"), ("چای کیسه‌ای", "2002"))]
        assert [p.name for p in catalog.search("چای")] == ["چای سبز", "چای کیسه‌ای", "شکر و چای"]
        assert catalog.ids() == [created[1].id, created[2].id, created[0].id]  # چ before ش in Persian
        ali = services.customers.create(CustomerInput(name="علی رضایی", mobile="09121234567"))
        assert [c.id for c in services.customers.search("علی")] == [ali.id]
        assert [c.id for c in services.customers.search("0912")] == [ali.id]
        sales = [services.invoicing.issue(services.invoicing.new_draft().with_changes(
            lines=(InvoiceLine("چای", Decimal(1), Decimal(10_000)),))) for _ in range(11)]
        assert services.invoicing.history_count(HistoryFilter(number_prefix="1A-00001")) == 2
        assert sales[-1].number == "1A-000011"
