"""The owner's reports: sales, products, categories, payments, cashiers (per user, with approvals),
VAT by Jalali season and customers.

Every figure is an aggregate query (SQLAlchemy Core) over the stored invoice amounts, the daily
rollups of `posapp.storage.sales_rollup` (products, categories, VAT) or the journal (approvals);
nothing loads invoices into Python. Results are frozen dataclasses in Decimal Rial. Thread-safe: each
call opens its own session. The same rules hold in every report:

- a date range is whole Tehran days, `date_from` to `date_to` inclusive, on the issue time
  (payments: on the time the money was recorded, so a debt paid today is today's money);
- sales are valid sale and reduction documents (a reduction replaces a sale, which is then
  cancelled); returns are valid return documents and are subtracted, except the returns of a
  sale a reduction replaced, whose goods the reduction already leaves out (their money refunds
  still count as refunds); a cancelled document never counts and is shown apart, by the day it
  was issued (a replaced sale's money stays received);
- amounts: `net` is after discounts and before VAT, `total` is what the customer pays.
"""

from __future__ import annotations

import heapq
from collections import defaultdict, namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import InvoiceKind, InvoiceStatus, PaymentMethod
from posapp.domain.jalali import (
    IRAN_TZ,
    iran_day_start,
    jalali_season,
    next_season,
    season_start,
    to_iran_time,
)
from posapp.domain.money import ZERO, round_rial
from posapp.domain.numbering import format_invoice_number
from posapp.services._common import chunks
from posapp.services.customers import counts_on_account, owed_on_account, taken_over_on_account
from posapp.storage.engine import Database, is_sqlite
from posapp.storage.models import (
    CustomerRow,
    InvoiceRow,
    JournalRow,
    PaymentRow,
    ProductRow,
    RemoteLinkRow,
    SalesByProductDayRow,
    SalesByRateDayRow,
    UserRow,
)
from posapp.storage.replacements import absorbed_return, replaced_sale
from posapp.storage.sales_rollup import NO_PRODUCT
from posapp.storage.types import Quantity, Rate

HALF_HOUR = 1800
"""Tehran's offset from UTC has always been a whole number of half hours, so no half hour of UTC
time straddles two local hours, whatever the offset was on that day."""
QUANTITY_SCALE = Quantity().places
RATE_SCALE = Rate().places
"""Quantities and rates are summed as the scaled integers stored and scaled once at the end."""
MAX_RANGE_DAYS = 3660


class ReportKind(StrEnum):
    """The reports by name, as the command line and the window know them."""

    SALES = "sales"
    PRODUCTS = "products"
    CATEGORIES = "categories"
    PAYMENTS = "payments"
    CASHIERS = "cashiers"
    VAT = "vat"
    CUSTOMERS = "customers"


@dataclass(frozen=True)
class ReportRange:
    """Tehran calendar days `date_from` .. `date_to` (inclusive), optionally one till only."""

    date_from: date
    date_to: date
    till: str | None = None

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise ValidationError("date_to", "تاریخ پایان پیش از تاریخ شروع است",
                                  "the end date is before the start date")
        if (self.date_to - self.date_from).days > MAX_RANGE_DAYS:
            raise ValidationError("date_to", "بازه‌ی گزارش بیش از ده سال است",
                                  "a report covers at most ten years")

    @property
    def start(self) -> datetime:
        """The first instant of the range (aware UTC)."""
        return day_start(self.date_from)

    @property
    def end(self) -> datetime:
        """The first instant after the range (aware UTC)."""
        return day_start(self.date_to + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.date_from + timedelta(days=n) for n in range((self.date_to - self.date_from).days + 1)]


def day_start(day: date) -> datetime:
    """Midnight in Tehran at the start of `day`, as aware UTC."""
    return iran_day_start(day).astimezone(UTC)


def _rial(value: Any) -> Decimal:
    return Decimal(int(value or 0))


def _quantity(value: Any) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-QUANTITY_SCALE)


def _rate(value: Any) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-RATE_SCALE).normalize()


def _raw(column: Any) -> ColumnElement[int]:
    """A scaled-integer column as the integer stored (sums stay exact and are scaled once)."""
    return type_coerce(column, BigInteger)


def _sum_if(condition: ColumnElement[bool], column: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, _raw(column)), else_=0)), 0)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


VALID = InvoiceRow.status != InvoiceStatus.CANCELLED.value
IS_SALE = and_(InvoiceRow.kind != InvoiceKind.RETURN.value, VALID)
IS_RETURN = and_(InvoiceRow.kind == InvoiceKind.RETURN.value, VALID)
IS_CANCELLED = and_(InvoiceRow.kind != InvoiceKind.RETURN.value,
                    InvoiceRow.status == InvoiceStatus.CANCELLED.value)


