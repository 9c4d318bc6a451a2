"""ORM tables (SQLAlchemy 2.0 typed mapping): catalogue, customers, invoices and their parts,
number counters, held sales, the sync outbox, remote links and the audit log; users, roles,
shifts, cash movements and the hash-chained journal (see `posapp.storage.journal`).

Money columns are whole Rial, quantities thousandths (see `posapp.storage.types`); every derived
invoice amount is stored next to its inputs so reports never recompute history.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from posapp.storage.types import Amount, DiscountValue, Quantity, Rate, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        __table__: ClassVar[Table]
        """Every row class maps one plain table (typed so bulk inserts and updates take it)."""


class ProductRow(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_normalized: Mapped[str] = mapped_column(String(200), index=True)
    unit: Mapped[str] = mapped_column(String(32))
    price: Mapped[Decimal] = mapped_column(Amount())
    tax_rate_override: Mapped[Decimal | None] = mapped_column(Rate(), nullable=True)
    tax_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    stock: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    goods_code: Mapped[str] = mapped_column(String(13), server_default="")
    """Moadian goods/service code (sstid, 13 digits) or empty."""
    unit_code: Mapped[str] = mapped_column(String(8), server_default="")
    """Moadian unit code (mu) or empty (then the unit's name decides, see UNIT_CODES)."""
    category: Mapped[str] = mapped_column(String(100), server_default="", index=True)
    """The shelf group the products report sums by (dairy, drinks...); empty when not set."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    barcodes: Mapped[list[BarcodeRow]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="BarcodeRow.id",
    )


class BarcodeRow(Base):
    __tablename__ = "product_barcodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    barcode: Mapped[str] = mapped_column(String(64), unique=True)

    product: Mapped[ProductRow] = relationship(back_populates="barcodes")


class CustomerRow(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    name_normalized: Mapped[str] = mapped_column(String(200), index=True)
    national_id: Mapped[str] = mapped_column(String(16), index=True, default="")
    economic_code: Mapped[str] = mapped_column(String(32), default="")
    registration_number: Mapped[str] = mapped_column(String(32), default="")
    postal_code: Mapped[str] = mapped_column(String(16), default="")
    mobile: Mapped[str] = mapped_column(String(16), index=True, default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    """Normalised name, mobile forms, national ID and economic code, for search."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class InvoiceRow(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("till", "series", "sequence", name="uq_invoices_till_series_sequence"),
        Index("ix_invoices_issued_at_id", "issued_at", "id"),
        Index("ix_invoices_customer_issued", "customer_id", "issued_at"),
        Index("ix_invoices_report", "issued_at", "kind", "status", "till", "series", "sequence", "cashier",
              "customer_id", "gross", "line_discount", "invoice_discount", "net", "tax", "additions",
              "deductions", "payable", "user_id", "change"),
        Index("ix_invoices_balance", "customer_id", "status", "kind", "payable", "settled", "credit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    till: Mapped[str] = mapped_column(String(8))
    series: Mapped[str] = mapped_column(String(8))
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), nullable=True,
    )
    seller_json: Mapped[str] = mapped_column(Text)
    buyer_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    buyer_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cashier: Mapped[str] = mapped_column(String(100), default="")
    original_number: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    tax_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    payment_link: Mapped[str | None] = mapped_column(Text, nullable=True)
    discount_kind: Mapped[str] = mapped_column(String(16))
    discount_value: Mapped[Decimal] = mapped_column(DiscountValue())
    gross: Mapped[Decimal] = mapped_column(Amount())
    line_discount: Mapped[Decimal] = mapped_column(Amount())
    invoice_discount: Mapped[Decimal] = mapped_column(Amount())
    net: Mapped[Decimal] = mapped_column(Amount())
    tax: Mapped[Decimal] = mapped_column(Amount())
    additions: Mapped[Decimal] = mapped_column(Amount())
    deductions: Mapped[Decimal] = mapped_column(Amount())
    payable: Mapped[Decimal] = mapped_column(Amount(), index=True)
    paid: Mapped[Decimal] = mapped_column(Amount())
    settled: Mapped[Decimal] = mapped_column(Amount())
    change: Mapped[Decimal] = mapped_column(Amount())
    balance_due: Mapped[Decimal] = mapped_column(Amount())
    credit: Mapped[Decimal] = mapped_column(Amount())
    """On-account (CREDIT) payments: what the customer still owes for this invoice."""
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), nullable=True, index=True)
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    cancel_shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), nullable=True, index=True)


