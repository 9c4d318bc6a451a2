"""What a sync run came to: each row's result, the summary per provider, a catalogue pull's
counts, and the decision a delivery reaches before it is written down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from posapp.domain.sync import OutboxOperation
from posapp.storage.outbox import Settlement


class ItemResult(StrEnum):
    DELIVERED = "delivered"
    REJECTED = "rejected"
    """The provider refused it (validation); it waits for the cashier."""
    UNSUPPORTED = "unsupported"
    """The provider has no form for this correction; it waits for the cashier to do it by hand."""
    RETRYING = "retrying"
    SKIPPED = "skipped"
    """Settled as done without a request: the provider has nothing to receive (a payment for a
    provider without receipts, which learns payments through its own link)."""
    LOST_LEASE = "lost_lease"
    """Another worker took the row over (our lease expired); nothing was written."""


@dataclass(frozen=True)
class ItemOutcome:
    item_id: int
    provider: str
    operation: OutboxOperation
    invoice_number: str
    result: ItemResult
    message: str = ""
    idempotency_key: str = ""


@dataclass(frozen=True)
class ProviderSummary:
    provider: str
    delivered: int = 0
    rejected: int = 0
    unsupported: int = 0
    retrying: int = 0
    skipped: int = 0
    error: str = ""
    """Why the provider could not be reached at all this run (configuration, credentials)."""


@dataclass(frozen=True)
class SyncSummary:
    """What one `run_once()` did, per provider and per item."""

    started_at: datetime
    finished_at: datetime
    outcomes: tuple[ItemOutcome, ...] = ()
    provider_errors: tuple[tuple[str, str], ...] = ()
    payments_recorded: tuple[str, ...] = ()
    """Invoice numbers marked paid from a provider's payment status."""

    def count(self, result: ItemResult, provider: str | None = None) -> int:
        return sum(1 for o in self.outcomes
                   if o.result is result and (provider is None or o.provider == provider))

    @property
    def delivered(self) -> int:
        return self.count(ItemResult.DELIVERED)

    @property
    def rejected(self) -> int:
        return self.count(ItemResult.REJECTED) + self.count(ItemResult.UNSUPPORTED)

    @property
    def retrying(self) -> int:
        return self.count(ItemResult.RETRYING)

    def by_provider(self) -> list[ProviderSummary]:
        names = sorted({o.provider for o in self.outcomes} | {name for name, _ in self.provider_errors})
        errors = dict(self.provider_errors)
        return [ProviderSummary(
            provider=name,
            delivered=self.count(ItemResult.DELIVERED, name),
            rejected=self.count(ItemResult.REJECTED, name),
            unsupported=self.count(ItemResult.UNSUPPORTED, name),
            retrying=self.count(ItemResult.RETRYING, name),
            skipped=self.count(ItemResult.SKIPPED, name),
            error=errors.get(name, ""),
        ) for name in names]


@dataclass(frozen=True)
class CatalogueSummary:
    """What one catalogue pull brought in; `refused` lists records the store would not take."""

    provider: str
    products_added: int = 0
    products_updated: int = 0
    customers_added: int = 0
    customers_updated: int = 0
    refused: tuple[str, ...] = ()

    def merge(self, other: CatalogueSummary) -> CatalogueSummary:
        return CatalogueSummary(
            self.provider, self.products_added + other.products_added,
            self.products_updated + other.products_updated,
            self.customers_added + other.customers_added,
            self.customers_updated + other.customers_updated, self.refused + other.refused)


@dataclass(frozen=True)
class Decision:
    """What delivering one row came to, before it is written down."""

    result: ItemResult
    settlement: Settlement
    provider_unavailable: bool = False
    """The provider refused our credentials: stop sending to it for this run."""

    def outcome(self, stored: bool) -> ItemOutcome:
        item = self.settlement.item
        return ItemOutcome(item.id, item.provider, item.operation, item.invoice_number,
                           self.result if stored else ItemResult.LOST_LEASE, self.settlement.message,
                           item.idempotency_key)

