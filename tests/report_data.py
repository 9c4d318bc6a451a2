"""A shop with a year of demo sales plus every kind of correction, for the report tests, and an
independent walk over its invoices that recomputes what each report must say.

The walk reads each invoice through `InvoicingService.get` (the domain recomputes its totals
from its lines) and sums in Python; it shares no query with `posapp.services.reports`.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from posapp.domain.access import Permission
from posapp.domain.invoice import (
    Charge,
    Discount,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    make_reduction,
    make_return,
)
from posapp.domain.jalali import IRAN_TZ, jalali_season, to_iran_time
from posapp.services.catalog import ProductInput
from posapp.services.demo_data import DEMO_FLOAT, DEMO_USERS, DemoDataGenerator
from posapp.services.invoicing import HistoryFilter
from posapp.services.shifts import ShiftService
from posapp.storage import outbox
from posapp.storage.models import JournalRow

DEMO_INVOICES = 240
SECOND_TILL = "2"


@dataclass
class ReportShop:
    """What the builder did beyond the demo data, so the walk can place later payments."""

    later_payments: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    """Invoice number -> positions of payments recorded after issue (recorded now)."""
    vat_sale_1402: str = ""
    vat_sale_1403: str = ""
    link_provider: str = "payping"


def build_report_shop(services: Any, invoices: int = DEMO_INVOICES) -> ReportShop:
    """Demo data (60 products, 25 customers, `invoices` sales over the past year), then: every
    19th sale partly returned, every 23rd cancelled, every 29th replaced by a reduction, every
    17th partly returned and then replaced by a reduction of what was kept, unpaid
    sales paid later, a second till with a discount, a charge and a link payment, and two sales
    on each side of the 1403 VAT change with a return of the later one."""
    shop = ReportShop()
    DemoDataGenerator(services, seed=5).run(products=60, customers=25, invoices=invoices)
    sign_in_owner(services)
    invoicing = services.invoicing
    sales = [s for s in invoicing.history(HistoryFilter(), 0, 10_000) if s.kind is InvoiceKind.SALE]
    sales.sort(key=lambda s: s.id)
    for index, summary in enumerate(sales):
        invoice = invoicing.get(summary.id)
        if index % 19 == 3:
            quantities = {0: invoice.lines[0].quantity}
            refund = make_return(invoice, quantities, {}).totals.payable
            method = PaymentMethod.CREDIT if invoice.customer_id else PaymentMethod.CASH
            invoicing.create_return(invoice.number, quantities, payments=(Payment(method, refund),))
        elif index % 23 == 5:
            invoicing.cancel(invoice.number, "اشتباه صندوق")
        elif index % 29 == 7:
            lower = invoice.lines[0].unit_price - invoice.lines[0].unit_price // 10
            reduction = make_reduction(invoice, {0: (invoice.lines[0].quantity, lower)}, returned={})
            owner = services.till_session.user
            invoicing.issue(reduction.with_changes(cashier=owner.name, cashier_id=owner.id))
        elif index % 17 == 9 and (len(invoice.lines) > 1 or invoice.lines[0].quantity >= 2):
            _return_then_reduce(services, invoice)
        elif invoice.status is InvoiceStatus.ISSUED and invoice.totals.balance_due:
            paid = invoicing.record_payment(invoice.number, Payment(PaymentMethod.CARD, invoice.totals.balance_due))
            shop.later_payments[invoice.number].add(len(paid.payments) - 1)
    products = _products(services.catalog)
    _second_till(services, products, shop)
    _vat_change_sales(services, products, shop)
    _approvals(services)
    return shop


def _return_then_reduce(services: Any, invoice: Invoice) -> None:
    """Return the first line in full (one unit of it when it is the only line), refunded on
    account for a named customer and in cash otherwise, then reduce the last line kept by a
    tenth of its price: the reduction carries what the customer kept."""
    invoicing = services.invoicing
    first = invoice.lines[0]
    quantities = {0: first.quantity if len(invoice.lines) > 1 else Decimal(1)}
    refund = make_return(invoice, quantities, {}).totals.payable
    method = PaymentMethod.CREDIT if invoice.customer_id else PaymentMethod.CASH
    invoicing.create_return(invoice.number, quantities, payments=(Payment(method, refund),))
    last = len(invoice.lines) - 1
    held = invoice.lines[last].quantity - quantities.get(last, Decimal(0))
    lower = invoice.lines[last].unit_price - invoice.lines[last].unit_price // 10
    invoicing.issue(invoicing.draft_reduction(invoice.number or "", {last: (held, lower)}))


APPROVALS = (("مریم", 2), ("علی", 1))
"""Demo cashiers and how many manager approvals each asks for (the owner gives them)."""


def _approvals(services: Any) -> None:
    """The demo cashiers ask the owner (by PIN, as at the counter) to approve cancellations."""
    owner_name, _role, owner_pin = DEMO_USERS[0]
    for name, times in APPROVALS:
        cashier = services.access.user(name)
        for attempt in range(times):
            services.access.approve(cashier.actor, Permission.CANCEL_INVOICE, owner_name, owner_pin, f"test {attempt}")


def _products(catalog: Any) -> dict[str, Any]:
    """Milk (table rate), exempt bread and weighed cheese with a 9% override, under codes of
    their own (so a test's own catalogue may hold the usual ones)."""
    return {
        "milk": catalog.create(ProductInput(name="شیر پاستوریزه کاله ۱ لیتری", code="R-1001", price=Decimal(450000),
                                            stock=Decimal(50))),
        "bread": catalog.create(ProductInput(name="نان سنگک", code="R-1002", price=Decimal(120000),
                                             tax_exempt=True, stock=Decimal(20))),
        "cheese": catalog.create(ProductInput(name="پنیر لیقوان", code="R-1003", price=Decimal(3200000),
                                              unit="کیلوگرم", stock=Decimal("10.500"),
                                              tax_rate_override=Decimal("0.09"))),
    }


def _second_till(services: Any, products: dict[str, Any], shop: ReportShop) -> None:
    invoicing = services.invoicing
    yesterday = datetime.now(UTC) - timedelta(days=1)
    day = to_iran_time(yesterday).date()
    lines = (invoicing.line_for_product(products["milk"], Decimal(3), day=day),
             invoicing.line_for_product(products["cheese"], Decimal("1.250"), day=day))
    draft = invoicing.new_draft("مینا").with_changes(
        till=SECOND_TILL, lines=lines, invoice_discount=Discount.percent(10),
        charges=(Charge("ارسال", Decimal(150_000)),))
    issued = invoicing.issue(draft, at=yesterday)
    invoicing.record_payment(issued.number, Payment(PaymentMethod.LINK, issued.totals.payable, "PP-1"))
    shop.later_payments[issued.number].add(0)
    outbox.save_link(services.database, shop.link_provider, issued.id, datetime.now(UTC),
                         remote_id="r-1", link="https://pay.example/r-1", remote_state="paid")
    cash_sale = invoicing.new_draft("مینا").with_changes(
        till=SECOND_TILL, lines=(invoicing.line_for_product(products["bread"], Decimal(4), day=day),),
        payments=(Payment(PaymentMethod.CASH, Decimal(1_000_000)),))
    sold = invoicing.issue(cash_sale, at=yesterday + timedelta(minutes=5))
    invoicing.create_return(sold.number, {0: Decimal(1)}, payments=(Payment(PaymentMethod.CASH, Decimal(120_000)),),
                            cashier="مینا")


def _vat_change_sales(services: Any, products: dict[str, Any], shop: ReportShop) -> None:
    """1402/12/20 (9%) and 1403/01/10 (10%), milk at the table rate, paid in cash; the 1403
    sale has one milk returned."""
    invoicing = services.invoicing
    for day, attribute in ((date(2024, 3, 10), "vat_sale_1402"), (date(2024, 3, 29), "vat_sale_1403")):
        lines = (invoicing.line_for_product(products["milk"], Decimal(2), day=day),
                 invoicing.line_for_product(products["bread"], Decimal(1), day=day))
        draft = invoicing.new_draft("سارا").with_changes(lines=lines)
        draft = draft.with_changes(payments=(Payment(PaymentMethod.CASH, draft.totals.payable),))
        at = datetime.combine(day, time(11, 0), tzinfo=IRAN_TZ)
        setattr(shop, attribute, invoicing.issue(draft, at=at).number)
    sale = invoicing.get_by_number(shop.vat_sale_1403)
    returned = make_return(sale, {0: Decimal(1)}, {})
    owner = services.till_session.user
    returned = dataclasses.replace(returned, payments=(Payment(PaymentMethod.CASH, returned.totals.payable),),
                                   cashier=owner.name, cashier_id=owner.id)
    invoicing.issue(returned, at=datetime.combine(date(2024, 4, 2), time(17, 0), tzinfo=IRAN_TZ))


# -- the independent walk --------------------------------------------------------------------


def all_invoices(services: Any) -> list[Invoice]:
    summaries = services.invoicing.history(HistoryFilter(), 0, 100_000)
    return [services.invoicing.get(s.id) for s in summaries]


def tehran_day(invoice: Invoice) -> date:
    assert invoice.issued_at is not None
    return to_iran_time(invoice.issued_at).date()


def in_range(invoice: Invoice, first: date, last: date, till: str | None = None) -> bool:
    return first <= tehran_day(invoice) <= last and (till is None or invoice.till == till)


def is_valid(invoice: Invoice) -> bool:
    return invoice.status is not InvoiceStatus.CANCELLED


def reduced_sales(invoices: list[Invoice]) -> set[str]:
    """Numbers of the sales some reduction replaced."""
    return {i.original_number or "" for i in invoices if i.kind is InvoiceKind.REDUCTION}


def counts(invoice: Invoice, reduced: set[str]) -> bool:
    """Whether a document's goods and amounts count: valid, and not a return of a sale a
    reduction replaced (the reduction's lines already leave those goods out)."""
    return is_valid(invoice) and not (invoice.kind is InvoiceKind.RETURN and invoice.original_number in reduced)


def expected_sales(invoices: list[Invoice], first: date, last: date, till: str | None = None) -> dict[str, Any]:
    figures: dict[str, Any] = dict.fromkeys(
        ("gross", "discount", "returns", "cancelled", "net", "vat", "charges", "total"), Decimal(0))
    figures.update(invoices=0, returns_count=0, cancelled_count=0)
    reduced = reduced_sales(invoices)
    for invoice in invoices:
        if not in_range(invoice, first, last, till):
            continue
        totals = invoice.totals
        if invoice.kind is InvoiceKind.RETURN:
            if counts(invoice, reduced):
                figures["returns_count"] += 1
                figures["returns"] += totals.payable
                figures["net"] -= totals.net
                figures["vat"] -= totals.tax
                figures["charges"] -= totals.additions - totals.deductions
                figures["total"] -= totals.payable
        elif not is_valid(invoice):
            figures["cancelled_count"] += 1
            figures["cancelled"] += totals.payable
        else:
            figures["invoices"] += 1
            figures["gross"] += totals.gross
            figures["discount"] += totals.line_discount + totals.invoice_discount
            figures["net"] += totals.net
            figures["vat"] += totals.tax
            figures["charges"] += totals.additions - totals.deductions
            figures["total"] += totals.payable
    return figures


def expected_products(invoices: list[Invoice], first: date, last: date) -> dict[int | None, tuple[Decimal, ...]]:
    """product id -> (sold quantity, sold net, returned quantity, returned net)."""
    sums: dict[int | None, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
    reduced = reduced_sales(invoices)
    for invoice in invoices:
        if not in_range(invoice, first, last) or not counts(invoice, reduced):
            continue
        offset = 2 if invoice.kind is InvoiceKind.RETURN else 0
        for line, totals in zip(invoice.lines, invoice.totals.lines, strict=True):
            sums[line.product_id][offset] += line.quantity
            sums[line.product_id][offset + 1] += totals.net
    return {key: tuple(values) for key, values in sums.items()}


def expected_payments(invoices: list[Invoice], shop: ReportShop, first: date, last: date,
                      ) -> dict[tuple[str, str], tuple[int, Decimal, int, Decimal]]:
    """(method, link provider) -> (received count, received, refunded count, refunded); cash is
    net of change; payments recorded later count on today."""
    today = to_iran_time(datetime.now(UTC)).date()
    sums: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, Decimal(0), 0, Decimal(0)])
    reduced = reduced_sales(invoices)
    for invoice in invoices:
        if not is_valid(invoice) and invoice.number not in reduced:
            continue  # a cancelled invoice's money went back; a replaced sale's stayed
        refund = invoice.kind is InvoiceKind.RETURN
        later = shop.later_payments.get(invoice.number or "", set())
        for position, payment in enumerate(invoice.payments):
            day = today if position in later else tehran_day(invoice)
            if not first <= day <= last:
                continue
            provider = shop.link_provider if payment.method is PaymentMethod.LINK else ""
            key = (payment.method.value, provider)
            sums[key][2 if refund else 0] += 1
            sums[key][3 if refund else 1] += payment.amount
        if invoice.totals.change and in_range(invoice, first, last):
            sums[(PaymentMethod.CASH.value, "")][3 if refund else 1] -= invoice.totals.change
    return {key: tuple(values) for key, values in sums.items()}