class InvoiceLineRow(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        UniqueConstraint("invoice_id", "position", name="uq_invoice_lines_position"),
        Index("ix_invoice_lines_report", "invoice_id", "product_id", "tax_rate", "quantity", "net", "tax"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    unit: Mapped[str] = mapped_column(String(32))
    unit_price: Mapped[Decimal] = mapped_column(Amount())
    tax_rate: Mapped[Decimal] = mapped_column(Rate())
    discount_kind: Mapped[str] = mapped_column(String(16))
    discount_value: Mapped[Decimal] = mapped_column(DiscountValue())
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), nullable=True, index=True,
    )
    product_code: Mapped[str] = mapped_column(String(64), default="")
    origin_line: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goods_code: Mapped[str] = mapped_column(String(13), server_default="")
    unit_code: Mapped[str] = mapped_column(String(8), server_default="")
    gross: Mapped[Decimal] = mapped_column(Amount())
    line_discount: Mapped[Decimal] = mapped_column(Amount())
    invoice_discount: Mapped[Decimal] = mapped_column(Amount())
    net: Mapped[Decimal] = mapped_column(Amount())
    tax: Mapped[Decimal] = mapped_column(Amount())
    total: Mapped[Decimal] = mapped_column(Amount())


class PaymentRow(Base):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("invoice_id", "position", name="uq_payments_position"),
        Index("ix_payments_recorded_at", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Amount())
    reference: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), nullable=True, index=True)


class ChargeRow(Base):
    __tablename__ = "charges"
    __table_args__ = (UniqueConstraint("invoice_id", "position", name="uq_charges_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Amount())
    is_deduction: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(16))


class NumberCounterRow(Base):
    """The last sequence handed out per (till, series); advanced in the issuing transaction."""

    __tablename__ = "number_counters"

    till: Mapped[str] = mapped_column(String(8), primary_key=True)
    series: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)


class HeldSaleRow(Base):
    __tablename__ = "held_sales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    line_count: Mapped[int] = mapped_column(Integer)
    payable: Mapped[Decimal] = mapped_column(Amount())
    snapshot: Mapped[str] = mapped_column(Text)
    """The draft invoice as JSON (see posapp.storage.snapshots)."""
    open_on_till: Mapped[str | None] = mapped_column(String(8), default=None)
    """Set on the sale open in that till's editor (kept on disk as it changes); NULL when parked."""

    __table_args__ = (Index("uq_held_sales_open_on_till", "open_on_till", unique=True),)


