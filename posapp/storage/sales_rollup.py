"""The daily sales rollups the owner's reports read (`sales_by_product_day`, `sales_by_rate_day`).

Each valid document adds its lines to its Tehran day and till: sales and reductions to the
`sold_*` columns, returns to the `returned_*` columns; cancelling a document takes exactly what
it added back out, and so does a reduction for the returns of the sale it replaces (its lines
already leave their goods out, `posapp.storage.replacements`). Both happen in the transaction that issues or cancels, through `record` (an
upsert that adds to the row, so tills writing at once never lose each other's figures), so the
rollups always equal the sums over the invoice lines; `rebuild` recomputes them from the lines
(the migration that adds them, and a repair). Lines typed by hand count under product 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Insert, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from posapp.domain.invoice import Invoice, InvoiceKind, InvoiceStatus
from posapp.domain.jalali import to_iran_time
from posapp.storage.bulk import executemany
from posapp.storage.models import (
    InvoiceLineRow,
    InvoiceRow,
    SalesByProductDayRow,
    SalesByRateDayRow,
)
from posapp.storage.replacements import absorbed_return

NO_PRODUCT = 0
"""The product id the rollup keeps lines typed by hand under (catalogue ids start at 1)."""
PRODUCT_TABLE: Table = SalesByProductDayRow.__table__
RATE_TABLE: Table = SalesByRateDayRow.__table__
PRODUCT_SUMS = ("sold_quantity", "sold_net", "returned_quantity", "returned_net")
RATE_SUMS = ("sold_net", "sold_tax", "returned_net", "returned_tax")

ProductKey = tuple[int, date, str]
RateKey = tuple[date, str, Decimal]


class Contributions:
    """What some documents add to (or, with sign -1, take from) the two rollups."""

    def __init__(self) -> None:
        self.products: dict[ProductKey, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
        self.rates: dict[RateKey, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)

    def add_line(self, day: date, till: str, is_return: bool, product_id: int | None, rate: Decimal,
                 quantity: Decimal, net: Decimal, tax: Decimal, sign: int = 1) -> None:
        if sign < 0:
            quantity, net, tax = -quantity, -net, -tax
        offset = 2 if is_return else 0
        product = self.products[(product_id or NO_PRODUCT, day, till)]
        product[offset] += quantity
        product[offset + 1] += net
        by_rate = self.rates[(day, till, rate.normalize())]
        by_rate[offset] += net
        by_rate[offset + 1] += tax

    def add_invoice(self, invoice: Invoice, sign: int = 1) -> None:
        """An issued document's lines, on its Tehran day (sign -1: taken back out)."""
        assert invoice.issued_at is not None
        day = to_iran_time(invoice.issued_at).date()
        is_return = invoice.kind is InvoiceKind.RETURN
        for line, totals in zip(invoice.lines, invoice.totals.lines, strict=True):
            self.add_line(day, invoice.till, is_return, line.product_id, line.tax_rate, line.quantity,
                          totals.net, totals.tax, sign)


@cache
def _upsert_statement(dialect_name: str, table: Table, keys: tuple[str, ...], sums: tuple[str, ...]) -> Insert:
    dialect: Any = sqlite if dialect_name == "sqlite" else postgresql
    statement = dialect.insert(table)
    return statement.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=[table.c[k] for k in keys],
        set_={name: table.c[name] + statement.excluded[name] for name in sums})


def _upsert(target: Session | Connection, table: Table, keys: tuple[str, ...], sums: tuple[str, ...],
            rows: list[dict[str, Any]]) -> None:
    """Insert each row, or add its sums to the row already there (one statement per row)."""
    connection = target.connection() if isinstance(target, Session) else target
    executemany(connection, _upsert_statement(connection.dialect.name, table, keys, sums), rows)


def _write(target: Session | Connection, contributions: Contributions) -> None:
    product_rows = [{"product_id": product_id, "day": day, "till": till, **dict(zip(PRODUCT_SUMS, values, strict=True))}
                    for (product_id, day, till), values in sorted(contributions.products.items()) if any(values)]
    rate_rows = [{"day": day, "till": till, "tax_rate": rate, **dict(zip(RATE_SUMS, values, strict=True))}
                 for (day, till, rate), values in sorted(contributions.rates.items()) if any(values)]
    _upsert(target, PRODUCT_TABLE, ("product_id", "day", "till"), PRODUCT_SUMS, product_rows)
    _upsert(target, RATE_TABLE, ("day", "till", "tax_rate"), RATE_SUMS, rate_rows)


def record_issued(session: Session, invoices: Iterable[Invoice]) -> None:
    """Add documents just issued (in the issuing transaction)."""
    contributions = Contributions()
    for invoice in invoices:
        if invoice.status is not InvoiceStatus.CANCELLED:
            contributions.add_invoice(invoice)
    _write(session, contributions)


def record_cancelled(session: Session, invoice: Invoice) -> None:
    """Take a document back out, in the transaction that cancelled it (or, for a return, that
    issued the reduction taking it over)."""
    contributions = Contributions()
    contributions.add_invoice(invoice, sign=-1)
    _write(session, contributions)


def rebuild(connection: Connection) -> None:
    """Empty both rollups and sum them again from every valid document's lines."""
    connection.execute(delete(PRODUCT_TABLE))
    connection.execute(delete(RATE_TABLE))
    contributions = Contributions()
    lines = (
        select(InvoiceRow.issued_at, InvoiceRow.till, InvoiceRow.kind, InvoiceLineRow.product_id,
               InvoiceLineRow.tax_rate, InvoiceLineRow.quantity, InvoiceLineRow.net, InvoiceLineRow.tax)
        .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
        .where(InvoiceRow.status != InvoiceStatus.CANCELLED.value, ~absorbed_return())
    )
    for row in connection.execute(lines.execution_options(yield_per=20_000)):
        contributions.add_line(to_iran_time(row.issued_at).date(), row.till, row.kind == InvoiceKind.RETURN.value, row.product_id,
                               row.tax_rate, row.quantity, row.net, row.tax)
    _write(connection, contributions)
