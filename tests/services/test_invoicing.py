"""Invoicing service: issue in one transaction with gapless numbers, outbox and audit rows,
history paging, held sales, payments, cancellation, returns and reductions."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from posapp.domain.errors import LifecycleError, NotFoundError, ValidationError
from posapp.domain.invoice import (
    Charge,
    Discount,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    make_reduction,
)
from posapp.services.invoicing import HistoryFilter, InvoicingService, UnsavedInvoiceError
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS
from posapp.storage.models import AuditRow, InvoiceLineRow, InvoiceRow, NumberCounterRow, OutboxRow
from tests.shop_data import count_rows, sale_draft


def test_line_for_product_copies_price_and_the_days_tax_rate(services, products):
    invoicing = services.invoicing
    milk = invoicing.line_for_product(products["milk"], day=date(2024, 1, 1))  # 1402: 9%
    assert (milk.unit_price, milk.tax_rate, milk.product_id) == (Decimal(450000), Decimal("0.09"), products["milk"].id)
    assert invoicing.line_for_product(products["milk"], day=date(2025, 1, 1)).tax_rate == Decimal("0.10")
    assert invoicing.line_for_product(products["bread"], day=date(2025, 1, 1)).tax_rate == 0
    assert invoicing.line_for_product(products["cheese"], day=date(2025, 1, 1)).tax_rate == Decimal("0.09")


def test_new_draft_takes_seller_till_and_series_from_settings(services):
    draft = services.invoicing.new_draft("سارا")
    assert draft.seller.name == "فروشگاه نمونه"
    assert (draft.till, draft.series, draft.cashier) == ("1", "A", "سارا")


def test_issue_stores_everything_and_reads_back_identically(services, products):
    draft = sale_draft(services, products, cash=Decimal(4_000_000),
                  invoice_discount=Discount.percent(5), charges=(Charge("پیک", Decimal(50000)),))
    issued = services.invoicing.issue(draft)
    assert issued.number == "1A-000001"
    assert issued.status is InvoiceStatus.PAID
    assert issued.id is not None
    loaded = services.invoicing.get(issued.id)
    assert loaded == issued
    assert loaded.totals == issued.totals
    assert services.invoicing.get_by_number("1a-000001") == issued
    with services.database.read() as session:
        row = session.get(InvoiceRow, issued.id)
        assert (row.payable, row.tax, row.change) == (issued.totals.payable, issued.totals.tax, issued.totals.change)
        stored_lines = session.execute(select(InvoiceLineRow.total).order_by(InvoiceLineRow.position)).scalars().all()
    assert stored_lines == [t.total for t in issued.totals.lines]
    assert services.catalog.get(products["milk"].id).stock == Decimal(48)
    assert services.catalog.get(products["cheese"].id).stock == Decimal("9.750")
    assert count_rows(services, AuditRow) == 1
    assert count_rows(services, OutboxRow) == 0, "no provider enabled by default"


def test_numbers_are_gapless_per_till_and_series(services, products):
    invoicing = services.invoicing
    numbers = [invoicing.issue(sale_draft(services, products)).number for _ in range(3)]
    other = invoicing.issue(sale_draft(services, products).with_changes(series="B")).number
    assert numbers == ["1A-000001", "1A-000002", "1A-000003"]
    assert other == "1B-000001"


def test_failure_mid_issue_saves_nothing_and_uses_no_number(services, products):
    invoicing = services.invoicing
    invoicing.issue(sale_draft(services, products))
    ghost = InvoiceLine("کالای حذف‌شده", Decimal(1), Decimal(1000), product_id=987654)
    broken = sale_draft(services, products).with_changes(lines=(*sale_draft(services, products).lines, ghost))
    with pytest.raises(UnsavedInvoiceError) as caught:
        invoicing.issue(broken)  # the invoice row is written, then a line fails its foreign key
    assert "no longer exists" in caught.value.message_en
    assert count_rows(services, InvoiceRow) == 1
    assert count_rows(services, InvoiceLineRow) == 3
    assert services.catalog.get(products["milk"].id).stock == Decimal(48)
    with services.database.read() as session:
        assert session.execute(select(NumberCounterRow.last_sequence)).scalar_one() == 1
    assert invoicing.issue(sale_draft(services, products)).number == "1A-000002"


def test_unstorable_values_are_refused_before_anything_is_written(services, products):
    fractional = InvoiceLine("خدمت", Decimal(1), Decimal("100.5"))
    with pytest.raises(ValidationError) as caught:
        services.invoicing.issue(services.invoicing.new_draft().with_changes(lines=(fractional,)))
    assert caught.value.field == "unit_price"
    with pytest.raises(ValidationError):
        services.invoicing.issue(services.invoicing.new_draft())  # no lines
    assert count_rows(services, InvoiceRow) == 0


def test_concurrent_issuers_never_share_or_skip_a_number(database_url, settings, products):
    from posapp.services.context import AppServices

    errors = []
    numbers = []
    lock = threading.Lock()

    def till_worker():
        try:
            with AppServices.open(database_url, settings=settings) as own:
                for _ in range(8):
                    number = own.invoicing.issue(sale_draft(own, products)).number
                    with lock:
                        numbers.append(number)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=till_worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"1A-{n:06d}" for n in range(1, 33)]


def test_outbox_rows_per_enabled_provider_with_idempotency_keys(services, products, settings):
    settings.set(ENABLED_SYNC_PROVIDERS, ["pod", "hesabfa"])
    sale = services.invoicing.issue(sale_draft(services, products))
    services.invoicing.cancel(sale.number, "اشتباه در ثبت")
    with services.database.read() as session:
        rows = session.execute(select(OutboxRow).order_by(OutboxRow.id)).scalars().all()
        assert [(r.provider, r.operation, r.state) for r in rows] == [
            ("pod", "issue", "pending"), ("hesabfa", "issue", "pending"),
            ("pod", "cancel", "pending"), ("hesabfa", "cancel", "pending")]
        assert len({r.idempotency_key for r in rows}) == 4
        assert all(r.invoice_id == sale.id for r in rows)
    explicit = InvoicingService(services.database, settings, providers=())
    explicit.issue(sale_draft(services, products))
    assert count_rows(services, OutboxRow) == 4


def test_history_filters_and_pages_newest_first(services, products, settings):
    invoicing = services.invoicing
    base = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    drafts = [sale_draft(services, products).with_changes(issued_at=base + timedelta(days=i)) for i in range(5)]
    issued = invoicing.issue_many(drafts, batch_size=2)
    assert [inv.number for inv in issued] == [f"1A-{n:06d}" for n in range(1, 6)]
    everything = HistoryFilter()
    assert invoicing.history_count(everything) == 5
    assert [s.number for s in invoicing.history(everything, 0, 2)] == ["1A-000005", "1A-000004"]
    assert [s.number for s in invoicing.history(everything, 4, 2)] == ["1A-000001"]
    days = HistoryFilter(date_from=date(2025, 3, 2), date_to=date(2025, 3, 3))
    assert [s.number for s in invoicing.history(days)] == ["1A-000003", "1A-000002"]
    payable = issued[0].totals.payable
    assert invoicing.history_count(HistoryFilter(min_amount=payable, max_amount=payable)) == 5
    assert invoicing.history_count(HistoryFilter(min_amount=payable + 1)) == 0
    assert invoicing.history_count(HistoryFilter(number_prefix="1a-00000")) == 5
    assert invoicing.history_count(HistoryFilter(status=InvoiceStatus.CANCELLED)) == 0


def test_hold_list_and_resume_a_draft(services, products):
    invoicing = services.invoicing
    draft = sale_draft(services, products, invoice_discount=Discount.amount(1000))
    held_id = invoicing.hold(draft, "مشتری رفت کیف پول بیاورد")
    [held] = invoicing.held()
    assert (held.id, held.line_count, held.payable) == (held_id, 3, draft.totals.payable)
    resumed = invoicing.resume(held_id)
    assert resumed.lines == draft.lines
    assert resumed.totals == draft.totals
    assert invoicing.held() == []
    with pytest.raises(NotFoundError):
        invoicing.resume(held_id)


def test_record_payment_settles_a_partly_paid_invoice(services, products):
    invoicing = services.invoicing
    sale = invoicing.issue(sale_draft(services, products, cash=Decimal(100000)))
    assert sale.status is InvoiceStatus.PARTLY_PAID
    rest = sale.totals.balance_due
    paid = invoicing.record_payment(sale.number, Payment(PaymentMethod.CARD, rest, "trace-1"))
    assert paid.status is InvoiceStatus.PAID
    assert invoicing.get(sale.id) == paid
    assert invoicing.history(HistoryFilter())[0].balance_due == 0


def test_returns_are_limited_to_what_is_left_and_restock(services, products):
    invoicing = services.invoicing
    sale = invoicing.issue(sale_draft(services, products))
    first = invoicing.create_return(sale.number, {0: Decimal(1)})
    assert first.kind is InvoiceKind.RETURN
    assert first.original_number == sale.number
    assert invoicing.returned_quantities(sale.number) == {0: Decimal(1)}
    assert services.catalog.get(products["milk"].id).stock == Decimal(49)
    with pytest.raises(ValidationError):
        invoicing.create_return(sale.number, {0: Decimal(2)})
    invoicing.create_return(sale.number, {0: Decimal(1), 1: Decimal("0.250")})
    assert invoicing.returned_quantities(sale.number) == {0: Decimal(2), 1: Decimal("0.250")}
    with pytest.raises(LifecycleError):
        invoicing.cancel(sale.number, "returns exist")


def test_a_reduction_replaces_its_open_sale_and_a_replaced_sale_cannot_be_reduced_again(services, products):
    invoicing = services.invoicing
    sale = invoicing.issue(sale_draft(services, products))
    first = sale.lines[0]
    reduction = invoicing.issue(make_reduction(sale, {0: (first.quantity, first.unit_price - 1000)}, returned={}))
    assert reduction.kind is InvoiceKind.REDUCTION
    assert invoicing.get(sale.id).status is InvoiceStatus.CANCELLED
    invoices_before = count_rows(services, InvoiceRow)
    with pytest.raises(LifecycleError, match="only a valid sale invoice can be reduced"):
        invoicing.issue(make_reduction(sale, {}, returned={}))  # drafted from the sale before it was replaced
    assert count_rows(services, InvoiceRow) == invoices_before


def test_cancel_restores_stock_and_is_final(services, products):
    invoicing = services.invoicing
    sale = invoicing.issue(sale_draft(services, products))
    cancelled = invoicing.cancel(sale.number, "مشتری منصرف شد")
    assert cancelled.status is InvoiceStatus.CANCELLED
    assert invoicing.get(sale.id).cancel_reason == "مشتری منصرف شد"
    assert services.catalog.get(products["milk"].id).stock == Decimal(50)
    with pytest.raises(LifecycleError):
        invoicing.cancel(sale.number, "again")
    with pytest.raises(NotFoundError):
        invoicing.cancel("1A-999999", "no such invoice")


def test_a_refused_invoice_is_explained_by_what_the_database_refused():
    import sqlite3

    from sqlalchemy.exc import IntegrityError

    from posapp.services.invoicing import is_missing_reference

    connection = sqlite3.connect(":memory:")
    connection.executescript("PRAGMA foreign_keys=ON; CREATE TABLE p (id INTEGER PRIMARY KEY);"
                             "CREATE TABLE l (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id));")
    refused = {}
    for name, statement in (("missing", "INSERT INTO l (p) VALUES (7)"),
                            ("duplicate", "INSERT INTO p (id) VALUES (1)")):
        try:
            connection.execute("INSERT OR IGNORE INTO p (id) VALUES (1)")
            connection.execute(statement)
        except sqlite3.IntegrityError as error:
            refused[name] = IntegrityError(statement, {}, error)
    assert is_missing_reference(refused["missing"])
    assert not is_missing_reference(refused["duplicate"])