def expected_cashiers(services: Any, invoices: list[Invoice], first: date, last: date,
                      ) -> dict[tuple[int | None, str], dict[str, Any]]:
    """(user id, cashier name for invoices without a user) -> figures, with the approvals each
    user asked for and gave, counted by walking every journal record."""
    rows: dict[tuple[int | None, str], dict[str, Any]] = {}
    reduced = reduced_sales(invoices)
    for invoice in invoices:
        if not in_range(invoice, first, last):
            continue
        key = (invoice.cashier_id, "" if invoice.cashier_id is not None else invoice.cashier)
        row = rows.setdefault(key, defaultdict(Decimal))
        payable = invoice.totals.payable
        if invoice.kind is InvoiceKind.RETURN:
            if counts(invoice, reduced):
                row["returns_count"] += 1
                row["returns"] += payable
        elif not is_valid(invoice):
            row["cancelled_count"] += 1
            row["cancelled"] += payable
        else:
            row["sales_count"] += 1
            row["sales"] += payable
            row["discount"] += invoice.totals.line_discount + invoice.totals.invoice_discount
    with services.database.read() as session:
        records = session.execute(select(JournalRow)).scalars().all()
    for record in records:
        if record.action == "approval" and first <= to_iran_time(record.at).date() <= last:
            rows.setdefault((record.user_id, ""), defaultdict(Decimal))["approvals_asked"] += 1
            rows.setdefault((record.approver_id, ""), defaultdict(Decimal))["approvals_given"] += 1
    return rows


