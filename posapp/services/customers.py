"""Customers: search by name, mobile or national ID, exact lookup, create/update with Iranian
validators, lazy paging, on-account balance and the customer's invoices.

Thread-safe: every call opens its own session; results are frozen `CustomerView`s.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Label

from posapp.domain.errors import NotFoundError, ValidationError
from posapp.domain.invoice import InvoiceKind, InvoiceStatus, Party, PartyKind
from posapp.domain.money import ZERO
from posapp.domain.text import normalize_for_search, to_ascii_digits
from posapp.domain.validators import (
    normalize_mobile,
    validate_economic_code,
    validate_legal_national_id,
    validate_national_id,
    validate_postal_code,
    validate_registration_number,
)
from posapp.services._common import (
    chunks,
    optional_text,
    required_text,
)
from posapp.services._paging import PagedListing
from posapp.services.changes import CUSTOMERS, writes
from posapp.services.invoicing import InvoiceSummary, summaries
from posapp.storage import invoice_history
from posapp.storage.engine import Database
from posapp.storage.models import CustomerRow, InvoiceRow
from posapp.storage.replacements import absorbed_return, replaced_sale
from posapp.storage.search import MAX_MATCH_CHAR, TextSearch


@dataclass(frozen=True, kw_only=True)
class CustomerView(Party):
    """A stored customer: the party's fields and the record's id. `Party.of(view)` is the copy
    an invoice keeps of its buyer at sale time."""

    id: int


@dataclass(frozen=True)
class CustomerInput(Party):
    """A customer form's values (or a provider's, via `CustomerInput.of`); `validated()` returns
    canonical values (ASCII digits, mobile as 09xxxxxxxxx) or raises ValidationError naming the
    field in Persian and English. `national_id` is the کد ملی (10 digits) of a person, the
    شناسه ملی (11 digits) of a legal entity."""

    def validated(self) -> CustomerInput:
        kind = PartyKind(self.kind)
        name = required_text(self.name, field="name", label_fa="نام مشتری", label_en="customer name",
                             max_length=200)
        national_id = ""
        if self.national_id.strip():
            validate = validate_national_id if kind is PartyKind.NATURAL else validate_legal_national_id
            national_id = validate(self.national_id, field="national_id")
        economic_code = validate_economic_code(self.economic_code) if self.economic_code.strip() else ""
        registration_number = (validate_registration_number(self.registration_number)
                               if self.registration_number.strip() else "")
        postal_code = validate_postal_code(self.postal_code) if self.postal_code.strip() else ""
        mobile = normalize_mobile(self.mobile) if self.mobile.strip() else ""
        phone = optional_text(to_ascii_digits(self.phone), field="phone", label_fa="تلفن", label_en="phone",
                              max_length=32)
        address = optional_text(self.address, field="address", label_fa="نشانی", label_en="address",
                                max_length=500)
        return CustomerInput(name=name, kind=kind, national_id=national_id, economic_code=economic_code,
                             registration_number=registration_number, postal_code=postal_code,
                             mobile=mobile, phone=phone, address=address)


def customer_search_text(name: str, mobile: str, national_id: str, economic_code: str) -> str:
    """What customer search indexes: the normalised name, the mobile with and without its
    leading 0, the national ID and the economic code."""
    parts = [normalize_for_search(name), mobile, mobile[1:] if mobile else "", national_id, economic_code]
    return " ".join(part for part in parts if part)


_CUSTOMER_COLUMNS = (
    CustomerRow.id, CustomerRow.kind, CustomerRow.name, CustomerRow.national_id, CustomerRow.economic_code,
    CustomerRow.registration_number, CustomerRow.postal_code, CustomerRow.mobile, CustomerRow.phone,
    CustomerRow.address,
)
_CUSTOMERS_BY_ID = select(*_CUSTOMER_COLUMNS).where(CustomerRow.id.in_(bindparam("ids", expanding=True)))
_MOBILE_STARTS = (
    select(CustomerRow.id)
    .where(CustomerRow.mobile >= bindparam("low"), CustomerRow.mobile < bindparam("high"))
    .order_by(CustomerRow.mobile, CustomerRow.id)
    .limit(bindparam("limit"))
)
_NATIONAL_ID_STARTS = (
    select(CustomerRow.id)
    .where(CustomerRow.national_id >= bindparam("low"), CustomerRow.national_id < bindparam("high"))
    .order_by(CustomerRow.national_id, CustomerRow.id)
    .limit(bindparam("limit"))
)
_NAME_STARTS = (
    select(CustomerRow.id)
    .where(CustomerRow.name_normalized >= bindparam("low"), CustomerRow.name_normalized < bindparam("high"))
    .order_by(CustomerRow.name_normalized, CustomerRow.id)
    .limit(bindparam("limit"))
)


def owed_on_account() -> ColumnElement[Any]:
    """What one invoice adds to its customer's on-account balance, in whole Rial: a sale's
    unsettled amount, less a return's refund put on the account. Summed over the invoices
    `counts_on_account` keeps, plus `taken_over_on_account`, it is the balance (the customer
    list and the reports share it)."""
    return type_coerce(case(
        (InvoiceRow.kind == InvoiceKind.SALE.value, InvoiceRow.payable - InvoiceRow.settled),
        else_=-InvoiceRow.credit,
    ), BigInteger)


def counts_on_account() -> ColumnElement[bool]:
    """The invoices a balance is summed over (through its covering index): valid ones, and
    never a reduction."""
    return and_(InvoiceRow.status != InvoiceStatus.CANCELLED.value,
                InvoiceRow.kind != InvoiceKind.REDUCTION.value)


def _as_owed(amount: ColumnElement[Any]) -> Label[int]:
    return type_coerce(amount, BigInteger).label("owed")


def taken_over_on_account() -> tuple[Select[int | None, int], ...]:
    """(customer id, amount) rows to add to the balance for the sales reductions replaced
    (`posapp.storage.replacements`): the customer owes the reduction's amount for the goods,
    against which the money paid for the replaced sale counts (the sale itself, cancelled, is
    not summed), and the money its returns paid back counts the other way (their refunds on
    account, summed as for any return, were for goods the reduction leaves out). Three
    selects over few rows, each found through an index (an OR of them would scan every
    invoice); the caller adds them up."""
    valid = InvoiceRow.status != InvoiceStatus.CANCELLED.value
    named = InvoiceRow.customer_id.is_not(None)
    return (
        select(InvoiceRow.customer_id, _as_owed(InvoiceRow.payable - InvoiceRow.settled)).where(
            named, InvoiceRow.original_number > "", InvoiceRow.kind == InvoiceKind.REDUCTION.value, valid),
        select(InvoiceRow.customer_id, _as_owed(-InvoiceRow.settled)).where(named, replaced_sale()),
        select(InvoiceRow.customer_id, _as_owed(InvoiceRow.credit + InvoiceRow.settled)).where(
            named, absorbed_return(), valid),
    )


def _view(row: CustomerRow | Row[*tuple[Any, ...]]) -> CustomerView:
    return CustomerView(
        id=row.id, kind=PartyKind(row.kind), name=row.name, national_id=row.national_id,
        economic_code=row.economic_code, registration_number=row.registration_number,
        postal_code=row.postal_code, mobile=row.mobile, phone=row.phone, address=row.address,
    )


def _query_words(text: str) -> list[str]:
    """Search words; a phone-looking query is reduced to its canonical mobile form."""
    try:
        return [normalize_mobile(text)]
    except ValidationError:
        return normalize_for_search(text).split()


_PHONE_PUNCTUATION = str.maketrans("", "", " -()+\u200c")


def digit_prefixes(text: str) -> tuple[str, str] | None:
    """For an all-digit query (any digits, spaces, dashes, +): the prefix to look for among
    mobiles in their 09… form, and among national IDs. None for any other query."""
    digits = to_ascii_digits(text).translate(_PHONE_PUNCTUATION)
    if not digits.isdigit():
        return None
    mobile = digits
    for international in ("0098", "98"):
        if mobile.startswith(international) and len(mobile) > len(international):
            mobile = "0" + mobile[len(international):].removeprefix("0")
            break
    if mobile.startswith("9"):
        mobile = "0" + mobile
    return mobile, digits


class CustomerService(PagedListing[CustomerView]):
    """Customers: exact lookup and search for the sale screen, paging for the list, edits,
    on-account balances."""

    LIST_ORDER = (CustomerRow.name_normalized, CustomerRow.id)

    def __init__(self, database: Database) -> None:
        self._db = database
        self._search = TextSearch(database.engine.dialect.name)

    # -- reading ---------------------------------------------------------------------------

    def get(self, customer_id: int) -> CustomerView:
        with self._db.read() as session:
            row = session.get(CustomerRow, customer_id)
            if row is None:
                raise NotFoundError("مشتری پیدا نشد", f"customer {customer_id} was not found")
            return _view(row)

    def get_many(self, ids: Sequence[int]) -> list[CustomerView]:
        with self._db.connect() as connection:
            return self._views(connection, ids)

    @staticmethod
    def _views(connection: Connection, ids: Sequence[int]) -> list[CustomerView]:
        rows: dict[int, Row[*tuple[Any, ...]]] = {}
        for chunk in chunks(list(ids)):
            rows.update((row.id, row) for row in connection.execute(_CUSTOMERS_BY_ID, {"ids": list(chunk)}))
        return [_view(rows[cid]) for cid in ids if cid in rows]

    def find_exact(self, value: str) -> CustomerView | None:
        """The customer with exactly this national ID (کد ملی / شناسه ملی) or mobile number."""
        digits = "".join(to_ascii_digits(value).split())
        conditions = []
        if digits.isdigit() and len(digits) in (10, 11):
            conditions.append(CustomerRow.national_id == digits)
        with contextlib.suppress(ValidationError):
            conditions.append(CustomerRow.mobile == normalize_mobile(value))
        if not conditions:
            return None
        with self._db.connect() as connection:
            row = connection.execute(
                select(*_CUSTOMER_COLUMNS).where(or_(*conditions)).order_by(CustomerRow.id).limit(1)
            ).first()
            return None if row is None else _view(row)

    def search(self, text: str, limit: int = 20) -> list[CustomerView]:
        """Names starting with the text first, then any customer where every word is a prefix
        of the name, the mobile (any common form) or the national ID."""
        words = _query_words(text)
        if not words or limit <= 0:
            return []
        key = " ".join(words)
        with self._db.connect() as connection:
            prefixes = digit_prefixes(text)
            if prefixes is not None:
                # Numbers are matched on their own indexes: a prefix of 100,000 unique mobiles
                # is a range scan there, while in the word index it would visit every term.
                ids: list[int] = []
                for statement, prefix in zip((_MOBILE_STARTS, _NATIONAL_ID_STARTS), prefixes, strict=True):
                    found = connection.execute(
                        statement, {"low": prefix, "high": prefix + MAX_MATCH_CHAR, "limit": limit}).scalars()
                    ids.extend(cid for cid in found if cid not in ids)
                ids = ids[:limit]
                return self._views(connection, ids)
            ids = list(connection.execute(
                _NAME_STARTS, {"low": key, "high": key + MAX_MATCH_CHAR, "limit": limit}).scalars())
            if len(ids) < limit:
                seen = set(ids)
                more = connection.execute(self._search.customer_ids(words).limit(limit + len(ids))).scalars()
                ids.extend(cid for cid in more if cid not in seen)
            return self._views(connection, ids[:limit])

    def _filtered(self, text: str) -> Select[int]:
        statement = select(CustomerRow.id)
        words = _query_words(text) if text.strip() else []
        if words:
            statement = statement.where(CustomerRow.id.in_(self._search.customer_ids(words)))
        return statement

    def balance(self, customer_id: int) -> Decimal:
        """What the customer owes on account (see `owed_on_account`, `taken_over_on_account`)."""
        with self._db.read() as session:
            total = session.execute(
                select(func.coalesce(func.sum(owed_on_account()), 0)).where(
                    InvoiceRow.customer_id == customer_id, counts_on_account(),
                )
            ).scalar_one()
            taken_over = union_all(*(part.where(InvoiceRow.customer_id == customer_id)
                                     for part in taken_over_on_account())).subquery()
            total += session.execute(select(func.coalesce(func.sum(taken_over.c.owed), 0))).scalar_one()
        return max(ZERO, Decimal(int(total)))

    def invoices_of(self, customer_id: int, offset: int = 0, limit: int = 50) -> list[InvoiceSummary]:
        """The customer's invoices, newest first."""
        with self._db.read() as session:
            return summaries(invoice_history.history_page(session, invoice_history.HistoryQuery(customer_id=customer_id), offset, limit))

    # -- writing ---------------------------------------------------------------------------

    @writes(CUSTOMERS)
    def create(self, customer: CustomerInput) -> CustomerView:
        clean = customer.validated()
        with self._db.write() as session:
            self._check_unique(session, clean, None)
            row = CustomerRow(created_at=datetime.now(UTC))
            self._fill(row, clean)
            session.add(row)
            session.flush()
            return _view(row)

    @writes(CUSTOMERS)
    def update(self, customer_id: int, customer: CustomerInput) -> CustomerView:
        clean = customer.validated()
        with self._db.write() as session:
            row = session.get(CustomerRow, customer_id)
            if row is None:
                raise NotFoundError("مشتری پیدا نشد", f"customer {customer_id} was not found")
            self._check_unique(session, clean, customer_id)
            self._fill(row, clean)
            session.flush()
            return _view(row)

    @staticmethod
    def _check_unique(session: Session, clean: CustomerInput, customer_id: int | None) -> None:
        if not clean.national_id:
            return
        other = session.execute(
            select(CustomerRow.id, CustomerRow.name).where(
                CustomerRow.national_id == clean.national_id, CustomerRow.id != (customer_id or 0))
        ).first()
        if other is not None:
            raise ValidationError(
                "national_id", f"این کد ملی برای مشتری دیگری ({other.name}) ثبت شده است",
                f"this national ID already belongs to another customer ({other.name})",
            )

    @staticmethod
    def _fill(row: CustomerRow, clean: CustomerInput) -> None:
        row.kind = PartyKind(clean.kind).value
        row.name = clean.name
        row.name_normalized = normalize_for_search(clean.name)
        row.national_id = clean.national_id
        row.economic_code = clean.economic_code
        row.registration_number = clean.registration_number
        row.postal_code = clean.postal_code
        row.mobile = clean.mobile
        row.phone = clean.phone
        row.address = clean.address
        row.search_text = customer_search_text(clean.name, clean.mobile, clean.national_id, clean.economic_code)
        row.updated_at = datetime.now(UTC)