class OutboxRow(Base):
    """One job for a sync provider, written in the same transaction as the sale it is about."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
        Index("ix_outbox_state_next_attempt", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    operation: Mapped[str] = mapped_column(String(16))
    """A `posapp.domain.sync.OutboxOperation` value."""
    idempotency_key: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16))
    """A `posapp.domain.sync.OutboxState` value."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    """Raised by every claim, never lowered: the row's fencing token."""
    retried_from: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """`attempts` when the cashier last asked for a retry; tries are counted from there."""
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RemoteLinkRow(Base):
    __tablename__ = "remote_links"
    __table_args__ = (UniqueConstraint("provider", "invoice_id", name="uq_remote_links_provider_invoice"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    remote_id: Mapped[str] = mapped_column(String(128), default="")
    link: Mapped[str] = mapped_column(Text, default="")
    remote_state: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    remote_key: Mapped[str] = mapped_column(String(128), default="", server_default="")
    """The provider's key (Pod billNumber) of the document that stands for the invoice now."""


class RateBucketRow(Base):
    """One provider's request budget shared by every process on this database (a token bucket
    refilled by wall-clock time; see `posapp.services.shared_rate`)."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    refreshed_at: Mapped[float] = mapped_column(Float)
    """Epoch seconds of the last refill."""


class MoadianSerialRow(Base):
    """The last Moadian invoice serial handed out under a fiscal memory ID; advanced in the
    transaction that issues the document, shared by every till on the database."""

    __tablename__ = "moadian_serials"

    memory_id: Mapped[str] = mapped_column(String(6), primary_key=True)
    last_serial: Mapped[int] = mapped_column(BigInteger)


class MoadianDocumentRow(Base):
    """One document for Moadian (a sale, a return or a cancellation) under its own tax ID."""

    __tablename__ = "moadian_documents"
    __table_args__ = (
        UniqueConstraint("tax_id", name="uq_moadian_documents_tax_id"),
        UniqueConstraint("invoice_id", "subject", name="uq_moadian_documents_invoice_subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    subject: Mapped[int] = mapped_column(Integer)
    """1 original (a sale), 2 correction (a reduction), 3 cancellation, 4 return (sent as `ins` 4,
    or 2 for a final consumer: domain.moadian_invoice.return_subject)."""
    tax_id: Mapped[str] = mapped_column(String(22))
    referenced_tax_id: Mapped[str] = mapped_column(String(22), server_default="")
    """`irtaxid`: the document this one cancels or replaces (empty for a sale)."""
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    uid: Mapped[str] = mapped_column(String(36), server_default="")
    """The packet's requestTraceId, stored before it is first sent and kept until a verdict."""
    reference_number: Mapped[str] = mapped_column(String(64), server_default="")
    status: Mapped[str] = mapped_column(String(16), server_default="queued")
    """queued (never sent), sent (awaiting the verdict), accepted, rejected, or not-needed (a
    cancellation of a document Moadian never accepted)."""
    messages: Mapped[str] = mapped_column(Text, server_default="")
    """The verdict's errors and warnings in Persian, one per line (`code: message`)."""
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[str] = mapped_column(Text, default="")


class RoleRow(Base):
    """A role and its permissions (comma-separated `Permission` values)."""

    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    permissions: Mapped[str] = mapped_column(Text, default="")
    max_discount_percent: Mapped[Decimal] = mapped_column(DiscountValue())
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class UserRow(Base):
    """A person who signs in at the till. `pin_hash` is a salted scrypt hash, never the PIN."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(ForeignKey("roles.name", ondelete="RESTRICT"))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    wrong_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ShiftRow(Base):
    """A till's shift from opening float to counted close. At most one open shift per till:
    a unique index over `till` for the rows whose `closed_at` is NULL (SQLite and PostgreSQL
    both enforce partial unique indexes). The Z report is stored when the shift closes."""

    __tablename__ = "shifts"
    __table_args__ = (
        UniqueConstraint("till", "number", name="uq_shifts_till_number"),
        Index("uq_shifts_open_per_till", "till", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
        Index("ix_shifts_opened_at", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    till: Mapped[str] = mapped_column(String(8))
    number: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    opening_float: Mapped[Decimal] = mapped_column(Amount())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    expected_cash: Mapped[Decimal | None] = mapped_column(Amount(), nullable=True)
    counted_cash: Mapped[Decimal | None] = mapped_column(Amount(), nullable=True)
    counted_notes: Mapped[str] = mapped_column(Text, default="")
    """JSON {note value: count} when the cash was counted by notes."""
    z_report: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The Z report as canonical JSON, written once at close and never recomputed."""


class CashMovementRow(Base):
    """Paid-in (`in`) or paid-out (`out`) cash during a shift, with its reason."""

    __tablename__ = "cash_movements"
    __table_args__ = (CheckConstraint("kind IN ('in', 'out')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal] = mapped_column(Amount())
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class JournalRow(Base):
    """One record of the append-only, hash-chained journal (one chain for the shop; `seq`
    counts from 1 without gaps). User ids are kept without a foreign key: the journal must
    outlive anything it mentions. Written only by `posapp.storage.journal.append`."""

    __tablename__ = "journal"
    __table_args__ = (Index("ix_journal_action_at", "action", "at", "till", "user_id", "approver_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    till: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_name: Mapped[str] = mapped_column(String(100))
    approver_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approver_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class JournalHeadRow(Base):
    """The chain's last seq and hash, in one row (id 1). Every append locks and advances it in
    the writing transaction, so appends from several tills are serialised and never fork."""

    __tablename__ = "journal_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class SalesByProductDayRow(Base):
    """Each product's valid sales and returns per Tehran day and till, kept by
    `posapp.storage.sales_rollup` in the same transaction as issuing and cancelling, so the
    products report sums a year of days instead of joining every invoice line. Clustered by
    product (SQLite: WITHOUT ROWID), so grouping by product is one ordered scan."""

    __tablename__ = "sales_by_product_day"
    __table_args__ = ({"sqlite_with_rowid": False},)

    product_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    """The product, or 0 for lines typed by hand (no product)."""
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    till: Mapped[str] = mapped_column(String(8), primary_key=True)
    sold_quantity: Mapped[Decimal] = mapped_column(Quantity())
    sold_net: Mapped[Decimal] = mapped_column(Amount())
    returned_quantity: Mapped[Decimal] = mapped_column(Quantity())
    returned_net: Mapped[Decimal] = mapped_column(Amount())


class SalesByRateDayRow(Base):
    """Line net (taxable amount) and VAT per Tehran day, till and VAT rate, valid sales and
    returns apart; kept with `SalesByProductDayRow`. The VAT report reads it."""

    __tablename__ = "sales_by_rate_day"
    __table_args__ = ({"sqlite_with_rowid": False},)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    till: Mapped[str] = mapped_column(String(8), primary_key=True)
    tax_rate: Mapped[Decimal] = mapped_column(Rate(), primary_key=True)
    sold_net: Mapped[Decimal] = mapped_column(Amount())
    sold_tax: Mapped[Decimal] = mapped_column(Amount())
    returned_net: Mapped[Decimal] = mapped_column(Amount())
    returned_tax: Mapped[Decimal] = mapped_column(Amount())