def expected_vat(invoices: list[Invoice], first: date, last: date,
                 ) -> dict[tuple[int, int, Decimal], tuple[Decimal, Decimal]]:
    """(Jalali year, season, rate) -> (taxable, VAT), sales less returns."""
    sums: dict[tuple[int, int, Decimal], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    reduced = reduced_sales(invoices)
    for invoice in invoices:
        if not in_range(invoice, first, last) or not counts(invoice, reduced):
            continue
        sign = -1 if invoice.kind is InvoiceKind.RETURN else 1
        season = jalali_season(tehran_day(invoice))
        for line, totals in zip(invoice.lines, invoice.totals.lines, strict=True):
            key = (*season, line.tax_rate.normalize())
            sums[key][0] += sign * totals.net
            sums[key][1] += sign * totals.tax
    return {key: (values[0], values[1]) for key, values in sums.items()}


def expected_balances(invoices: list[Invoice]) -> dict[int, Decimal]:
    """Customer id -> what they owe on account now: the goods they hold at the price of the
    document that stands for them, less the money they paid and plus the money paid back to
    them. A sale with its returns stands for itself (each return's refund on account takes its
    goods off); a sale a reduction replaced is stood for by the reduction alone, against which
    the sale's money and its returns' money refunds count; cancelled invoices aside."""
    owed: dict[int, Decimal] = defaultdict(Decimal)
    reduced = reduced_sales(invoices)

    def money(invoice: Invoice) -> Decimal:
        totals = invoice.totals
        credit = sum((p.amount for p in invoice.payments if p.method is PaymentMethod.CREDIT), Decimal(0))
        return totals.paid - totals.change - credit

    for invoice in invoices:
        if invoice.customer_id is None:
            continue
        if invoice.kind is InvoiceKind.SALE and invoice.number in reduced:
            owed[invoice.customer_id] -= money(invoice)
        elif not is_valid(invoice):
            continue
        elif invoice.kind is InvoiceKind.RETURN and invoice.original_number in reduced:
            owed[invoice.customer_id] += money(invoice)
        elif invoice.kind is InvoiceKind.RETURN:
            owed[invoice.customer_id] -= sum((p.amount for p in invoice.payments
                                              if p.method is PaymentMethod.CREDIT), Decimal(0))
        else:
            owed[invoice.customer_id] += invoice.totals.payable - money(invoice)
    return {key: value for key, value in owed.items() if value > 0}


def sign_in_owner(services: Any) -> None:
    """The corrections below are the owner's (returns and cancellations need the permission),
    made inside an open shift at this till, as at the counter."""
    owner = next(u for u in services.access.users() if u.role.name == "owner")
    services.till_session.user = owner
    for till in (services.shifts.till, SECOND_TILL):
        shifts = ShiftService(services.database, till, services.till_session)
        if shifts.current() is None:
            shifts.open(DEMO_FLOAT, owner.actor)
