"""Invoice history queries: the filtered, paged lists of issued documents and the id cursor
that walks the whole history in batches. Read-only; the writes stay in `storage.invoices`.
All functions work inside the caller's Session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, and_, func, select
from sqlalchemy.orm import Session

from posapp.storage.models import InvoiceRow
from posapp.storage.search import MAX_MATCH_CHAR


@dataclass(frozen=True)
class HistoryQuery:
    """Filters for invoice history, already in storage terms (UTC bounds)."""

    issued_from: datetime | None = None
    issued_before: datetime | None = None
    status: str | None = None
    customer_id: int | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    number_prefix: str = ""


SUMMARY_COLUMNS = (
    InvoiceRow.id, InvoiceRow.number, InvoiceRow.kind, InvoiceRow.status, InvoiceRow.issued_at,
    InvoiceRow.customer_id, InvoiceRow.buyer_name, InvoiceRow.payable, InvoiceRow.balance_due,
)
"""What a history list shows; rows carrying them read as attributes of the same names."""


def history_select(query: HistoryQuery) -> Select[*tuple[Any, ...]]:
    conditions = []
    if query.issued_from is not None:
        conditions.append(InvoiceRow.issued_at >= query.issued_from)
    if query.issued_before is not None:
        conditions.append(InvoiceRow.issued_at < query.issued_before)
    if query.status:
        conditions.append(InvoiceRow.status == query.status)
    if query.customer_id is not None:
        conditions.append(InvoiceRow.customer_id == query.customer_id)
    if query.min_amount is not None:
        conditions.append(InvoiceRow.payable >= query.min_amount)
    if query.max_amount is not None:
        conditions.append(InvoiceRow.payable <= query.max_amount)
    if query.number_prefix:
        prefix = query.number_prefix
        conditions.append(and_(InvoiceRow.number >= prefix, InvoiceRow.number < prefix + MAX_MATCH_CHAR))
    return select(*SUMMARY_COLUMNS).where(*conditions)


def ids_issued_between(session: Session, issued_from: datetime | None, issued_before: datetime | None,
                       after_id: int, limit: int) -> list[int]:
    """Ids of issued documents (any kind or status) in the time range, oldest id first, after
    `after_id`: a cursor for walking the whole history in batches."""
    statement = select(InvoiceRow.id).where(InvoiceRow.id > after_id, InvoiceRow.number.is_not(None))
    if issued_from is not None:
        statement = statement.where(InvoiceRow.issued_at >= issued_from)
    if issued_before is not None:
        statement = statement.where(InvoiceRow.issued_at < issued_before)
    return list(session.scalars(statement.order_by(InvoiceRow.id).limit(limit)))


def history_page(session: Session, query: HistoryQuery, offset: int, limit: int) -> list[Row[Any]]:
    """Newest first, paged in SQL on the (issued_at, id) index; rows of SUMMARY_COLUMNS."""
    statement = (
        history_select(query)
        .order_by(InvoiceRow.issued_at.desc(), InvoiceRow.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.execute(statement))


def history_count(session: Session, query: HistoryQuery) -> int:
    subquery = history_select(query).with_only_columns(InvoiceRow.id).subquery()
    return int(session.execute(select(func.count()).select_from(subquery)).scalar_one())
