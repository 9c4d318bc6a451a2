"""Which stored documents a reduction took over: the sale it replaced and that sale's returns.

A reduction states its sale as it stands after every return (`posapp.domain.invoice.make_reduction`),
so once it is issued the sale (cancelled by it) and the returns issued before it no longer count
as sales or returns of their own: the reduction's lines already hold what the customer kept. The
returns stay valid documents (they happened, their refunds were paid, they keep referencing the
sale); only figures of goods and amounts (reports, rollups, balances) leave them out. A sale
with returns cannot be cancelled, and a replaced sale takes no more returns, so every return of
a replaced sale was issued before its reduction. This module is the one home of that rule.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import aliased

from posapp.domain.invoice import InvoiceKind, InvoiceStatus
from posapp.storage.models import InvoiceRow

_reduction = aliased(InvoiceRow, name="reduction")


def reduced_sale_numbers() -> Select[str | None]:
    """The numbers of the sales some reduction replaced, found through the index on
    `original_number`, which only returns and reductions fill (a range test: `IS NOT NULL`
    would scan every invoice)."""
    return select(_reduction.original_number).where(_reduction.original_number > "",
                                                    _reduction.kind == InvoiceKind.REDUCTION.value)


def replaced_sale() -> ColumnElement[bool]:
    """The `InvoiceRow` is a sale a reduction replaced (cancelled by it, its money kept). The
    status is tested first, so the lookup runs for cancelled sales only."""
    return and_(InvoiceRow.status == InvoiceStatus.CANCELLED.value, InvoiceRow.kind == InvoiceKind.SALE.value,
                InvoiceRow.number.in_(reduced_sale_numbers()))


def absorbed_return() -> ColumnElement[bool]:
    """The `InvoiceRow` is a return of a sale a reduction replaced: the reduction's lines already
    leave its goods out, so it counts as neither a return nor a sale. Figures summed over a
    covering index (the sales summary, balances) take these few rows back out with a query of
    their own rather than test every row."""
    return and_(InvoiceRow.kind == InvoiceKind.RETURN.value, InvoiceRow.original_number.in_(reduced_sale_numbers()))