def _less_taken_over(session: Session, query: Select[*tuple[Any, ...]], keys: int) -> list[Any]:
    """The rows of the grouped `query` (its first `keys` columns the group), each less the same
    sums over the returns a reduction took over (`posapp.storage.replacements`), which count
    nowhere: taken back out with a query of their own over those few rows, so `query` keeps its
    covering index. The rows are tuples that keep `query`'s column names as attributes."""
    connection = session.connection()  # plain rows fetched at once, without the ORM's row loading
    rows: list[Any] = list(connection.execute(query).all())
    taken_over = connection.execute(query.where(absorbed_return(), VALID)).all()
    if not taken_over:
        return rows
    shape = namedtuple("TakenOverLess", taken_over[0]._fields)  # type: ignore[misc]
    position = {tuple(row[:keys]): index for index, row in enumerate(rows)}
    for taken in taken_over:
        index = position[tuple(taken[:keys])]
        kept = rows[index]
        rows[index] = shape(*kept[:keys], *((value or 0) - (less or 0)
                                            for value, less in zip(kept[keys:], taken[keys:], strict=True)))
    return rows


def _issued_in(report_range: ReportRange) -> list[ColumnElement[bool]]:
    conditions = [InvoiceRow.issued_at >= report_range.start, InvoiceRow.issued_at < report_range.end]
    if report_range.till:
        conditions.append(InvoiceRow.till == report_range.till)
    return conditions


# -- sales summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SalesFigures:
    """Sales less returns over some span. `gross`/`discount` are of the sales alone;
    `returns` and `cancelled` are what those documents' customers paid (or would have)."""

    invoices: int = 0
    gross: Decimal = ZERO
    discount: Decimal = ZERO
    returns_count: int = 0
    returns: Decimal = ZERO
    cancelled_count: int = 0
    cancelled: Decimal = ZERO
    net: Decimal = ZERO
    """Sales' net less returns' net (after discounts, before VAT)."""
    vat: Decimal = ZERO
    charges: Decimal = ZERO
    """Additions less deductions (freight, packing), sales less returns."""
    total: Decimal = ZERO
    """What customers paid for sales, less what returns gave back: net + VAT + charges."""
    sales_total: Decimal = ZERO
    """What customers paid for the sales alone (the base of the average sale)."""

    @property
    def average(self) -> Decimal:
        return round_rial(self.sales_total / self.invoices) if self.invoices else ZERO

    def __add__(self, other: SalesFigures) -> SalesFigures:
        return SalesFigures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True)
class SalesBucket:
    start: datetime
    """The bucket's first instant in Tehran time (a day at midnight, or an hour)."""
    figures: SalesFigures


@dataclass(frozen=True)
class SalesReport:
    range: ReportRange
    by_hour: bool
    """True for a single day: the buckets are its 24 hours."""
    buckets: tuple[SalesBucket, ...]
    totals: SalesFigures


_AMOUNT_COLUMNS = ("gross", "line_discount", "invoice_discount", "net", "tax", "additions", "deductions",
                   "payable")
"""The invoice amounts the sales summary sums, per bucket, document kind and cancelled or not."""


def _sales_figures(kind: str, cancelled: bool, count: int, sums: dict[str, int]) -> SalesFigures:
    """The figures of `count` documents of one kind (cancelled or not) with these summed amounts."""
    if cancelled:
        if kind == InvoiceKind.RETURN.value:
            return SalesFigures()
        return SalesFigures(cancelled_count=count, cancelled=Decimal(sums["payable"]))
    charges = Decimal(sums["additions"] - sums["deductions"])
    if kind == InvoiceKind.RETURN.value:
        return SalesFigures(returns_count=count, returns=Decimal(sums["payable"]), net=-Decimal(sums["net"]),
                            vat=-Decimal(sums["tax"]), charges=-charges, total=-Decimal(sums["payable"]))
    return SalesFigures(
        invoices=count, gross=Decimal(sums["gross"]),
        discount=Decimal(sums["line_discount"] + sums["invoice_discount"]), net=Decimal(sums["net"]),
        vat=Decimal(sums["tax"]), charges=charges, total=Decimal(sums["payable"]),
        sales_total=Decimal(sums["payable"]),
    )


def epoch_slot(session: Session, column: Any, shift: int, width: int) -> ColumnElement[int]:
    """The number of the `width`-second slot a stored (naive UTC) time falls in, counted from
    the epoch moved `shift` seconds (a slot starts at `slot * width - shift` UTC)."""
    if is_sqlite(session.connection()):
        return (cast(func.strftime("%s", column), BigInteger) + shift) // width
    return cast(func.floor((func.extract("epoch", column) + shift) / width), BigInteger)


