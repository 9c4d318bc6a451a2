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

from typing import Any

from sqlalchemy import ColumnElement, and_, exists
from sqlalchemy.orm import aliased

from posapp.domain.invoice import InvoiceKind
from posapp.storage.models import InvoiceRow

_reduction = aliased(InvoiceRow, name="reduction")


def _reduced(number: Any) -> ColumnElement[bool]:
    return exists().where(_reduction.kind == InvoiceKind.REDUCTION.value, _reduction.original_number == number)


def replaced_sale() -> ColumnElement[bool]:
    """The `InvoiceRow` is a sale a reduction replaced (cancelled by it, its money kept)."""
    return and_(InvoiceRow.kind == InvoiceKind.SALE.value, _reduced(InvoiceRow.number))


def absorbed_return() -> ColumnElement[bool]:
    """The `InvoiceRow` is a return of a sale a reduction replaced: the reduction's lines already
    leave its goods out, so it counts as neither a return nor a sale."""
    return and_(InvoiceRow.kind == InvoiceKind.RETURN.value, _reduced(InvoiceRow.original_number))
