"""The sync model: what an outbox row is, the operations and states it goes through, the keys
providers receive, which invoices a provider takes, and what each payment adds as money received.

Pure Python: storage writes and reads these rows, the sync services deliver them, settings and
the UI show them; every one of them takes the rules from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice, InvoiceKind, PaymentMethod
from posapp.domain.money import ZERO


class OutboxOperation(StrEnum):
    """What an outbox row asks a provider to do with its invoice."""

    ISSUE = "issue"
    CANCEL = "cancel"
    RETURN = "return"
    REDUCE = "reduce"
    PAYMENT_LINK = "payment_link"
    PAYMENT = "payment"
    """A money payment (cash, card, link) on a sale, for the providers that keep receipts; the
    row's idempotency key ends with the payment's position on the invoice."""


class OutboxState(StrEnum):
    """Where an outbox row stands: waiting (or waiting again until its retry time), claimed by
    a worker, or settled one way or the other."""

    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


DUE_STATES = (OutboxState.PENDING, OutboxState.IN_FLIGHT)
"""States of a row a worker may claim once its time has come (an in-flight row whose lease ran out)."""

SETTLED_STATES = (OutboxState.DONE, OutboxState.SKIPPED)
"""States of a row nothing more is sent for; a later row of the same invoice may go."""

OPERATION_FOR_KIND = {
    InvoiceKind.SALE: OutboxOperation.ISSUE,
    InvoiceKind.RETURN: OutboxOperation.RETURN,
    InvoiceKind.REDUCTION: OutboxOperation.REDUCE,
}
"""The operation that delivers a newly issued document of each kind."""


def outbox_key(provider: str, operation: OutboxOperation, number: str,
               payment_position: int | None = None) -> str:
    """An outbox row's idempotency key: unique per provider, operation and invoice (and payment:
    `provider:payment:number:position`, the payment's index in the invoice's payments). A
    payment's receipt goes to the provider under this key."""
    key = f"{provider}:{operation.value}:{number}"
    return key if payment_position is None else f"{key}:{payment_position}"


def payment_position(key: str) -> int:
    """The payment's index in its invoice's payments, from a payment row's idempotency key."""
    return int(key.rsplit(":", 1)[1])


def document_key(invoice: Invoice) -> str:
    """The key a provider gets for the document of an invoice: the invoice's own number (Pod
    billNumber, Hesabfa/Hesabit/PayPing number; Sepidar derives its GUID from it)."""
    if not invoice.number:
        raise DomainError("فاکتور شماره ندارد", "the invoice has no number")
    return invoice.number


def undoing_key(invoice: Invoice) -> str:
    """The key of the document that undoes `invoice` at a provider: a sale's full return when
    it is cancelled, or the new copy of a sale when one of its returns is cancelled."""
    return f"{document_key(invoice)}-C"


def synced_payment_positions(invoice: Invoice) -> list[int]:
    """Which of a sale's payments go to the providers as receipts: money received (cash, card,
    link), not on-account credit; a return's refunds and a reduction's payments do not."""
    if invoice.kind is not InvoiceKind.SALE:
        return []
    return [position for position, payment in enumerate(invoice.payments)
            if payment.method is not PaymentMethod.CREDIT]


def received_amounts(invoice: Invoice) -> list[Decimal]:
    """What each payment adds to the invoice as money received, in Rial: card and link in full,
    credit nothing, and cash less the change given back (change comes out of cash only, taken
    from the last cash payments first), so the receipts sum to what the till really kept."""
    change = invoice.totals.change
    received = [ZERO if p.method is PaymentMethod.CREDIT else p.amount for p in invoice.payments]
    for position in reversed(range(len(received))):
        if change <= 0:
            break
        if invoice.payments[position].method is PaymentMethod.CASH:
            taken = min(change, received[position])
            received[position] -= taken
            change -= taken
    return received


class InvoiceScope(StrEnum):
    """Which issued invoices are queued for a provider."""

    ALL = "all"
    NAMED_CUSTOMER = "named-customer"
    """Only invoices with a named buyer (walk-in sales stay local)."""
    PAYMENT_LINK = "payment-link"
    """Only invoices paid, or to be paid, through a payment link."""


def scope_accepts(scope: InvoiceScope, invoice: Invoice) -> bool:
    """Whether a sale falls within `scope` when it is issued."""
    return scope_accepts_sale(
        scope, buyer_named=invoice.buyer is not None and bool(invoice.buyer.name.strip()),
        paid_by_link=bool(invoice.payment_link) or any(p.method is PaymentMethod.LINK for p in invoice.payments))


def scope_accepts_sale(scope: InvoiceScope, *, buyer_named: bool, paid_by_link: bool) -> bool:
    """The scope rule on a sale's two facts: a named buyer, and a payment link or a payment by
    link (`posapp db check` reads them from stored rows)."""
    if scope is InvoiceScope.NAMED_CUSTOMER:
        return buyer_named
    if scope is InvoiceScope.PAYMENT_LINK:
        return paid_by_link
    return True


@dataclass(frozen=True)
class OutboxItem:
    """An outbox row as the sync services and the UI see it."""

    id: int
    provider: str
    invoice_id: int
    invoice_number: str
    operation: OutboxOperation
    idempotency_key: str
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    updated_at: datetime
    retried_from: int = 0

    recheck: bool = False
    """Ask the provider before sending even on a first attempt (the lease lapsed meanwhile)."""

    @property
    def outcome_may_be_unknown(self) -> bool:
        """True when an earlier attempt may have reached the provider (this is not the first),
        or when this one paused long enough to lose its lease for a while."""
        return self.attempts > 1 or self.recheck

    @property
    def tries(self) -> int:
        """Attempts since the row was queued or the cashier last asked for a retry."""
        return self.attempts - self.retried_from

    @property
    def payment_position(self) -> int:
        """For a PAYMENT row: which of the invoice's payments it sends (its index, from the key)."""
        return payment_position(self.idempotency_key)


@dataclass(frozen=True)
class ProviderCounts:
    """One provider's outbox at a glance, for `posapp sync status` and the status bar."""

    provider: str
    pending: int
    in_flight: int
    failed: int
    done: int
    skipped: int
    blocked: int
    last_success_at: datetime | None
    last_error: str
    last_error_at: datetime | None