def sales_slots(report_range: ReportRange, by_hour: bool) -> tuple[int, int]:
    """(shift, width) of the slots the sales are summed in: Tehran days (or hours) directly when
    Tehran's offset is the same all through the range (always so since Iran dropped summer time
    in 1401), else half hours of UTC time, placed into Tehran days or hours afterwards."""
    offsets = {day_start(day).astimezone(IRAN_TZ).utcoffset() for day in report_range.days}
    offsets.add((report_range.end - timedelta(microseconds=1)).astimezone(IRAN_TZ).utcoffset())
    if len(offsets) == 1:
        [offset] = offsets
        assert offset is not None
        return int(offset.total_seconds()), 3600 if by_hour else 86400
    return 0, HALF_HOUR


# -- products --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductSales:
    product_id: int | None
    """None: lines typed by hand, not from the catalogue (one row for all of them)."""
    code: str
    name: str
    unit: str
    category: str
    sold_quantity: Decimal
    sold_amount: Decimal
    returned_quantity: Decimal
    returned_amount: Decimal

    @property
    def net_quantity(self) -> Decimal:
        return self.sold_quantity - self.returned_quantity

    @property
    def net_amount(self) -> Decimal:
        return self.sold_amount - self.returned_amount


@dataclass(frozen=True)
class ProductsReport:
    """Products by net amount (after discounts, before VAT), best first. With a `limit`,
    `rows` are the top ones and `bottom` the weakest sellers, weakest first."""

    range: ReportRange
    rows: tuple[ProductSales, ...]
    bottom: tuple[ProductSales, ...]
    product_count: int
    """How many products sold or came back in the range."""
    sold_amount: Decimal
    returned_amount: Decimal

    @property
    def net_amount(self) -> Decimal:
        return self.sold_amount - self.returned_amount


@dataclass(frozen=True)
class CategorySales:
    """One catalogue category (by the products' category now; "" for products without one
    and for lines typed by hand): how many products sold and their net amounts."""

    category: str
    products: int
    sold_amount: Decimal
    returned_amount: Decimal

    @property
    def net_amount(self) -> Decimal:
        return self.sold_amount - self.returned_amount


@dataclass(frozen=True)
class CategoriesReport:
    """Categories by net amount, best first."""

    range: ReportRange
    rows: tuple[CategorySales, ...]

    @property
    def sold_amount(self) -> Decimal:
        return sum((r.sold_amount for r in self.rows), ZERO)

    @property
    def returned_amount(self) -> Decimal:
        return sum((r.returned_amount for r in self.rows), ZERO)

    @property
    def net_amount(self) -> Decimal:
        return self.sold_amount - self.returned_amount


# -- payments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentTotal:
    """One payment method (and, for links, the provider that made the link). Cash received is
    what was tendered less the change given back."""

    method: PaymentMethod
    provider: str
    received_count: int
    received: Decimal
    refunded_count: int
    refunded: Decimal

    @property
    def net(self) -> Decimal:
        return self.received - self.refunded


@dataclass(frozen=True)
class PaymentsReport:
    range: ReportRange
    rows: tuple[PaymentTotal, ...]

    @property
    def received(self) -> Decimal:
        """Money really received (on-account credit is owed, not received)."""
        return sum((r.received for r in self.rows if r.method is not PaymentMethod.CREDIT), ZERO)

    @property
    def refunded(self) -> Decimal:
        return sum((r.refunded for r in self.rows if r.method is not PaymentMethod.CREDIT), ZERO)

    @property
    def net(self) -> Decimal:
        return self.received - self.refunded


# -- cashiers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CashierFigures:
    """One user: the documents they issued (invoices from before users existed, which have no
    user, by the cashier name they carry) and the manager approvals they asked for and gave."""

    user_id: int | None
    cashier: str
    """The user's name now (the name on the invoices when there is no user)."""
    sales_count: int
    sales: Decimal
    discount: Decimal
    returns_count: int
    returns: Decimal
    cancelled_count: int
    cancelled: Decimal
    approvals_asked: int = 0
    """Actions a manager approved for this user (journal `approval` records, as the asker)."""
    approvals_given: int = 0
    """Approvals this user gave as the manager."""

    @property
    def net(self) -> Decimal:
        return self.sales - self.returns


@dataclass(frozen=True)
class CashiersReport:
    range: ReportRange
    rows: tuple[CashierFigures, ...]


