"""A price reduction of a sale that already has returns: the reduction states what the customer
kept, and the shop's own figures (sales report, VAT, daily rollups, stock, the customer's
balance, the payments report, the shift's cash, the journal) count the returned goods once.
Every expected figure is recomputed here from the documents' own lines and payments."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from posapp.domain.errors import LifecycleError, ValidationError
from posapp.domain.invoice import Invoice, InvoiceStatus, Payment, PaymentMethod, make_return
from posapp.domain.jalali import to_iran_time
from posapp.services.customers import CustomerInput
from posapp.services.reports import ReportRange
from posapp.storage.models import InvoiceRow, JournalRow, SalesByProductDayRow, SalesByRateDayRow
from posapp.storage.sales_rollup import rebuild
from tests.shop_data import count_rows, sale_draft

ZERO = Decimal(0)


def today_range() -> ReportRange:
    today = to_iran_time(datetime.now(UTC)).date()
    return ReportRange(today, today)


def product_rollup(services) -> dict[int, tuple[Decimal, ...]]:
    """product id -> (sold quantity, sold net, returned quantity, returned net), summed over days."""
    sums: dict[int, list[Decimal]] = {}
    with services.database.read() as session:
        for row in session.scalars(select(SalesByProductDayRow)):
            values = sums.setdefault(row.product_id, [ZERO] * 4)
            for index, value in enumerate((row.sold_quantity, row.sold_net, row.returned_quantity, row.returned_net)):
                values[index] += value
    return {key: tuple(values) for key, values in sums.items() if any(values)}


def rate_rollup(services) -> dict[Decimal, tuple[Decimal, ...]]:
    """rate -> (sold net, sold VAT, returned net, returned VAT), summed over days."""
    sums: dict[Decimal, list[Decimal]] = {}
    with services.database.read() as session:
        for row in session.scalars(select(SalesByRateDayRow)):
            values = sums.setdefault(row.tax_rate.normalize(), [ZERO] * 4)
            for index, value in enumerate((row.sold_net, row.sold_tax, row.returned_net, row.returned_tax)):
                values[index] += value
    return {key: tuple(values) for key, values in sums.items() if any(values)}


def lines_by_product(invoice: Invoice) -> dict[int, tuple[Decimal, Decimal]]:
    return {line.product_id or 0: (line.quantity, totals.net)
            for line, totals in zip(invoice.lines, invoice.totals.lines, strict=True)}


@pytest.fixture
def customer(services):
    return services.customers.create(CustomerInput(name="مشتری نسیه", mobile="09121234567"))


@pytest.fixture
def reduced(services, products, customer):
    """Sold to a named customer on account: 2 milk, 0.750 kg cheese, 1 bread. Back came 1 milk
    and the bread (refunded on account); then the milk kept is reduced by 10,000 Rial."""
    invoicing = services.invoicing
    draft = sale_draft(services, products, customer_id=customer.id)
    sale = invoicing.issue(draft.with_changes(payments=(Payment(PaymentMethod.CREDIT, draft.totals.payable),)))
    back = {0: Decimal(1), 2: Decimal(1)}
    amount = make_return(sale, back, {}).totals.payable
    returned = invoicing.create_return(sale.number, back, payments=(Payment(PaymentMethod.CREDIT, amount),))
    lower = sale.lines[0].unit_price - 10_000
    reduction = invoicing.issue(invoicing.draft_reduction(sale.number, {0: (Decimal(1), lower)}))
    return sale, returned, reduction


def test_the_reduction_holds_the_kept_quantities_and_replaces_the_sale(services, reduced):
    sale, returned, reduction = reduced
    assert [(line.origin_line, line.quantity) for line in reduction.lines] == [(0, Decimal(1)), (1, Decimal("0.750"))]
    assert reduction.lines[0].unit_price == sale.lines[0].unit_price - 10_000
    assert services.invoicing.get(sale.id).status is InvoiceStatus.CANCELLED
    assert services.invoicing.get(returned.id).status is not InvoiceStatus.CANCELLED
    assert services.invoicing.get(returned.id).original_number == sale.number


def test_the_sales_report_and_vat_count_the_returned_goods_once(services, reduced):
    _sale, _returned, reduction = reduced
    figures = services.reports.sales(today_range()).totals
    totals = reduction.totals
    assert (figures.invoices, figures.returns_count, figures.returns) == (1, 0, ZERO)
    assert figures.net == sum((t.net for t in totals.lines), ZERO)
    assert figures.vat == sum((t.tax for t in totals.lines), ZERO)
    assert figures.total == totals.payable
    assert figures.cancelled_count == 1
    vat = {row.rate.normalize(): (row.taxable, row.vat)
           for season in services.reports.vat(today_range()).seasons for row in season.rates}
    expected: dict[Decimal, list[Decimal]] = {}
    for line, line_totals in zip(reduction.lines, totals.lines, strict=True):
        sums = expected.setdefault(line.tax_rate.normalize(), [ZERO, ZERO])
        sums[0] += line_totals.net
        sums[1] += line_totals.tax
    assert {rate: value for rate, value in vat.items() if any(value)} == {
        rate: tuple(value) for rate, value in expected.items()}


def test_the_rollups_hold_the_reduction_alone_and_rebuild_to_the_same(services, reduced):
    _sale, _returned, reduction = reduced
    expected = {pid: (quantity, net, ZERO, ZERO) for pid, (quantity, net) in lines_by_product(reduction).items()}
    assert product_rollup(services) == expected
    rates: dict[Decimal, list[Decimal]] = {}
    for line, totals in zip(reduction.lines, reduction.totals.lines, strict=True):
        values = rates.setdefault(line.tax_rate.normalize(), [ZERO] * 4)
        values[0] += totals.net
        values[1] += totals.tax
    assert rate_rollup(services) == {rate: tuple(v) for rate, v in rates.items() if any(v)}
    before = (product_rollup(services), rate_rollup(services))
    with services.database.write() as session:
        rebuild(session.connection())
    assert (product_rollup(services), rate_rollup(services)) == before


def test_stock_follows_the_goods_not_the_reduction(services, products, reduced):
    stock = {name: services.catalog.get(product.id).stock for name, product in products.items()}
    assert stock == {"milk": products["milk"].stock - 1, "cheese": products["cheese"].stock - Decimal("0.750"),
                     "bread": products["bread"].stock}


def test_the_customers_balance_is_the_reductions_amount(services, customer, reduced):
    """Bought on account, the returned goods refunded on account, the rest reduced: the customer
    owes the reduction's amount, no more (the sale) and no less (the refund again)."""
    _sale, _returned, reduction = reduced
    assert services.customers.balance(customer.id) == reduction.totals.payable
    [row] = [r for r in services.reports.customers(today_range()).rows if r.customer_id == customer.id]
    assert (row.balance, row.sales, row.returns) == (reduction.totals.payable, reduction.totals.payable, ZERO)


