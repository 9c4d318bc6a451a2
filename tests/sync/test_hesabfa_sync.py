"""Sync with Hesabfa end to end: a return as Hesabfa's sales-return invoice, and the catalogue
pulled into the local store incrementally."""

from __future__ import annotations

from decimal import Decimal

from posapp.domain.sync import OutboxOperation
from posapp.services.sync.catalogue import pull_catalogue
from posapp.services.sync.results import ItemResult
from tests.sync import providers_under_test as put


def test_a_return_reaches_hesabfa_as_a_sales_return_invoice(make_shop):
    shop = make_shop("hesabfa")
    [sale] = shop.sell(1, lines=2)
    returned = shop.services.invoicing.create_return(sale.number, {1: sale.lines[1].quantity})
    summary = shop.engine().run_once()
    assert [(o.operation, o.result) for o in summary.outcomes] == [
        (OutboxOperation.ISSUE, ItemResult.DELIVERED), (OutboxOperation.RETURN, ItemResult.DELIVERED)]
    records = {(r.number, r.state): r for r in put.remote_invoices("hesabfa", shop.fakes["hesabfa"])}
    assert records[(sale.number, "sale")].payable == sale.totals.payable
    assert records[(returned.number, "return")].payable == returned.totals.payable


def test_the_catalogue_pull_adds_then_updates_only_what_changed(make_shop):
    shop = make_shop("hesabfa")
    fake = shop.fakes["hesabfa"]
    with put.client_for("hesabfa", fake) as client:
        client.save_item({"Code": "0000101", "Name": "چای کلاسیک ۵۰۰ گرمی", "Barcode": "6260000000017",
                          "Unit": "بسته", "SellPrice": 1_850_000, "ItemType": 0})
        client.save_item({"Code": "0000102", "Name": "شکر سفید", "Unit": "کیلوگرم", "SellPrice": 450_000,
                          "ItemType": 0})
        client.save_contact({"Code": "000201", "Name": "مریم رضایی", "ContactType": 1,
                             "Mobile": "09121112233", "NationalCode": "0499370899"})
    engine = shop.engine()
    first = pull_catalogue(engine, "hesabfa")
    assert (first.products_added, first.customers_added, first.refused) == (2, 1, ())
    tea = shop.services.catalog.find_by_code("6260000000017")
    assert (tea.code, tea.price, tea.unit) == ("0000101", Decimal(1_850_000), "بسته")
    assert shop.services.customers.find_exact("09121112233").name == "مریم رضایی"
    with put.client_for("hesabfa", fake) as client:
        client.save_item({"Code": "0000102", "Name": "شکر سفید", "Unit": "کیلوگرم", "SellPrice": 470_000,
                          "ItemType": 0})
    second = pull_catalogue(engine, "hesabfa")
    assert (second.products_added, second.products_updated, second.customers_updated) == (0, 1, 0)
    assert shop.services.catalog.find_by_code("0000102").price == Decimal(470_000)