APPROVAL_ACTION = "approval"
"""The journal action `AccessService.approve` records (user: who asked; approver: who gave)."""


# -- VAT by season ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VatRateLine:
    """One VAT rate in one season: taxable amount (line net) and VAT, sales less returns."""

    rate: Decimal
    sales_taxable: Decimal
    sales_vat: Decimal
    returns_taxable: Decimal
    returns_vat: Decimal

    @property
    def taxable(self) -> Decimal:
        return self.sales_taxable - self.returns_taxable

    @property
    def vat(self) -> Decimal:
        return self.sales_vat - self.returns_vat


@dataclass(frozen=True)
class NumberSpan:
    """The invoice numbers of one till and series a season covers, by document kind."""

    kind: InvoiceKind
    first: str
    last: str
    count: int


@dataclass(frozen=True)
class VatSeason:
    year: int
    season: int
    """1 spring, 2 summer, 3 autumn, 4 winter."""
    date_from: date
    date_to: date
    """The season clipped to the report's range."""
    rates: tuple[VatRateLine, ...]
    numbers: tuple[NumberSpan, ...]

    @property
    def taxable(self) -> Decimal:
        return sum((r.taxable for r in self.rates if r.rate), ZERO)

    @property
    def exempt(self) -> Decimal:
        return sum((r.taxable for r in self.rates if not r.rate), ZERO)

    @property
    def vat(self) -> Decimal:
        return sum((r.vat for r in self.rates), ZERO)


@dataclass(frozen=True)
class VatReport:
    range: ReportRange
    seasons: tuple[VatSeason, ...]


def seasons_between(date_from: date, date_to: date) -> list[tuple[int, int, date, date]]:
    """(Jalali year, season, first day, last day) of each season the days touch, clipped."""
    spans = []
    year, season = jalali_season(date_from)
    while True:
        first = max(season_start(year, season), date_from)
        following = season_start(*next_season(year, season))
        spans.append((year, season, first, min(following - timedelta(days=1), date_to)))
        if following > date_to:
            return spans
        year, season = next_season(year, season)


# -- customers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerFigures:
    customer_id: int
    name: str
    mobile: str
    sales_count: int
    sales: Decimal
    returns: Decimal
    balance: Decimal
    """What the customer owes on account now (all their invoices, later payments deducted)."""

    @property
    def net(self) -> Decimal:
        return self.sales - self.returns


@dataclass(frozen=True)
class CustomersReport:
    """Customers who bought or returned in the range, and everyone who owes on account;
    those who owe most first, then by net purchases. With a `limit`, `rows` are the first
    `limit` of them; `customer_count` and the sums always cover all."""

    range: ReportRange
    rows: tuple[CustomerFigures, ...]
    customer_count: int
    sales: Decimal
    returns: Decimal
    owed: Decimal


# -- the service -----------------------------------------------------------------------------


