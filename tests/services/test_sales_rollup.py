"""The daily sales rollups stay exact: after sales, returns, cancellations and reductions they
equal the sums recomputed by walking the invoices, and `rebuild` (what revision 0011 runs on
existing data) gives the same rows as the upkeep in the issuing and cancelling transactions."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select

from posapp.domain.errors import DomainError
from posapp.domain.invoice import InvoiceKind, InvoiceStatus
from posapp.storage import migrate
from posapp.storage.engine import Database
from posapp.storage.models import SalesByProductDayRow, SalesByRateDayRow
from posapp.storage.sales_rollup import NO_PRODUCT, rebuild
from tests.report_data import counts, reduced_sales, tehran_day


def rollup_rows(services):
    with services.database.read() as session:
        products = {(r.product_id, r.day, r.till): (r.sold_quantity, r.sold_net, r.returned_quantity, r.returned_net)
                    for r in session.execute(select(SalesByProductDayRow)).scalars()}
        rates = {(r.day, r.till, r.tax_rate.normalize()): (r.sold_net, r.sold_tax, r.returned_net, r.returned_tax)
                 for r in session.execute(select(SalesByRateDayRow)).scalars()}
    return products, rates


def walked_rows(invoices):
    """The same rows summed in Python from the lines of each invoice that counts (valid, and not a
    return a reduction took over), zero rows left out."""
    zero = Decimal(0)
    products: dict = {}
    rates: dict = {}
    reduced = reduced_sales(invoices)
    for invoice in invoices:
        if not counts(invoice, reduced):
            continue
        day = tehran_day(invoice)
        offset = 2 if invoice.kind is InvoiceKind.RETURN else 0
        for line, totals in zip(invoice.lines, invoice.totals.lines, strict=True):
            product = products.setdefault((line.product_id or NO_PRODUCT, day, invoice.till), [zero] * 4)
            product[offset] += line.quantity
            product[offset + 1] += totals.net
            rate = rates.setdefault((day, invoice.till, line.tax_rate.normalize()), [zero] * 4)
            rate[offset] += totals.net
            rate[offset + 1] += totals.tax
    return ({k: tuple(v) for k, v in products.items() if any(v)}, {k: tuple(v) for k, v in rates.items() if any(v)})


def _without_zero_rows(rows):
    return {key: values for key, values in rows.items() if any(values)}


def test_the_rollups_equal_the_walk_over_the_invoices(report_shop):
    services, _built, invoices = report_shop
    assert any(i.status is InvoiceStatus.CANCELLED for i in invoices)
    assert any(i.kind is InvoiceKind.RETURN for i in invoices)
    products, rates = rollup_rows(services)
    walked_products, walked_rates = walked_rows(invoices)
    assert _without_zero_rows(products) == walked_products
    assert _without_zero_rows(rates) == walked_rates


def test_cancelling_takes_exactly_the_invoice_back_out(report_shop):
    services, _built, invoices = report_shop
    before = rollup_rows(services)
    sale = next(i for i in invoices if i.kind is InvoiceKind.SALE and i.status is not InvoiceStatus.CANCELLED
                and not any(r.original_number == i.number for r in invoices))
    services.invoicing.cancel(sale.number, "rollup test")
    after = rollup_rows(services)
    fresh = [services.invoicing.get(i.id) for i in invoices]
    assert _without_zero_rows(after[0]) == walked_rows(fresh)[0]
    assert _without_zero_rows(after[1]) == walked_rows(fresh)[1]
    assert after != before
    with pytest.raises(DomainError):
        services.invoicing.cancel(sale.number, "twice")
    assert rollup_rows(services) == after


def test_rebuild_gives_what_the_upkeep_kept(report_shop):
    services, _built, _invoices = report_shop
    kept = rollup_rows(services)
    with services.database.write() as session:
        rebuild(session.connection())
    rebuilt = rollup_rows(services)
    assert _without_zero_rows(rebuilt[0]) == _without_zero_rows(kept[0])
    assert _without_zero_rows(rebuilt[1]) == _without_zero_rows(kept[1])


def test_revision_0011_fills_the_rollups_from_existing_invoices(report_shop, tmp_path):
    """A database from before the rollups (downgraded to 0010, its invoices kept) gets them
    filled by the upgrade, equal to the walk."""
    services, _built, _invoices = report_shop
    copy = tmp_path / "before-0011.sqlite3"
    with sqlite3.connect(services.database.engine.url.database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    database = Database(f"sqlite:///{copy}")
    try:
        barcodes = _count(database, "product_barcodes")
        migrate.downgrade(database.engine, "0010")
        assert _count(database, "product_barcodes") == barcodes, "the downgrade keeps the catalogue whole"
        assert "sales_by_product_day" not in inspect(database.engine).get_table_names()
        migrate.upgrade(database.engine)
        walked = walked_rows([services.invoicing.get(i.id) for i in _invoices])
        with database.read() as session:
            products = {(r.product_id, r.day, r.till): (r.sold_quantity, r.sold_net, r.returned_quantity,
                                                        r.returned_net)
                        for r in session.execute(select(SalesByProductDayRow)).scalars()}
            rates = {(r.day, r.till, r.tax_rate.normalize()): (r.sold_net, r.sold_tax, r.returned_net, r.returned_tax)
                     for r in session.execute(select(SalesByRateDayRow)).scalars()}
        assert products == walked[0]
        assert rates == walked[1]
    finally:
        database.dispose()


def _count(database, table):
    with database.engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
