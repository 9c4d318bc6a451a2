"""Each report against sums recomputed by walking the invoices of a shop with a year of demo
sales, returns, cancellations, reductions, later payments, two tills and the 1403 VAT change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import InvoiceKind, PaymentMethod
from posapp.domain.jalali import to_iran_time
from posapp.services.demo_data import DEMO_USERS
from posapp.services.reports import ReportRange, seasons_between
from tests.report_data import (
    APPROVALS,
    SECOND_TILL,
    counts,
    expected_balances,
    expected_cashiers,
    expected_payments,
    expected_products,
    expected_sales,
    expected_vat,
    reduced_sales,
)

TODAY = to_iran_time(datetime.now(UTC)).date()
YEAR = ReportRange(TODAY - timedelta(days=370), TODAY)


@pytest.fixture(scope="module")
def shop(report_shop):
    return report_shop


def _figures(totals):
    return {
        "invoices": totals.invoices, "gross": totals.gross, "discount": totals.discount,
        "returns_count": totals.returns_count, "returns": totals.returns,
        "cancelled_count": totals.cancelled_count, "cancelled": totals.cancelled, "net": totals.net,
        "vat": totals.vat, "charges": totals.charges, "total": totals.total,
    }


def test_the_shop_has_every_kind_of_document(shop):
    _services, _built, invoices = shop
    kinds = {(i.kind, i.status.value == "cancelled") for i in invoices}
    assert {(InvoiceKind.SALE, False), (InvoiceKind.SALE, True), (InvoiceKind.RETURN, False),
            (InvoiceKind.REDUCTION, False)} <= kinds
    assert {i.till for i in invoices} == {"1", SECOND_TILL}


@pytest.mark.parametrize("till", [None, "1", SECOND_TILL])
def test_sales_summary_matches_the_walk(shop, till):
    services, _built, invoices = shop
    report = services.reports.sales(ReportRange(YEAR.date_from, YEAR.date_to, till))
    assert _figures(report.totals) == expected_sales(invoices, YEAR.date_from, YEAR.date_to, till)
    assert not report.by_hour
    assert len(report.buckets) == len(YEAR.days)
    for bucket in report.buckets:
        day = bucket.start.date()
        if bucket.figures.invoices or bucket.figures.returns_count:
            assert _figures(bucket.figures) == expected_sales(invoices, day, day, till)
    if report.totals.invoices:
        assert report.totals.average == (report.totals.sales_total / report.totals.invoices).quantize(Decimal(1))


def test_a_single_day_is_summed_by_hour(shop):
    services, _built, invoices = shop
    busiest = max(YEAR.days, key=lambda d: expected_sales(invoices, d, d)["invoices"])
    report = services.reports.sales(ReportRange(busiest, busiest))
    assert report.by_hour
    assert [b.start.hour for b in report.buckets] == list(range(24))
    assert _figures(report.totals) == expected_sales(invoices, busiest, busiest)
    by_hour = {}
    for invoice in invoices:
        local = to_iran_time(invoice.issued_at)
        if local.date() == busiest and invoice.status.value != "cancelled" and invoice.kind is not InvoiceKind.RETURN:
            by_hour[local.hour] = by_hour.get(local.hour, 0) + 1
    assert {b.start.hour: b.figures.invoices for b in report.buckets if b.figures.invoices} == by_hour


def test_products_match_the_walk(shop):
    services, _built, invoices = shop
    report = services.reports.products(YEAR)
    expected = expected_products(invoices, YEAR.date_from, YEAR.date_to)
    assert {r.product_id: (r.sold_quantity, r.sold_amount, r.returned_quantity, r.returned_amount)
            for r in report.rows} == expected
    assert report.product_count == len(expected)
    assert report.net_amount == sum(v[1] - v[3] for v in expected.values())
    nets = [r.net_amount for r in report.rows]
    assert nets == sorted(nets, reverse=True)
    assert any(r.returned_quantity for r in report.rows)
    assert all(r.name and r.code for r in report.rows)


def test_products_top_and_bottom(shop):
    services, _built, _invoices = shop
    everything = services.reports.products(YEAR)
    limited = services.reports.products(YEAR, limit=5)
    assert limited.rows == everything.rows[:5]
    assert limited.bottom == tuple(reversed(everything.rows[-5:]))
    assert (limited.product_count, limited.sold_amount, limited.returned_amount) == (
        everything.product_count, everything.sold_amount, everything.returned_amount)


@pytest.mark.parametrize("days", [1, 30, 400])
def test_payments_match_the_walk(shop, days):
    services, built, invoices = shop
    first = TODAY - timedelta(days=days - 1)
    report = services.reports.payments(ReportRange(first, TODAY))
    expected = expected_payments(invoices, built, first, TODAY)
    assert {(r.method.value, r.provider): (r.received_count, r.received, r.refunded_count, r.refunded)
            for r in report.rows} == expected
    if days == 400:
        assert (PaymentMethod.LINK.value, built.link_provider) in expected
        assert report.received == sum(v[1] for k, v in expected.items() if k[0] != "credit")


def test_cashiers_are_per_user_with_approvals_and_match_the_walk(shop):
    services, _built, invoices = shop
    report = services.reports.cashiers(YEAR)
    expected = expected_cashiers(services, invoices, YEAR.date_from, YEAR.date_to)
    assert {_cashier_key(r) for r in report.rows} == set(expected)
    for row in report.rows:
        want = expected[_cashier_key(row)]
        assert (row.sales_count, row.sales, row.discount, row.returns_count, row.returns,
                row.cancelled_count, row.cancelled, row.approvals_asked, row.approvals_given) == (
            want["sales_count"], want["sales"], want["discount"], want["returns_count"], want["returns"],
            want["cancelled_count"], want["cancelled"], want["approvals_asked"], want["approvals_given"])
    by_name = {r.cashier: r for r in report.rows}
    assert {name: by_name[name].approvals_asked for name, _times in APPROVALS} == dict(APPROVALS)
    assert by_name[DEMO_USERS[0][0]].approvals_given == sum(times for _name, times in APPROVALS)
    assert all(r.user_id is not None for r in report.rows if r.sales_count)


def test_approvals_count_on_the_day_they_were_given(shop):
    services, _built, _invoices = shop
    yesterday = ReportRange(TODAY - timedelta(days=1), TODAY - timedelta(days=1))
    assert sum(r.approvals_asked for r in services.reports.cashiers(yesterday).rows) == 0
    today = services.reports.cashiers(ReportRange(TODAY, TODAY))
    assert sum(r.approvals_asked for r in today.rows) == sum(times for _name, times in APPROVALS)


def _cashier_key(row):
    return (row.user_id, "" if row.user_id is not None else row.cashier)


def _vat_by_key(report):
    return {(s.year, s.season, line.rate): (line.taxable, line.vat) for s in report.seasons for line in s.rates}


def test_vat_by_season_matches_the_walk(shop):
    services, _built, invoices = shop
    report = services.reports.vat(YEAR)
    assert _vat_by_key(report) == expected_vat(invoices, YEAR.date_from, YEAR.date_to)
    assert [(s.year, s.season) for s in report.seasons] == [
        (y, s) for y, s, _first, _last in seasons_between(YEAR.date_from, YEAR.date_to)]
    assert report.seasons[0].date_from == YEAR.date_from
    assert report.seasons[-1].date_to == YEAR.date_to


def test_vat_across_the_1403_rate_change(shop):
    """Winter 1402 at 9%, spring 1403 at 10%, the return of one milk in 1403 subtracted, and
    each season names the invoice numbers it covers."""
    services, built, invoices = shop
    report = services.reports.vat(ReportRange(date(2023, 12, 22), date(2024, 6, 20)))
    assert [(s.year, s.season) for s in report.seasons] == [(1402, 4), (1403, 1)]
    winter, spring = report.seasons
    assert (winter.date_from, winter.date_to) == (date(2023, 12, 22), date(2024, 3, 19))
    assert (spring.date_from, spring.date_to) == (date(2024, 3, 20), date(2024, 6, 20))
    milk = 2 * Decimal(450_000)
    assert [(r.rate, r.taxable, r.vat) for r in winter.rates] == [
        (Decimal("0.09"), milk, milk * Decimal("0.09")), (Decimal(0), Decimal(120_000), Decimal(0))]
    assert [(r.rate, r.taxable, r.vat) for r in spring.rates] == [
        (Decimal("0.1"), milk / 2, milk / 2 * Decimal("0.1")), (Decimal(0), Decimal(120_000), Decimal(0))]
    assert spring.rates[0].sales_vat == Decimal(90_000)
    assert spring.rates[0].returns_vat == Decimal(45_000)
    assert (winter.taxable, winter.exempt, winter.vat) == (milk, Decimal(120_000), Decimal(81_000))
    assert [(n.kind, n.first, n.last, n.count) for n in winter.numbers] == [
        (InvoiceKind.SALE, built.vat_sale_1402, built.vat_sale_1402, 1)]
    assert [(n.kind, n.first == n.last, n.count) for n in spring.numbers] == [
        (InvoiceKind.SALE, True, 1), (InvoiceKind.RETURN, True, 1)]
    assert spring.numbers[0].first == built.vat_sale_1403
    assert _vat_by_key(report) == expected_vat(invoices, date(2023, 12, 22), date(2024, 6, 20))


def test_customers_match_the_walk(shop):
    services, _built, invoices = shop
    report = services.reports.customers(YEAR)
    balances = expected_balances(invoices)
    assert balances, "the demo data has on-account sales"
    assert {r.customer_id: r.balance for r in report.rows if r.balance} == balances
    assert report.owed == sum(balances.values())
    reduced = reduced_sales(invoices)
    for row in report.rows:
        assert row.balance == services.customers.balance(row.customer_id)
        mine = [i for i in invoices if i.customer_id == row.customer_id
                and YEAR.date_from <= to_iran_time(i.issued_at).date() <= YEAR.date_to
                and counts(i, reduced)]
        assert row.sales == sum((i.totals.payable for i in mine if i.kind is not InvoiceKind.RETURN), Decimal(0))
        assert row.returns == sum((i.totals.payable for i in mine if i.kind is InvoiceKind.RETURN), Decimal(0))
        assert row.name
    balances_in_order = [r.balance for r in report.rows]
    assert balances_in_order == sorted(balances_in_order, reverse=True)


def test_an_empty_range_gives_zeros(shop):
    services, _built, _invoices = shop
    empty = ReportRange(date(2000, 1, 1), date(2000, 1, 31))
    assert services.reports.sales(empty).totals.invoices == 0
    assert services.reports.products(empty, limit=20).rows == ()
    assert services.reports.payments(empty).rows == ()
    assert services.reports.cashiers(empty).rows == ()
    assert all(not s.rates for s in services.reports.vat(empty).seasons)


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as refused:
        ReportRange(date(2025, 5, 2), date(2025, 5, 1))
    assert refused.value.message_en == "the end date is before the start date"
    assert "پایان" in refused.value.message_fa


def test_days_and_hours_follow_tehran_summer_time_of_the_years_that_had_it(services, products):
    """Until 1401 Tehran kept summer time (+04:30). A sale at 00:20 on 1400/03/12 (2021-06-02)
    is 19:50 UTC the day before; it belongs to 2 June, in hour 0, across a range that also holds
    winter days (+03:30)."""
    from datetime import time

    from posapp.domain.invoice import Payment
    from posapp.domain.jalali import IRAN_TZ
    from tests.shop_data import sale_draft

    moments = [datetime.combine(date(2021, 6, 2), time(0, 20), tzinfo=IRAN_TZ),
               datetime.combine(date(2021, 12, 1), time(23, 50), tzinfo=IRAN_TZ)]
    for moment in moments:
        draft = sale_draft(services, products)
        draft = draft.with_changes(payments=(Payment(PaymentMethod.CASH, draft.totals.payable),))
        services.invoicing.issue(draft, at=moment)
    report = services.reports.sales(ReportRange(date(2021, 3, 1), date(2022, 1, 31)))
    assert {b.start.date(): b.figures.invoices for b in report.buckets if b.figures.invoices} == {
        date(2021, 6, 2): 1, date(2021, 12, 1): 1}
    summer = services.reports.sales(ReportRange(date(2021, 6, 2), date(2021, 6, 2)))
    assert [b.start.hour for b in summer.buckets if b.figures.invoices] == [0]
    winter = services.reports.sales(ReportRange(date(2021, 12, 1), date(2021, 12, 1)))
    assert [b.start.hour for b in winter.buckets if b.figures.invoices] == [23]


def test_a_limited_customers_report_keeps_the_order_and_the_sums(shop):
    services, _built, _invoices = shop
    everything = services.reports.customers(YEAR)
    first = services.reports.customers(YEAR, limit=5)
    assert first.rows == everything.rows[:5]
    assert (first.customer_count, first.sales, first.returns, first.owed) == (
        len(everything.rows), sum(r.sales for r in everything.rows), sum(r.returns for r in everything.rows),
        everything.owed)