class ReportService:
    """Read-only reports over one database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def tills(self) -> list[str]:
        """Every till code that has issued an invoice, for the till filter."""
        with self._db.read() as session:
            return list(session.execute(select(InvoiceRow.till).distinct().order_by(InvoiceRow.till)).scalars())

    def sales(self, report_range: ReportRange) -> SalesReport:
        by_hour = report_range.date_from == report_range.date_to
        cancelled = (InvoiceRow.status == InvoiceStatus.CANCELLED.value).label("cancelled")
        shift, width = sales_slots(report_range, by_hour)
        with self._db.read() as session:
            slot = epoch_slot(session, InvoiceRow.issued_at, shift, width).label("slot")
            query = (select(slot, InvoiceRow.kind, cancelled, func.count().label("invoices"),
                            *(func.sum(_raw(getattr(InvoiceRow, name))).label(name) for name in _AMOUNT_COLUMNS))
                     .where(*_issued_in(report_range)).group_by(slot, InvoiceRow.kind, cancelled))
            rows = _less_taken_over(session, query, 3)
        if by_hour:
            midnight = iran_day_start(report_range.date_from)
            starts = [midnight.replace(hour=hour) for hour in range(24)]
        else:
            starts = [iran_day_start(day) for day in report_range.days]
        sums: dict[tuple[datetime, str, bool], list[int]] = defaultdict(lambda: [0] * (len(_AMOUNT_COLUMNS) + 1))
        for row in rows:
            local = to_iran_time(datetime.fromtimestamp(int(row.slot) * width - shift, UTC))
            start = local.replace(minute=0, second=0, microsecond=0) if by_hour else \
                datetime.combine(local.date(), time.min)
            totals = sums[(start.replace(tzinfo=IRAN_TZ), row.kind, bool(row.cancelled))]
            totals[0] += int(row.invoices)
            for index, name in enumerate(_AMOUNT_COLUMNS, start=1):
                totals[index] += int(getattr(row, name) or 0)
        figures: dict[datetime, SalesFigures] = dict.fromkeys(starts, SalesFigures())
        for (start, kind, is_cancelled), values in sums.items():
            figures[start] = figures.get(start, SalesFigures()) + _sales_figures(
                kind, is_cancelled, values[0], dict(zip(_AMOUNT_COLUMNS, values[1:], strict=True)))
        ordered = tuple(SalesBucket(start, bucket) for start, bucket in sorted(figures.items()))
        total = sum((b.figures for b in ordered), SalesFigures())
        return SalesReport(report_range, by_hour, ordered, total)

    def products(self, report_range: ReportRange, limit: int | None = None) -> ProductsReport:
        """Per product: quantity and net amount sold and returned, from the daily rollup. `limit`
        keeps the top and bottom `limit` products (the window): the products are ranked by net
        amount alone (one grouping, read once; SQLite and PostgreSQL materialise a CTE used
        three times), then only those rows get their quantities and names. None returns every
        product (exports)."""
        days = _rollup_days(SalesByProductDayRow, report_range)
        sums = _product_sums()
        with self._db.read() as session:
            sold, returned = session.execute(
                select(func.coalesce(func.sum(_raw(SalesByRateDayRow.sold_net)), 0),
                       func.coalesce(func.sum(_raw(SalesByRateDayRow.returned_net)), 0))
                .where(*_rollup_days(SalesByRateDayRow, report_range))).one()
            if limit is None:
                rows = session.execute(_named_products(
                    select(SalesByProductDayRow.product_id, *sums).where(*days)
                    .group_by(SalesByProductDayRow.product_id).subquery())).all()
                count, top, bottom = len(rows), rows, []
            else:
                ranked = (select(SalesByProductDayRow.product_id, (sums[1] - sums[3]).label("net")).where(*days)
                          .group_by(SalesByProductDayRow.product_id).cte("ranked"))
                best = (select(ranked.c.product_id).order_by(ranked.c.net.desc(), ranked.c.product_id)
                        .limit(limit).subquery())
                worst = (select(ranked.c.product_id).order_by(ranked.c.net, ranked.c.product_id.desc())
                         .limit(limit).subquery())
                picked = session.execute(union_all(
                    select(literal(1).label("part"), best.c.product_id),
                    select(literal(2), worst.c.product_id),
                    select(literal(3), func.count()).select_from(ranked),
                )).all()
                count = next(int(r[1]) for r in picked if r[0] == 3)
                wanted = {int(r[1]) for r in picked if r[0] != 3}
                details = {row.product_id: row for row in session.execute(_named_products(
                    select(SalesByProductDayRow.product_id, *sums)
                    .where(*days, SalesByProductDayRow.product_id.in_(wanted))
                    .group_by(SalesByProductDayRow.product_id).subquery()))}
                top = [details[int(r[1])] for r in picked if r[0] == 1]
                bottom = [details[int(r[1])] for r in picked if r[0] == 2]
        return ProductsReport(report_range, tuple(map(_product_sales, top)), tuple(map(_product_sales, bottom)),
                              count, _rial(sold), _rial(returned))

    def categories(self, report_range: ReportRange) -> CategoriesReport:
        """Per catalogue category (each product's category now): products sold and net amounts
        from the daily product rollup. The catalogue is walked in category order and each
        product's rollup rows found by their key, which on SQLite is twice as fast as grouping
        the whole rollup by product first; lines typed by hand (product 0, no catalogue row)
        are summed apart and join the category-less row."""
        sums = _product_sums()
        days = _rollup_days(SalesByProductDayRow, report_range)
        products = func.count(SalesByProductDayRow.product_id.distinct()).label("products")
        category = ProductRow.category.label("category")  # NOT NULL: a coalesce here would lose the index order
        catalogued = (select(category, products, sums[1], sums[3])
                      .select_from(ProductRow)
                      .join(SalesByProductDayRow, SalesByProductDayRow.product_id == ProductRow.id)
                      .where(*days).group_by(category))
        typed_by_hand = (select(products, sums[1], sums[3])
                         .where(SalesByProductDayRow.product_id == NO_PRODUCT, *days))
        found: dict[str, CategorySales] = {}
        with self._db.read() as session:
            for row in session.execute(catalogued):
                found[row.category] = CategorySales(row.category, int(row.products), _rial(row.sold_net),
                                                    _rial(row.returned_net))
            hand = session.execute(typed_by_hand).one()
        if hand.products:
            plain = found.get("", CategorySales("", 0, ZERO, ZERO))
            found[""] = CategorySales("", plain.products + int(hand.products),
                                      plain.sold_amount + _rial(hand.sold_net),
                                      plain.returned_amount + _rial(hand.returned_net))
        categories = sorted(found.values(), key=lambda c: (-c.net_amount, c.category == "", c.category))
        return CategoriesReport(report_range, tuple(categories))

    def payments(self, report_range: ReportRange) -> PaymentsReport:
        """Money per payment method, by when it was recorded; refunds are returns' payments.
        A cancelled invoice's payments are left out (the money went back), except a sale a
        reduction replaced: its money stays paid."""
        is_refund = InvoiceRow.kind == InvoiceKind.RETURN.value
        link_provider = (
            select(func.min(RemoteLinkRow.provider))
            .where(RemoteLinkRow.invoice_id == PaymentRow.invoice_id, RemoteLinkRow.link != "")
            .scalar_subquery()
        )
        provider = case((PaymentRow.method == PaymentMethod.LINK.value, func.coalesce(link_provider, "")),
                        else_=literal("")).label("provider")
        kept = or_(VALID, replaced_sale())
        conditions = [PaymentRow.recorded_at >= report_range.start, PaymentRow.recorded_at < report_range.end,
                      kept]
        if report_range.till:
            conditions.append(InvoiceRow.till == report_range.till)
        query = (
            select(PaymentRow.method, provider,
                   _count_if(~is_refund).label("received_count"), _sum_if(~is_refund, PaymentRow.amount).label("received"),
                   _count_if(is_refund).label("refunded_count"), _sum_if(is_refund, PaymentRow.amount).label("refunded"))
            .join(InvoiceRow, InvoiceRow.id == PaymentRow.invoice_id)
            .where(*conditions)
            .group_by(PaymentRow.method, provider)
        )
        change = select(_sum_if(~is_refund, InvoiceRow.change), _sum_if(is_refund, InvoiceRow.change)).where(
            *_issued_in(report_range), kept)
        with self._db.read() as session:
            rows = session.execute(query).all()
            change_given, change_taken = session.execute(change).one()
        totals = []
        for row in rows:
            received, refunded = _rial(row.received), _rial(row.refunded)
            if row.method == PaymentMethod.CASH.value:
                received -= _rial(change_given)
                refunded -= _rial(change_taken)
            totals.append(PaymentTotal(PaymentMethod(row.method), row.provider or "", int(row.received_count),
                                       received, int(row.refunded_count), refunded))
        order = list(PaymentMethod)
        totals.sort(key=lambda t: (order.index(t.method), t.provider))
        return PaymentsReport(report_range, tuple(totals))

    def cashiers(self, report_range: ReportRange) -> CashiersReport:
        """Per user: sales, discounts, returns and cancelled sales of the documents they issued,
        and the approvals they asked for and gave (from the journal, by when they were given)."""
        unnamed = case((InvoiceRow.user_id.is_(None), InvoiceRow.cashier), else_=literal("")).label("cashier")
        documents = (
            select(InvoiceRow.user_id, unnamed,
                   _count_if(IS_SALE).label("sales_count"), _sum_if(IS_SALE, InvoiceRow.payable).label("sales"),
                   _sum_if(IS_SALE, InvoiceRow.line_discount).label("line_discount"),
                   _sum_if(IS_SALE, InvoiceRow.invoice_discount).label("invoice_discount"),
                   _count_if(IS_RETURN).label("returns_count"), _sum_if(IS_RETURN, InvoiceRow.payable).label("returns"),
                   _count_if(IS_CANCELLED).label("cancelled_count"),
                   _sum_if(IS_CANCELLED, InvoiceRow.payable).label("cancelled"))
            .where(*_issued_in(report_range))
            .group_by(InvoiceRow.user_id, unnamed)
        )
        approvals = [JournalRow.action == APPROVAL_ACTION, JournalRow.at >= report_range.start,
                     JournalRow.at < report_range.end]
        if report_range.till:
            approvals.append(JournalRow.till == report_range.till)
        with self._db.read() as session:
            rows = _less_taken_over(session, documents, 2)
            asked = dict(session.execute(select(JournalRow.user_id, func.count()).where(*approvals)
                                         .group_by(JournalRow.user_id)).all())
            given = dict(session.execute(select(JournalRow.approver_id, func.count()).where(*approvals)
                                         .group_by(JournalRow.approver_id)).all())
            names = dict(session.execute(select(UserRow.id, UserRow.name)).all())
        figures: dict[tuple[int | None, str], CashierFigures] = {}
        for row in rows:
            key = (row.user_id, "" if row.user_id is not None else row.cashier)
            figures[key] = CashierFigures(
                user_id=row.user_id, cashier=names.get(row.user_id, row.cashier or ""),
                sales_count=int(row.sales_count), sales=_rial(row.sales),
                discount=_rial(row.line_discount) + _rial(row.invoice_discount),
                returns_count=int(row.returns_count), returns=_rial(row.returns),
                cancelled_count=int(row.cancelled_count), cancelled=_rial(row.cancelled),
                approvals_asked=int(asked.get(row.user_id, 0)) if row.user_id is not None else 0,
                approvals_given=int(given.get(row.user_id, 0)) if row.user_id is not None else 0,
            )
        only_approvals = {u for u in (*asked, *given) if u is not None} - {key[0] for key in figures}
        for user_id in sorted(only_approvals):
            figures[(user_id, "")] = CashierFigures(
                user_id=user_id, cashier=names.get(user_id, ""), sales_count=0, sales=ZERO, discount=ZERO,
                returns_count=0, returns=ZERO, cancelled_count=0, cancelled=ZERO,
                approvals_asked=int(asked.get(user_id, 0)), approvals_given=int(given.get(user_id, 0)))
        ordered = sorted(figures.values(), key=lambda f: (f.user_id is None, f.cashier, f.user_id or 0))
        return CashiersReport(report_range, tuple(ordered))

    def vat(self, report_range: ReportRange) -> VatReport:
        """Taxable amount and VAT per rate for each Jalali season the range touches (clipped to
        it), sales less returns, with the invoice numbers each season covers per till/series.
        Each season is its own pair of queries over its own days (cheaper than placing every
        line in a season with a CASE)."""
        rate = _raw(SalesByRateDayRow.tax_rate).label("rate")
        rate_query = (
            select(SalesByRateDayRow.day, rate,
                   *(func.sum(_raw(getattr(SalesByRateDayRow, name))).label(name) for name in _RATE_SUMS))
            .where(*_rollup_days(SalesByRateDayRow, report_range))
            .group_by(SalesByRateDayRow.day, rate)
        )
        seasons = []
        with self._db.read() as session:
            by_day = session.execute(rate_query).all()
            for year, season, first, last in seasons_between(report_range.date_from, report_range.date_to):
                span = ReportRange(first, last, report_range.till)
                number_rows = session.execute(
                    select(InvoiceRow.till, InvoiceRow.series, InvoiceRow.kind,
                           func.min(InvoiceRow.sequence).label("first"), func.max(InvoiceRow.sequence).label("last"),
                           func.count().label("invoices"))
                    .where(*_issued_in(span), VALID)
                    .group_by(InvoiceRow.till, InvoiceRow.series, InvoiceRow.kind)
                ).all()
                rates = _vat_rates([row for row in by_day if first <= _as_date(row.day) <= last])
                seasons.append(VatSeason(year, season, first, last, rates, _number_spans(number_rows)))
        return VatReport(report_range, tuple(seasons))

    def customers(self, report_range: ReportRange, limit: int | None = None) -> CustomersReport:
        activity = (
            select(InvoiceRow.customer_id,
                   _count_if(IS_SALE).label("sales_count"), _sum_if(IS_SALE, InvoiceRow.payable).label("sales"),
                   _sum_if(IS_RETURN, InvoiceRow.payable).label("returns"))
            .where(*_issued_in(report_range), InvoiceRow.customer_id.is_not(None))
            .group_by(InvoiceRow.customer_id)
        )
        # the balances: summed over the covering index, then the few customers with a sale a
        # reduction replaced get their share of `taken_over_on_account` added
        taken_over = union_all(*taken_over_on_account()).subquery()
        owed = func.sum(owed_on_account())
        balances = (
            select(InvoiceRow.customer_id, owed.label("owed"))
            .where(InvoiceRow.customer_id.is_not(None), counts_on_account())
            .group_by(InvoiceRow.customer_id)
            .having(or_(owed > 0, InvoiceRow.customer_id.in_(select(taken_over.c.customer_id))))
        )
        corrections = select(taken_over.c.customer_id, func.sum(taken_over.c.owed)).group_by(taken_over.c.customer_id)
        with self._db.read() as session:
            active = {customer_id: (int(count), int(sales or 0), int(returns or 0))
                      for customer_id, count, sales, returns in _less_taken_over(session, activity, 1)
                      if customer_id is not None}
            summed: dict[int, int] = defaultdict(int, {customer_id: int(owed) for customer_id, owed
                                                       in session.connection().execute(balances).all()
                                                       if customer_id is not None})
            for customer_id, correction in session.execute(corrections):
                summed[customer_id] += int(correction)
            owing = {customer_id: amount for customer_id, amount in summed.items() if amount > 0}
            everyone = set(active) | set(owing)
            # who owes most first, then who bought most (net of returns)
            none = (0, 0, 0)
            keys = [(-owing.get(cid, 0), (figures := active.get(cid, none))[2] - figures[1], cid)
                    for cid in everyone]
            ranked = sorted(keys) if limit is None else heapq.nsmallest(limit, keys)
            shown = [cid for _owed, _net, cid in ranked]
            names = _customer_names(session, shown)
        rows = []
        for cid in shown:
            count, sales, returns = active.get(cid, (0, 0, 0))
            name, mobile = names.get(cid, ("", ""))
            rows.append(CustomerFigures(cid, name, mobile, count, Decimal(sales), Decimal(returns),
                                        Decimal(owing.get(cid, 0))))
        return CustomersReport(
            report_range, tuple(rows), len(everyone), Decimal(sum(v[1] for v in active.values())),
            Decimal(sum(v[2] for v in active.values())), Decimal(sum(owing.values())))

    def report(self, kind: ReportKind, report_range: ReportRange, limit: int | None = None) -> Any:
        """The report `kind`; `limit` shortens the products and customers lists (the window),
        None gives every row (exports)."""
        kind = ReportKind(kind)
        if kind in (ReportKind.PRODUCTS, ReportKind.CUSTOMERS):
            return getattr(self, kind.value)(report_range, limit)
        return getattr(self, kind.value)(report_range)


_RATE_SUMS = ("sold_net", "sold_tax", "returned_net", "returned_tax")


def _rollup_days(table: Any, report_range: ReportRange) -> list[ColumnElement[bool]]:
    """A daily rollup's rows in the range (and till)."""
    conditions = [table.day >= report_range.date_from, table.day <= report_range.date_to]
    if report_range.till:
        conditions.append(table.till == report_range.till)
    return conditions


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _product_sums() -> list[ColumnElement[int]]:
    """Sold quantity, sold net, returned quantity, returned net of the product rollup's rows."""
    return [func.sum(_raw(getattr(SalesByProductDayRow, name))).label(name)
            for name in ("sold_quantity", "sold_net", "returned_quantity", "returned_net")]


def _named_products(grouped: Any) -> Select[Any]:
    """Grouped product rows with the catalogue's code, name, unit and category, best first."""
    return (select(grouped, ProductRow.code, ProductRow.name, ProductRow.unit, ProductRow.category)
            .outerjoin(ProductRow, ProductRow.id == grouped.c.product_id)
            .order_by((grouped.c.sold_net - grouped.c.returned_net).desc(), grouped.c.product_id))


def _product_sales(row: Any) -> ProductSales:
    """A products-report row; code, name, unit and category are the catalogue's now (empty for
    lines typed by hand, kept under product 0)."""
    return ProductSales(
        product_id=row.product_id or None, code=row.code or "", name=row.name or "", unit=row.unit or "",
        category=row.category or "",
        sold_quantity=_quantity(row.sold_quantity), sold_amount=_rial(row.sold_net),
        returned_quantity=_quantity(row.returned_quantity), returned_amount=_rial(row.returned_net),
    )


def _customer_names(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Name and mobile of each customer in `ids`."""
    names: dict[int, tuple[str, str]] = {}
    for chunk in chunks(sorted(ids)):
        query: Select[*tuple[Any, ...]] = select(CustomerRow.id, CustomerRow.name, CustomerRow.mobile).where(
            CustomerRow.id.in_(chunk))
        names.update((row.id, (row.name, row.mobile)) for row in session.execute(query))
    return names


def _vat_rates(rows: Sequence[Any]) -> tuple[VatRateLine, ...]:
    """Rate-rollup rows (day, rate and its sums) as one line per rate, highest rate first."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        for index, name in enumerate(_RATE_SUMS):
            sums[int(row.rate)][index] += int(getattr(row, name) or 0)
    return tuple(VatRateLine(_rate(rate), *(Decimal(v) for v in values))
                 for rate, values in sorted(sums.items(), reverse=True))


def _number_spans(rows: Sequence[Any]) -> tuple[NumberSpan, ...]:
    kinds = list(InvoiceKind)
    ordered = sorted(rows, key=lambda r: (r.till, r.series, kinds.index(InvoiceKind(r.kind))))
    return tuple(NumberSpan(InvoiceKind(r.kind), format_invoice_number(r.till, r.series, int(r.first)),
                            format_invoice_number(r.till, r.series, int(r.last)), int(r.invoices)) for r in ordered)