def test_the_journal_names_the_returns_the_reduction_took_over(services, reduced):
    sale, returned, reduction = reduced
    with services.database.read() as session:
        [payload] = session.scalars(select(JournalRow.payload).where(JournalRow.action == "invoice.replaced",
                                                                     JournalRow.subject == sale.number))
    recorded = json.loads(payload)
    assert (recorded["by"], recorded["returns"]) == (reduction.number, [returned.number])
    assert services.audit.verify().problem is None


def test_a_taken_over_return_cannot_be_cancelled_and_nothing_changes(services, reduced):
    _sale, returned, _reduction = reduced
    before = (product_rollup(services), rate_rollup(services))
    with pytest.raises(LifecycleError) as refused:
        services.invoicing.cancel(returned.number, "اشتباه")
    assert "reduction" in refused.value.message_en
    assert "کاهشی" in refused.value.message_fa
    assert services.invoicing.get(returned.id).status is not InvoiceStatus.CANCELLED
    assert (product_rollup(services), rate_rollup(services)) == before


def test_a_reduction_drafted_before_a_return_is_refused_and_saves_nothing(services, products):
    invoicing = services.invoicing
    sale = invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
    early = invoicing.draft_reduction(sale.number, {0: (Decimal(2), sale.lines[0].unit_price - 1_000)})
    invoicing.create_return(sale.number, {0: Decimal(1)})
    invoices = count_rows(services, InvoiceRow)
    with pytest.raises(ValidationError) as refused:
        invoicing.issue(early)
    assert "still holds (2 sold, 1 returned)" in refused.value.message_en
    assert count_rows(services, InvoiceRow) == invoices
    assert invoicing.get(sale.id).status is not InvoiceStatus.CANCELLED


def test_the_money_of_a_cash_sale_stays_paid_when_a_reduction_replaces_it(services, products):
    """Walk-in, paid in cash; one milk refunded in cash; then reduced. The money received for
    the sale was not given back by the reduction: the payments report keeps it, and the refund
    is counted once (the shift's cash: tests/shopday/test_shifts.py)."""
    invoicing = services.invoicing
    sale = invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
    refund = make_return(sale, {0: Decimal(1)}, {}).totals.payable
    invoicing.create_return(sale.number, {0: Decimal(1)}, payments=(Payment(PaymentMethod.CASH, refund),))
    invoicing.issue(invoicing.draft_reduction(sale.number, {1: (Decimal("0.750"), sale.lines[1].unit_price - 5_000)}))
    [cash] = [t for t in services.reports.payments(today_range()).rows if t.method is PaymentMethod.CASH]
    received = Decimal(10_000_000) - sale.totals.change
    assert (cash.received, cash.refunded) == (received, refund)
