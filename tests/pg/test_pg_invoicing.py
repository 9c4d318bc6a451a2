"""Invoicing on a real PostgreSQL server: exact money and quantities, aware datetimes, gapless
numbers under concurrent tills, returns, cancellation, payments and outbox rows in the same
transaction, history paging, and a small demo-data load."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import select

from posapp.domain.errors import DomainError, LifecycleError, ValidationError
from posapp.domain.invoice import (
    Charge,
    Discount,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
)
from posapp.domain.jalali import IRAN_TZ
from posapp.services.context import AppServices
from posapp.services.demo_data import DemoDataGenerator
from posapp.services.invoicing import HistoryFilter, UnsavedInvoiceError
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS
from posapp.storage.models import InvoiceLineRow, InvoiceRow, NumberCounterRow, OutboxRow
from tests.shop_data import count_rows, sale_draft
from tests.support.concurrency import run_together

pytestmark = pytest.mark.postgres


def test_issue_round_trips_money_quantities_and_aware_times(pg_services, pg_products):
    # 23:45 in Tehran on the last day of 1403 is 20:15 UTC: the Jalali day must not move.
    at = datetime(2025, 3, 20, 23, 45, 30, 123456, tzinfo=IRAN_TZ)
    draft = sale_draft(pg_services, pg_products, cash=Decimal(9_999_999_999),
                  invoice_discount=Discount.percent(Decimal("2.5")), charges=(Charge("پیک", Decimal(50000)),))
    issued = pg_services.invoicing.issue(draft, at=at)
    assert issued.number == "1A-000001"
    loaded = pg_services.invoicing.get(issued.id)
    assert loaded == issued
    assert loaded.totals == issued.totals
    assert loaded.issued_at == at
    assert loaded.issued_at.tzinfo is not None
    assert loaded.issued_at.astimezone(UTC) == datetime(2025, 3, 20, 20, 15, 30, 123456, tzinfo=UTC)
    assert loaded.issued_at.astimezone(IRAN_TZ).date() == date(2025, 3, 20)
    assert isinstance(loaded.totals.payable, Decimal)
    assert loaded.totals.change == Decimal(9_999_999_999) - issued.totals.payable
    with pg_services.database.read() as session:
        quantities = session.execute(select(InvoiceLineRow.quantity).order_by(InvoiceLineRow.position)).scalars().all()
    assert quantities == [Decimal(2), Decimal("0.750"), Decimal(1)]
    assert pg_services.catalog.get(pg_products["cheese"].id).stock == Decimal("9.750")
    assert pg_services.catalog.get(pg_products["milk"].id).stock == Decimal(48)


def test_unstorable_money_and_a_missing_product_save_nothing(pg_services, pg_products):
    invoicing = pg_services.invoicing
    with pytest.raises(ValidationError):
        invoicing.issue(invoicing.new_draft().with_changes(
            lines=(InvoiceLine("خدمت", Decimal("0.0005"), Decimal(1000)),)))
    invoicing.issue(sale_draft(pg_services, pg_products))
    ghost = InvoiceLine("کالای حذف‌شده", Decimal(1), Decimal(1000), product_id=987654)
    broken = sale_draft(pg_services, pg_products)
    with pytest.raises(UnsavedInvoiceError):
        invoicing.issue(broken.with_changes(lines=(*broken.lines, ghost)))
    assert count_rows(pg_services, InvoiceRow) == 1
    with pg_services.database.read() as session:
        assert session.execute(select(NumberCounterRow.last_sequence)).scalar_one() == 1
    assert invoicing.issue(sale_draft(pg_services, pg_products)).number == "1A-000002"


def test_two_tills_issuing_at_once_get_gapless_distinct_numbers(postgres_url, shop_settings, pg_services,
                                                                  pg_products):
    """Two AppServices (two engines, their own connections) start on a series with no counter
    row yet, then keep issuing side by side."""
    per_till = 12
    tills = [AppServices.open(postgres_url, settings=shop_settings) for _ in range(2)]
    try:
        def issue_all(own: AppServices) -> list[str]:
            return [own.invoicing.issue(sale_draft(own, pg_products)).number for _ in range(per_till)]

        results, errors = run_together([lambda own=own: issue_all(own) for own in tills])
    finally:
        for own in tills:
            own.close()
    assert errors == []
    numbers = sorted(number for numbers in results for number in numbers)
    assert numbers == [f"1A-{n:06d}" for n in range(1, 2 * per_till + 1)]
    assert pg_services.catalog.get(pg_products["milk"].id).stock == 50 - 2 * 2 * per_till


def test_returns_cancellation_payments_and_outbox_in_the_same_transaction(pg_services, pg_products,
                                                                         shop_settings):
    shop_settings.set(ENABLED_SYNC_PROVIDERS, ["pod"])
    invoicing = pg_services.invoicing
    sale = invoicing.issue(sale_draft(pg_services, pg_products, cash=Decimal(100000)))
    assert sale.status is InvoiceStatus.PARTLY_PAID
    paid = invoicing.record_payment(sale.number, Payment(PaymentMethod.CARD, sale.totals.balance_due, "trace-1"))
    assert paid.status is InvoiceStatus.PAID
    returned = invoicing.create_return(sale.number, {1: Decimal("0.250")})
    assert returned.kind is InvoiceKind.RETURN
    assert invoicing.returned_quantities(sale.number) == {1: Decimal("0.250")}
    assert pg_services.catalog.get(pg_products["cheese"].id).stock == Decimal("10.000")
    with pytest.raises(ValidationError):
        invoicing.create_return(sale.number, {1: Decimal("0.501")})
    with pytest.raises(LifecycleError):
        invoicing.cancel(sale.number, "returns exist")
    other = invoicing.issue(sale_draft(pg_services, pg_products))
    cancelled = invoicing.cancel(other.number, "مشتری منصرف شد")
    assert invoicing.get(other.id) == cancelled
    assert cancelled.status is InvoiceStatus.CANCELLED
    assert pg_services.catalog.get(pg_products["milk"].id).stock == Decimal(48)
    with pg_services.database.read() as session:
        rows = session.execute(select(OutboxRow.invoice_id, OutboxRow.operation).order_by(OutboxRow.id)).all()
    assert rows == [(sale.id, "issue"), (sale.id, "payment"), (sale.id, "payment"),
                    (returned.id, "return"), (other.id, "issue"), (other.id, "cancel")]
    summaries = invoicing.history(HistoryFilter(), limit=2)
    assert [s.number for s in summaries] == [other.number, returned.number]
    assert invoicing.history_count(HistoryFilter(status=InvoiceStatus.CANCELLED)) == 1


def test_two_tills_returning_the_last_item_at_once_return_it_once(postgres_url, shop_settings, pg_services,
                                                                    pg_products):
    rounds = 6
    sales = [pg_services.invoicing.issue(sale_draft(pg_services, pg_products)) for _ in range(rounds)]
    tills = [AppServices.open(postgres_url, settings=shop_settings) for _ in range(2)]
    try:
        for sale in sales:
            results, errors = run_together([
                lambda own=own, number=sale.number: own.invoicing.create_return(number, {0: Decimal(2)})
                for own in tills])
            assert len(results) == 1, errors
            assert [type(error) for error in errors] == [ValidationError]
            assert pg_services.invoicing.returned_quantities(sale.number) == {0: Decimal(2)}
    finally:
        for own in tills:
            own.close()


def test_a_cancellation_racing_a_return_leaves_one_of_them(postgres_url, shop_settings, pg_services,
                                                             pg_products):
    rounds = 6
    sales = [pg_services.invoicing.issue(sale_draft(pg_services, pg_products)) for _ in range(rounds)]
    tills = [AppServices.open(postgres_url, settings=shop_settings) for _ in range(2)]
    try:
        for sale in sales:
            results, errors = run_together([
                lambda number=sale.number: tills[0].invoicing.create_return(number, {0: Decimal(1)}),
                lambda number=sale.number: tills[1].invoicing.cancel(number, "انصراف"),
            ])
            assert len(results) == 1, errors
            assert all(isinstance(error, DomainError) for error in errors), errors
            cancelled = pg_services.invoicing.get(sale.id).status is InvoiceStatus.CANCELLED
            returned = bool(pg_services.invoicing.returned_quantities(sale.number))
            assert cancelled != returned
    finally:
        for own in tills:
            own.close()


def test_two_tills_recording_payments_on_one_sale_at_once_keep_both(postgres_url, shop_settings,
                                                                   pg_services, pg_products):
    rounds = 4
    sales = [pg_services.invoicing.issue(sale_draft(pg_services, pg_products, cash=Decimal(100000)))
             for _ in range(rounds)]
    tills = [AppServices.open(postgres_url, settings=shop_settings) for _ in range(2)]
    try:
        for sale in sales:
            half = sale.totals.balance_due // 2
            amounts = (half, sale.totals.balance_due - half)
            results, errors = run_together([
                lambda own=own, amount=amount, number=sale.number: own.invoicing.record_payment(
                    number, Payment(PaymentMethod.CARD, amount))
                for own, amount in zip(tills, amounts, strict=True)])
            assert (len(results), errors) == (2, [])
            stored = pg_services.invoicing.get(sale.id)
            assert stored.status is InvoiceStatus.PAID
            assert sorted(p.amount for p in stored.payments[1:]) == sorted(amounts)
    finally:
        for own in tills:
            own.close()


def test_demo_data_loads_and_history_pages_by_time(pg_services):
    report = DemoDataGenerator(pg_services).run(200, 50, 100)
    assert (report.products, report.customers, report.invoices) == (200, 50, 100)
    assert pg_services.catalog.count() == 200
    assert pg_services.customers.count() == 50
    assert count_rows(pg_services, InvoiceRow) == 100
    newest = pg_services.invoicing.history(HistoryFilter(), limit=100)
    assert [s.issued_at for s in newest] == sorted((s.issued_at for s in newest), reverse=True)
    assert pg_services.invoicing.history_count(HistoryFilter(number_prefix="1A-00001")) == 10
    day = newest[30].issued_at.astimezone(IRAN_TZ).date()
    day_starts = datetime.combine(day, time(0), IRAN_TZ)
    assert pg_services.invoicing.history_count(HistoryFilter(date_from=day)) == sum(
        1 for summary in newest if summary.issued_at >= day_starts)
    sample = pg_services.invoicing.get(newest[0].id)
    assert sample.totals.payable == newest[0].payable
    # New rows after the demo load still get fresh ids (the id sequences moved on).
    extra = DemoDataGenerator(pg_services, seed=2).run(5, 5, 5)
    assert extra.invoices == 5
    assert pg_services.catalog.count() == 205
