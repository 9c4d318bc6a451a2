"""The cashier's commands over the sync queue: retry, skip, status, problems, and where each
invoice stands with each provider. Each is one short transaction (`posapp.storage.outbox`); the
writes announce `Changes(outbox=True)` on the database's feed once committed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from posapp.domain.sync import OutboxItem, OutboxOperation, OutboxState, ProviderCounts
from posapp.services.changes import OUTBOX_CHANGED, writes
from posapp.services.sync.policy import Clock
from posapp.storage import outbox
from posapp.storage.engine import Database


@dataclass(frozen=True)
class InvoiceSyncState:
    """One provider's view of one invoice, for the history's per-provider sync column."""

    provider: str
    state: OutboxState | None
    """The latest outbox row's state (None when the invoice was never queued there)."""
    operation: OutboxOperation | None
    remote_id: str
    remote_state: str
    link: str
    error: str



class SyncQueue:
    """The outbox as the sync pane and `posapp sync` see it. Thread-safe (no state of its own)."""

    def __init__(self, db: Database, clock: Clock, providers: Iterable[str] | None = None) -> None:
        self._db = db
        self.clock = clock
        self.providers = tuple(providers) if providers is not None else None

    @writes(OUTBOX_CHANGED)
    def retry(self, item_id: int, actor: str = "") -> OutboxItem | None:
        """Send a failed (or skipped, or waiting) row again at the next run."""
        return outbox.reopen(self._db, item_id, self.clock(), actor)

    @writes(OUTBOX_CHANGED)
    def skip(self, item_id: int, actor: str = "", reason: str = "") -> OutboxItem | None:
        """Give up on a failed or waiting row (e.g. entered by hand on the provider)."""
        return outbox.skip(self._db, item_id, self.clock(), actor, reason)

    def status(self) -> list[ProviderCounts]:
        return outbox.counts(self._db, self.providers or ())

    def problems(self, limit: int = 500) -> list[OutboxItem]:
        """Failed rows and rows waiting for a retry, for the sync pane."""
        return outbox.items(self._db, states=(OutboxState.FAILED, OutboxState.PENDING, OutboxState.IN_FLIGHT),
                            limit=limit)

    def next_due_at(self) -> datetime | None:
        return outbox.next_due_at(self._db)

    def invoice_state(self, invoice_id: int) -> list[InvoiceSyncState]:
        """Where `invoice_id` stands with each provider: its latest outbox row and what the
        provider holds (remote id, state, link)."""
        latest: dict[str, OutboxItem] = {}
        for item in outbox.items(self._db, invoice_id=invoice_id):
            latest[item.provider] = item
        links = {link.provider: link for link in outbox.remote_links(self._db, invoice_id)}
        return [InvoiceSyncState(
            provider=name,
            state=latest[name].state if name in latest else None,
            operation=latest[name].operation if name in latest else None,
            remote_id=links[name].remote_id if name in links else "",
            remote_state=links[name].remote_state if name in links else "",
            link=links[name].link if name in links else "",
            error=latest[name].last_error if name in latest else "",
        ) for name in sorted(set(latest) | set(links))]

    def states_for(self, invoice_ids: Iterable[int]) -> dict[int, dict[str, OutboxState]]:
        """Each invoice's latest outbox state per provider, for a page of the invoice history."""
        return outbox.latest_states(self._db, invoice_ids)
