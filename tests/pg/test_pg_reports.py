"""The owner's reports on a real PostgreSQL server: the same aggregate queries as on SQLite
(half-hour slots from EXTRACT(EPOCH), window functions for the top products, the customers'
balances) checked against the independent walk over the invoices."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from posapp.domain.jalali import to_iran_time
from posapp.services.reports import ReportRange
from posapp.storage.sales_rollup import rebuild
from tests.report_data import (
    all_invoices,
    build_report_shop,
    expected_balances,
    expected_cashiers,
    expected_payments,
    expected_products,
    expected_sales,
    expected_vat,
)
from tests.services.test_sales_rollup import rollup_rows, walked_rows

pytestmark = pytest.mark.postgres


def test_every_report_matches_the_walk_on_postgresql(pg_services):
    shop = build_report_shop(pg_services, invoices=120)
    invoices = all_invoices(pg_services)
    reports = pg_services.reports
    today = to_iran_time(datetime.now(UTC)).date()
    year = ReportRange(today - timedelta(days=370), today)

    sales = reports.sales(year)
    assert sales.totals.invoices == expected_sales(invoices, year.date_from, year.date_to)["invoices"]
    assert sales.totals.total == expected_sales(invoices, year.date_from, year.date_to)["total"]
    assert sales.totals.returns_count > 0
    assert sales.totals.cancelled_count > 0
    for bucket in sales.buckets:
        day = bucket.start.date()
        if bucket.figures.invoices:
            assert bucket.figures.net == expected_sales(invoices, day, day)["net"]
    one_day = reports.sales(ReportRange(today - timedelta(days=1), today - timedelta(days=1), "2"))
    assert one_day.by_hour
    assert one_day.totals.total == expected_sales(invoices, one_day.range.date_from, one_day.range.date_to, "2")["total"]

    products = reports.products(year)
    assert {r.product_id: (r.sold_quantity, r.sold_amount, r.returned_quantity, r.returned_amount)
            for r in products.rows} == expected_products(invoices, year.date_from, year.date_to)
    top = reports.products(year, limit=3)
    assert top.rows == products.rows[:3]
    assert top.bottom == tuple(reversed(products.rows[-3:]))

    payments = reports.payments(year)
    assert {(r.method.value, r.provider): (r.received_count, r.received, r.refunded_count, r.refunded)
            for r in payments.rows} == expected_payments(invoices, shop, year.date_from, year.date_to)

    cashiers = {(r.user_id, "" if r.user_id is not None else r.cashier):
                (r.sales, r.returns, r.cancelled, r.approvals_asked, r.approvals_given)
                for r in reports.cashiers(year).rows}
    assert cashiers == {key: (row["sales"], row["returns"], row["cancelled"], row["approvals_asked"],
                              row["approvals_given"])
                        for key, row in expected_cashiers(pg_services, invoices, year.date_from, year.date_to).items()}
    assert sum(v[3] for v in cashiers.values()) > 0

    vat = reports.vat(ReportRange(date(2023, 12, 22), date(2024, 6, 20)))
    assert {(s.year, s.season, r.rate): (r.taxable, r.vat) for s in vat.seasons for r in s.rates} == expected_vat(
        invoices, date(2023, 12, 22), date(2024, 6, 20))
    assert [n.first for n in vat.seasons[0].numbers] == [shop.vat_sale_1402]

    customers = reports.customers(year)
    assert {r.customer_id: r.balance for r in customers.rows if r.balance} == expected_balances(invoices)


def test_the_rollups_equal_the_walk_and_a_rebuild_on_postgresql(pg_services):
    """The upserts that keep the daily rollups, and `rebuild` (revision 0011), on PostgreSQL."""
    build_report_shop(pg_services, invoices=60)
    invoices = all_invoices(pg_services)
    kept = rollup_rows(pg_services)
    walked = walked_rows(invoices)
    assert ({k: v for k, v in kept[0].items() if any(v)}, {k: v for k, v in kept[1].items() if any(v)}) == walked
    with pg_services.database.write() as session:
        rebuild(session.connection())
    assert rollup_rows(pg_services) == walked
