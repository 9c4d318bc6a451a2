"""The sync engine: claims due outbox rows and drains them to each provider (its own thread
per provider, `SyncPolicy.lanes` requests in flight), settling every wave in one transaction.

The engine owns its provider clients for its whole life (`ClientPools`); `close()` ends them.
Delivery of one row is `posapp.services.sync.delivery`; the pulls
(`posapp.services.sync.payments`, `posapp.services.sync.catalogue`) borrow the engine's clients;
the cashier's commands over the queue are `posapp.services.sync.queue`.

Each claim and each settled wave announces `Changes(outbox=True)` on the database's feed (from
the drain's thread), so the window shows rows going out and coming back without polling; the
lease heartbeat's renewals change nothing anyone is shown and announce nothing.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from posapp.domain.sync import OutboxItem, OutboxState
from posapp.providers import http, ratelimit
from posapp.providers.ratelimit import RateLimit
from posapp.services.catalog import CatalogService
from posapp.services.changes import OUTBOX_CHANGED
from posapp.services.customers import CustomerService
from posapp.services.invoicing import InvoicingService
from posapp.services.shared_rate import database_buckets
from posapp.services.sync.clients import (
    ClientPool,
    ClientPools,
    ProviderFactory,
    ProviderUnavailable,
)
from posapp.services.sync.delivery import Delivery
from posapp.services.sync.leases import LeaseLapsed, LeaseLost, Leases
from posapp.services.sync.policy import Clock, SyncPolicy, utc_now
from posapp.services.sync.queue import SyncQueue
from posapp.services.sync.results import Decision, ItemOutcome, SyncSummary
from posapp.settings.store import SettingsStore
from posapp.storage import outbox
from posapp.storage.engine import Database

log = logging.getLogger(__name__)

_GATHER_SECONDS = 0.01
"""How long a drain waits for more finished rows before settling a wave."""

_REQUESTS_PER_ROW = 3
"""About how many requests one row costs (a lookup, the write, a reference such as a contact)."""


class SyncServices(Protocol):
    """What the engine needs from the application (`AppServices` provides it): the database,
    the settings, and the invoicing, catalogue and customer services."""

    @property
    def database(self) -> Database: ...
    @property
    def settings(self) -> SettingsStore: ...
    @property
    def invoicing(self) -> InvoicingService: ...
    @property
    def catalog(self) -> CatalogService: ...
    @property
    def customers(self) -> CustomerService: ...


@dataclass
class _RunState:
    """Bookkeeping of one run_once: rows already tried this run are not tried again."""

    attempted: set[int] = field(default_factory=set)
    outcomes: list[ItemOutcome] = field(default_factory=list)
    provider_errors: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)



class SyncEngine:
    """Drains the outbox and pulls state back. Thread-safe; `run_once` may be called from any
    non-GUI thread, and several engines (threads or processes) may share one database. Its
    provider clients stay open between runs; `close()` when the engine is no longer used."""

    def __init__(
        self,
        services: SyncServices,
        provider_factory: ProviderFactory,
        *,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        policy: SyncPolicy | None = None,
        providers: Iterable[str] | None = None,
    ) -> None:
        self.services = services
        self.db = services.database
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - retry jitter, not secrets
        self._rng_lock = threading.Lock()
        self.policy = policy or SyncPolicy()
        self.providers = tuple(providers) if providers is not None else None
        self.clients = ClientPools(provider_factory, self._buckets)
        self.delivery = Delivery(services.invoicing, self.db, clock, self.policy, self.retry_delay)
        self.queue = SyncQueue(self.db, clock, self.providers)

    def close(self) -> None:
        """Close every provider client (call it when no run is in progress)."""
        self.clients.close()

    def client_pool(self, name: str, lanes: int = 1) -> ClientPool:
        """`name`'s clients (kept across runs); raises `ProviderUnavailable` when none can be built."""
        return self.clients.get(name, lanes)

    # -- draining ------------------------------------------------------------------------------

    def run_once(self, providers: Iterable[str] | None = None) -> SyncSummary:
        """Send every due outbox row once (each provider on its own thread) and return what
        happened. Rows that fail transiently are rescheduled, not retried within this run."""
        started = self.clock()
        wanted = tuple(providers) if providers is not None else self.providers
        names = outbox.providers_with_work(self.db, started)
        if wanted is not None:
            names = [name for name in names if name in wanted]
        state = _RunState()
        if len(names) == 1:
            self._drain_provider(names[0], state)
        elif names:
            threads = [threading.Thread(target=self._drain_provider, args=(name, state),
                                        name=f"sync-{name}", daemon=True) for name in names]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        return SyncSummary(started_at=started, finished_at=self.clock(),
                           outcomes=tuple(state.outcomes),
                           provider_errors=tuple(state.provider_errors))

    def _drain_provider(self, name: str, state: _RunState) -> None:
        """Keep `lanes` rows of `name` in flight: claim more as lanes free up (holding no more
        than the provider's rate limit lets this process send within one lease), and settle
        every finished wave in one transaction. While rows are held a heartbeat renews their
        leases, and each request is fenced on the row's lease (see `_deliver_with`). A settled
        row may unblock the next row of its invoice (a cancellation after its sale), so claiming
        resumes after each wave."""
        lanes = self.policy.lanes_for(name)
        refill = max(1, lanes // 2)
        stopped = False
        try:
            clients = self.client_pool(name, lanes)
            with ThreadPoolExecutor(clients.lanes, thread_name_prefix=f"sync-{name}") as pool, \
                    Leases(self.db, self.clock, self.policy) as leases:
                capacity = self._capacity(clients.lanes, clients.rate_limit())
                running: dict[Future[Decision], OutboxItem] = {}
                exhausted = False
                while True:
                    free = capacity - len(running)
                    if not (exhausted or stopped) and (free >= min(refill, capacity) or not running):
                        claimed_at = self.clock()
                        batch = self._claim(name, free, state, claimed_at)
                        exhausted = not batch
                        for item in batch:
                            leases.hold(item, self.policy.lease_end(claimed_at))
                            running[pool.submit(self._deliver_with, clients, item, leases)] = item
                    if not running:
                        return
                    finished, _pending = wait(running, return_when=FIRST_COMPLETED)
                    if len(finished) < min(refill, len(running)):
                        # gather a few more before writing: one disk sync per wave, not per row
                        more, _pending = wait(set(running) - finished, timeout=_GATHER_SECONDS)
                        finished |= more
                    decisions = [future.result() for future in finished]
                    for future in finished:
                        leases.release(running.pop(future))
                    stored = outbox.settle(self.db, [d.settlement for d in decisions], self.clock())
                    if any(stored):
                        self.db.changes.publish(OUTBOX_CHANGED)
                    outcomes = [d.outcome(ok) for d, ok in zip(decisions, stored, strict=True)]
                    with state.lock:
                        state.outcomes.extend(outcomes)
                    unavailable = next((d for d in decisions if d.provider_unavailable), None)
                    if unavailable is not None and not stopped:
                        # credentials or settings are wrong: finish what is in flight, send no more
                        stopped = True
                        with state.lock:
                            state.provider_errors.append((name, unavailable.settlement.message))
                    exhausted = exhausted and not any(
                        d.settlement.state is OutboxState.DONE for d in decisions)
        except ProviderUnavailable as exc:
            stopped = True
            with state.lock:
                state.provider_errors.append((name, str(exc)))
        except Exception as exc:  # a bug must not kill the worker thread silently
            log.exception("sync of %s stopped unexpectedly", name)
            with state.lock:
                state.provider_errors.append((name, f"{type(exc).__name__}: {exc}"))
        finally:
            if stopped:
                self.clients.discard(name)  # refused credentials: build afresh next run

    def _capacity(self, lanes: int, limit: RateLimit | None) -> int:
        """How many rows to hold at once: `batch_size` (at least one per lane), and no more
        than the provider's rate limit lets this process send within one lease."""
        capacity = max(lanes, self.policy.batch_size)
        if limit is None:
            return capacity
        requests = limit.burst + limit.refill_per_second * self.policy.lease_seconds
        return max(1, min(capacity, int(requests / _REQUESTS_PER_ROW)))

    def _claim(self, name: str, limit: int, state: _RunState, now: datetime) -> list[OutboxItem]:
        with state.lock:
            exclude = set(state.attempted)
        batch = outbox.claim_due(self.db, name, now, self.policy.lease_end(now), limit, exclude)
        if batch:
            self.db.changes.publish(OUTBOX_CHANGED)
        with state.lock:
            state.attempted.update(item.id for item in batch)
        return batch

    def _deliver_with(self, clients: ClientPool, item: OutboxItem, leases: Leases) -> Decision:
        """Deliver `item` with every request fenced: just before each one goes out (after any
        wait for the rate limit) the row's lease must still be ours. A lease lost to another
        worker stops the row at once; one that lapsed but is still ours sends the row through
        again from the start, asking the provider first what it already holds."""
        for recheck in (False, True):
            current = replace(item, recheck=True) if recheck else item
            try:
                with clients.lease() as client, http.guarded_by(leases.fence(current)):
                    return self.delivery.deliver(client, current)
            except LeaseLapsed:
                continue
            except LeaseLost:
                return self.delivery.lost(current)
        return self.delivery.lapsed(item)

    def _buckets(self) -> AbstractContextManager[None]:
        """Clients built by this engine share their rate-limit buckets through the database."""
        return ratelimit.buckets_from(database_buckets(self.db))

    def retry_delay(self, attempts: int) -> timedelta:
        with self._rng_lock:
            return self.policy.retry_delay(attempts, self.rng)


def build_engine(services: SyncServices, *, policy: SyncPolicy | None = None,
                 clock: Clock = utc_now) -> SyncEngine:
    """The engine as the app and `posapp sync` run it: clients built from the stored provider
    settings and the keyring (`posapp.settings.providers.build_provider`), for the providers
    the shop has enabled. Rows of a provider switched off stay queued until it is on again."""
    from posapp.settings.providers import build_provider, enabled_sync_targets

    settings = services.settings
    return SyncEngine(services, lambda name: build_provider(name, settings), policy=policy,
                      clock=clock, providers=enabled_sync_targets(settings))

