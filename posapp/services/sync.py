"""Offline-first sync: drain the outbox to every provider exactly once, and pull payments and the
catalogue back.

Qt-free. The database holds all state (see `posapp.services.sync_store`), so the engine can be
stopped, killed or restarted at any moment and carries on where it was.

Exactly once. Every create carries the provider's idempotency key (Pod billNumber, Hesabfa
reference, Hesabit and PayPing invoice number, Sepidar GUID derived from the number). When an earlier
attempt's outcome is unknown (a timeout, a connection dropped after the provider committed, a
worker killed mid-send) the engine looks the invoice up by that key before sending again, and a
"duplicate" answer is settled by the same lookup. A payment goes as a receipt to the providers
that keep them (Hesabfa, Sepidar) under a key of its own (Sepidar's receipt GUID); Hesabfa's
receipts carry none, so before a resend the engine reads what Hesabfa holds as received.

Several workers. The app's worker and any number of `posapp sync --once` runs may share one
database. A worker holds only the rows its lanes and the provider's rate limit can send within a
lease, a heartbeat renews their leases, and every request is fenced on the row's attempts number
(its fencing token): a worker whose row was taken over sends nothing more, one whose lease
lapsed starts the row again asking the provider first. Rate-limit buckets live in the database
(`posapp.services.shared_rate`), so overlapping processes share a provider's budget. docs/sync.md
states the guarantee exactly.

Corrections follow each provider's documents, told apart by capabilities, never by provider
class: a provider without returns (`Capability.REISSUE_INVOICE`, Pod) has its copy of a sale
follow the sale less its standing returns (an unpaid copy is cancelled and issued anew, a paid
one reduced); one with returns (`PUSH_RETURN`, Hesabfa) gets return invoices, and a sale it holds
receipts for is reversed by a full return, never deleted. One amount-mismatch policy
(`Provider.expected_payable`) covers every document created, corrections' copies included.
A refusal or a row tried `SyncPolicy.max_tries` times fails for the cashier.

Order. Per provider, an invoice's rows go out in outbox order and a row waits until every earlier
row of the same invoice (or of the original it corrects) is delivered or skipped, so a sale
reaches a provider before its payments, cancellation or return, and a rejected sale holds them
back.

Threading. `SyncEngine.run_once()` blocks its caller: run it from `SyncWorker` (a plain thread)
or the CLI, never from the GUI thread. Inside, each provider drains on its own thread with up to
`SyncPolicy.lanes` requests in flight; each lane has its own provider client.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from posapp.domain.errors import DomainError
from posapp.domain.invoice import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    PaymentMethod,
    kept_part,
    make_return,
)
from posapp.domain.money import ZERO
from posapp.domain.payment_links import check_payment_link
from posapp.providers import http, ratelimit
from posapp.providers.base import (
    Capability,
    PaymentStatus,
    Provider,
    RemoteCustomer,
    RemoteInvoice,
    RemoteProduct,
    RemoteState,
)
from posapp.providers.errors import (
    AuthenticationError,
    DuplicateError,
    InvalidStateError,
    NetworkError,
    ProviderError,
    ProviderValidationError,
    RateLimitedError,
    RemoteNotFoundError,
    UnsupportedOperationError,
)
from posapp.providers.http import scrub
from posapp.providers.ratelimit import RateLimit
from posapp.services import sync_store
from posapp.services.payment_links import delivered_copy, link_for, record_link_payment
from posapp.services.shared_rate import database_buckets
from posapp.services.sync_settings import POD_CLOSE_PAID, POD_VERIFY_PAID
from posapp.services.sync_store import (
    Lease,
    LinkUpdate,
    OutboxItem,
    OutboxOperation,
    OutboxState,
    ProviderCounts,
    Settlement,
    payment_position,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SyncPolicy:
    """How hard and how fast the engine pushes. Times in seconds."""

    lanes: int = 4
    """Requests in flight per provider (each lane has its own client)."""
    provider_lanes: Mapping[str, int] = field(default_factory=dict)
    """Lower caps chosen for some providers; a provider that cannot take parallel requests says
    so itself (`Provider.max_lanes`)."""
    batch_size: int = 32
    lease_seconds: float = 120.0
    """How long a claimed row stays ours; a crashed worker's rows come back after this."""
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 300.0
    max_tries: int = 12
    """Tries of one row (since it was queued, last retried by the cashier, or last found the
    provider unreachable) before it fails for the cashier with the provider's last words; with
    the default backoff that is twelve to twenty-four minutes of answers that settle nothing."""
    idle_poll_seconds: float = 30.0
    """The worker's longest sleep when nothing is due (it also wakes on `wake()`)."""
    payment_poll_seconds: float = 20.0
    catalogue_poll_seconds: float = 900.0

    def lanes_for(self, provider: str) -> int:
        return max(1, min(self.lanes, self.provider_lanes.get(provider, self.lanes)))

    def retry_delay(self, attempt: int, rng: random.Random) -> timedelta:
        """Exponential backoff with jitter, capped: half the step fixed, half random, so retries
        spread out without ever firing at once."""
        step = min(self.backoff_cap_seconds, self.backoff_base_seconds * 2 ** max(0, attempt - 1))
        return timedelta(seconds=step / 2 + rng.uniform(0, step / 2))


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


def _cursor_setting(provider: str, kind: str) -> Any:
    from posapp.settings.store import Setting

    return Setting(f"sync.cursor.{provider}.{kind}", "", str,
                   f"where the last {kind} pull from {provider} stopped (ISO time, UTC)")


def _parse_cursor(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


class ProviderFactory(Protocol):
    """Builds a ready provider client by name (see `posapp.settings.providers.build_provider`)."""

    def __call__(self, name: str) -> Provider: ...


class SyncServices(Protocol):
    """What the engine needs from the application (`AppServices` provides it): the database,
    the settings, and the invoicing, catalogue and customer services."""

    database: Any
    settings: Any
    invoicing: Any
    catalog: Any
    customers: Any


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


@dataclass
class _RunState:
    """Bookkeeping of one run_once: rows already tried this run are not tried again."""

    attempted: set[int] = field(default_factory=set)
    outcomes: list[ItemOutcome] = field(default_factory=list)
    provider_errors: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ProviderUnavailable(Exception):
    """The provider cannot be used at all right now (credentials, configuration); the row goes
    back to the queue untouched and this provider's drain stops for this run."""


class SyncEngine:
    """Drains the outbox and pulls state back. Thread-safe; `run_once` may be called from any
    non-GUI thread, and several engines (threads or processes) may share one database."""

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
        self.provider_factory = provider_factory
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - retry jitter, not secrets
        self._rng_lock = threading.Lock()
        self.policy = policy or SyncPolicy()
        self.providers = tuple(providers) if providers is not None else None
        self._delivery = _Delivery(self)

    # -- draining ------------------------------------------------------------------------------

    def run_once(self, providers: Iterable[str] | None = None) -> SyncSummary:
        """Send every due outbox row once (each provider on its own thread) and return what
        happened. Rows that fail transiently are rescheduled, not retried within this run."""
        started = self.clock()
        wanted = tuple(providers) if providers is not None else self.providers
        names = sync_store.providers_with_work(self.db, started)
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
        try:
            with _ClientPool(self.provider_factory, name, lanes, self._buckets) as clients, \
                    ThreadPoolExecutor(clients.lanes, thread_name_prefix=f"sync-{name}") as pool, \
                    _Leases(self) as leases:
                capacity = self._capacity(clients.lanes, clients.rate_limit())
                running: dict[Future[Decision], OutboxItem] = {}
                exhausted = False
                stopped = False
                while True:
                    free = capacity - len(running)
                    if not (exhausted or stopped) and (free >= min(refill, capacity) or not running):
                        claimed_at = self.clock()
                        batch = self._claim(name, free, state, claimed_at)
                        exhausted = not batch
                        for item in batch:
                            leases.hold(item, self.lease_end(claimed_at))
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
                    stored = sync_store.settle(self.db, [d.settlement for d in decisions], self.clock())
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
            with state.lock:
                state.provider_errors.append((name, str(exc)))
        except Exception as exc:  # a bug must not kill the worker thread silently
            log.exception("sync of %s stopped unexpectedly", name)
            with state.lock:
                state.provider_errors.append((name, f"{type(exc).__name__}: {exc}"))

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
        batch = sync_store.claim_due(self.db, name, now, self.lease_end(now), limit, exclude)
        with state.lock:
            state.attempted.update(item.id for item in batch)
        return batch

    def lease_end(self, now: datetime) -> datetime:
        """When a lease taken or renewed at `now` runs out."""
        return now + timedelta(seconds=self.policy.lease_seconds)

    def _deliver_with(self, clients: _ClientPool, item: OutboxItem, leases: _Leases) -> Decision:
        """Deliver `item` with every request fenced: just before each one goes out (after any
        wait for the rate limit) the row's lease must still be ours. A lease lost to another
        worker stops the row at once; one that lapsed but is still ours sends the row through
        again from the start, asking the provider first what it already holds."""
        for recheck in (False, True):
            current = replace(item, recheck=True) if recheck else item
            try:
                with clients.lease() as client, http.guarded_by(leases.fence(current)):
                    return self._delivery.deliver(client, current)
            except _LeaseLapsed:
                continue
            except _LeaseLost:
                return self._delivery.lost(current)
        return self._delivery.lapsed(item)

    def _buckets(self) -> Any:
        """Clients built by this engine share their rate-limit buckets through the database."""
        return ratelimit.buckets_from(database_buckets(self.db))

    def retry_delay(self, attempts: int) -> timedelta:
        with self._rng_lock:
            return self.policy.retry_delay(attempts, self.rng)

    # -- the cashier's controls ------------------------------------------------------------------

    def retry(self, item_id: int, actor: str = "") -> OutboxItem | None:
        """Send a failed (or skipped, or waiting) row again at the next run."""
        return sync_store.reopen(self.db, item_id, self.clock(), actor)

    def skip(self, item_id: int, actor: str = "", reason: str = "") -> OutboxItem | None:
        """Give up on a failed or waiting row (e.g. entered by hand on the provider)."""
        return sync_store.skip(self.db, item_id, self.clock(), actor, reason)

    def status(self) -> list[ProviderCounts]:
        return sync_store.counts(self.db, self.providers or ())

    def problems(self, limit: int = 500) -> list[OutboxItem]:
        """Failed rows and rows waiting for a retry, for the sync pane."""
        return [item for item in sync_store.items(
            self.db, states=(OutboxState.FAILED, OutboxState.PENDING, OutboxState.IN_FLIGHT),
            limit=limit)]

    def next_due_at(self) -> datetime | None:
        return sync_store.next_due_at(self.db)

    def invoice_state(self, invoice_id: int) -> list[InvoiceSyncState]:
        """Where `invoice_id` stands with each provider: its latest outbox row and what the
        provider holds (remote id, state, link)."""
        latest: dict[str, OutboxItem] = {}
        for item in sync_store.items(self.db, invoice_id=invoice_id):
            latest[item.provider] = item
        links = {link.provider: link for link in sync_store.remote_links(self.db, invoice_id)}
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
        return sync_store.latest_states(self.db, invoice_ids)

    # -- reading invoices ------------------------------------------------------------------------

    def load_invoice(self, invoice_id: int) -> Invoice:
        invoice: Invoice = self.services.invoicing.get(invoice_id)
        return invoice

    def kept_after_returns(self, sale: Invoice) -> Invoice | None:
        """What `sale` holds once every return of it that stands is taken off (a cancelled
        return no longer counts), as a correction of it with the lines still kept, in the
        sale's order; None when everything came back."""
        returned = self.services.invoicing.returned_quantities(sale.number or "")
        kept = {index: line.quantity - returned.get(index, ZERO) for index, line in enumerate(sale.lines)}
        if all(quantity <= 0 for quantity in kept.values()):
            return None
        return replace(kept_part(sale, kept), number=sale.number)

    def load_original(self, correction: Invoice) -> Invoice:
        """The sale a return or reduction corrects."""
        if not correction.original_number:
            raise DomainError("اصلاحیه به فاکتور اصلی اشاره نمی‌کند",
                              "the correction does not reference its original invoice")
        original: Invoice = self.services.invoicing.get_by_number(correction.original_number)
        return original

    # -- status pull -----------------------------------------------------------------------------

    def pull_payments(self, summary: SyncSummary | None = None) -> SyncSummary:
        """Ask each provider whether open invoices with a payment link were paid, and about every
        invoice it was seen to hold as paid while the till has not recorded that payment; record
        each payment on the local invoice (once) and, when the shop enabled it, let the provider
        verify and close the paid invoice. Returns `summary` extended with what was recorded."""
        started = self.clock()
        waiting = sync_store.links_awaiting_payment(
            self.db, (RemoteState.PAID.value, RemoteState.CLOSED.value),
            (RemoteState.CANCELLED.value, RemoteState.REPLACED.value),
            [InvoiceStatus.ISSUED.value, InvoiceStatus.PARTLY_PAID.value],
        )
        if self.providers is not None:
            waiting = [(link, number) for link, number in waiting if link.provider in self.providers]
        recorded: list[str] = []
        errors: list[tuple[str, str]] = []
        by_provider: dict[str, list[tuple[sync_store.RemoteLink, str]]] = {}
        for link, number in waiting:
            by_provider.setdefault(link.provider, []).append((link, number))
        for name, links in by_provider.items():
            try:
                with _ClientPool(self.provider_factory, name, 1, self._buckets) as clients, clients.lease() as client:
                    if not client.supports(Capability.PAYMENT_STATUS):
                        continue
                    for link, number in links:
                        try:
                            if self._pull_one_payment(client, link, number):
                                recorded.append(number)
                        except AuthenticationError:
                            raise
                        except (ProviderError, DomainError) as exc:
                            # one unreadable invoice must not hide the payments of the others
                            log.warning("payment status of %s on %s: %s", number, name, exc)
                            errors.append((name, f"{number}: {exc}"))
            except ProviderUnavailable as exc:
                errors.append((name, str(exc)))
            except ProviderError as exc:
                errors.append((name, _error_text(exc)))
        base = summary or SyncSummary(started_at=started, finished_at=started)
        return SyncSummary(
            started_at=base.started_at, finished_at=self.clock(), outcomes=base.outcomes,
            provider_errors=base.provider_errors + tuple(errors),
            payments_recorded=base.payments_recorded + tuple(recorded),
        )

    def _pull_one_payment(self, client: Provider, link: sync_store.RemoteLink, number: str) -> bool:
        status = client.payment_status(link.remote_id)
        if status.state is RemoteState.PENDING and client.supports(Capability.VERIFY_PAID):
            status = self._verify_paid(client, link) or status
        if status.state in (RemoteState.CANCELLED, RemoteState.REPLACED):
            sync_store.save_link(self.db, link.provider, link.invoice_id, self.clock(),
                                 remote_state=status.state.value)
            return False
        if not status.paid:
            return False
        reference = status.reference or f"{link.provider}:{link.remote_id}"
        before = len(self.services.invoicing.get_by_number(number).payments)
        after = len(record_link_payment(self.services.invoicing, number, status.amount, reference).payments)
        remote_state = RemoteState.CLOSED if status.state is RemoteState.CLOSED else RemoteState.PAID
        if (client.supports(Capability.CLOSE_PAID) and status.state is RemoteState.PAID
                and self.services.settings.get(POD_CLOSE_PAID)):
            try:
                client.close_paid(link.remote_id)
                remote_state = RemoteState.CLOSED
            except (InvalidStateError, ProviderValidationError) as exc:
                log.warning("closing Pod invoice %s refused: %s", link.remote_id, exc)
        sync_store.save_link(self.db, link.provider, link.invoice_id, self.clock(),
                             remote_state=remote_state.value)
        return after > before

    def _verify_paid(self, client: Provider, link: sync_store.RemoteLink) -> PaymentStatus | None:
        """A paid Pod invoice waiting for verification (three-step payment): verify it when the
        shop enabled that, so the money is not returned to the customer after an hour."""
        if not self.services.settings.get(POD_VERIFY_PAID):
            return None
        try:
            return client.verify_paid(link.remote_id)
        except (InvalidStateError, ProviderValidationError) as exc:
            log.warning("verifying Pod invoice %s refused: %s", link.remote_id, exc)
            return None

    # -- catalogue pull --------------------------------------------------------------------------

    def pull_catalogue(self, name: str) -> CatalogueSummary:
        """Products and customers from `name` into the local store, from where the last pull of
        that provider stopped (its cursor is kept in the settings). A record the store refuses
        (a malformed national ID, a duplicate barcode) is counted and reported, not fatal."""
        settings = self.services.settings
        products_key = _cursor_setting(name, "products")
        customers_key = _cursor_setting(name, "customers")
        started = self.clock()
        result = CatalogueSummary(provider=name)
        with _ClientPool(self.provider_factory, name, 1, self._buckets) as clients, clients.lease() as client:
            if client.supports(Capability.PULL_PRODUCTS):
                since = _parse_cursor(settings.get(products_key))
                for product in client.pull_products(since):
                    result = result.merge(self._store_product(product))
                settings.set(products_key, started.isoformat())
            if client.supports(Capability.PULL_CUSTOMERS):
                since = _parse_cursor(settings.get(customers_key))
                for customer in client.pull_customers(since):
                    result = result.merge(self._store_customer(customer))
                settings.set(customers_key, started.isoformat())
        return result

    def _store_product(self, remote: RemoteProduct) -> CatalogueSummary:
        """Create or update one product by code; a product that did not change is not written,
        so a repeated pull costs reads only."""
        from posapp.services.catalog import ProductInput

        catalog = self.services.catalog
        try:
            existing = catalog.find_by_code(remote.code)
            if existing is None:
                if not remote.active:
                    return CatalogueSummary(remote.provider)
                catalog.create(ProductInput(
                    name=remote.name, code=remote.code, price=remote.price or 0,
                    unit=remote.unit or "عدد", barcodes=(remote.barcode,) if remote.barcode else ()))
                return CatalogueSummary(remote.provider, products_added=1)
            barcodes = existing.barcodes
            if remote.barcode and remote.barcode not in barcodes and remote.barcode != existing.code:
                barcodes = (*barcodes, remote.barcode)
            name = remote.name or existing.name
            price = existing.price if remote.price is None else remote.price
            unit = remote.unit or existing.unit
            if (name, price, unit, barcodes) == (existing.name, existing.price, existing.unit,
                                                 existing.barcodes):
                return CatalogueSummary(remote.provider)
            catalog.update(existing.id, ProductInput(
                name=name, code=existing.code, price=price, unit=unit, stock=existing.stock,
                tax_rate_override=existing.tax_rate_override, tax_exempt=existing.tax_exempt,
                barcodes=barcodes))
            return CatalogueSummary(remote.provider, products_updated=1)
        except DomainError as exc:
            return CatalogueSummary(remote.provider, refused=(
                f"{remote.code}: {exc.message_fa} / {exc.message_en}",))

    def _store_customer(self, remote: RemoteCustomer) -> CatalogueSummary:
        """Create a customer, or fill in what the provider knows about one found by national ID
        or mobile; the provider's non-empty fields win, local ones are kept otherwise."""
        from posapp.services.customers import CustomerInput

        customers = self.services.customers
        try:
            existing = None
            for value in (remote.national_id, remote.mobile):
                if value:
                    existing = customers.find_exact(value)
                    if existing is not None:
                        break
            if existing is None and not (remote.national_id or remote.mobile):
                # nothing else identifies them: the same name is the same customer
                existing = next((c for c in customers.search(remote.name, limit=20)
                                 if c.name == " ".join(remote.name.split())), None)
            if existing is None:
                if not remote.active:
                    return CatalogueSummary(remote.provider)
                customers.create(CustomerInput.of(remote))
                return CatalogueSummary(remote.provider, customers_added=1)
            merged = CustomerInput.of(existing.filled_from(remote)).validated()
            current = CustomerInput.of(existing).validated()
            if merged == current:
                return CatalogueSummary(remote.provider)
            customers.update(existing.id, merged)
            return CatalogueSummary(remote.provider, customers_updated=1)
        except DomainError as exc:
            return CatalogueSummary(remote.provider, refused=(
                f"{remote.code or remote.name}: {exc.message_fa} / {exc.message_en}",))
_GATHER_SECONDS = 0.01
"""How long a drain waits for more finished rows before settling a wave."""

_REQUESTS_PER_ROW = 3
"""About how many requests one row costs (a lookup, the write, a reference such as a contact)."""


class _LeaseLost(Exception):
    """Another worker took the row over: nothing more may be sent for it."""


class _LeaseLapsed(Exception):
    """The row's lease ran out before a request (it is still ours): start the row again,
    asking the provider first."""


class _Leases:
    """The leases of the rows one drain holds: what the database says each runs until, renewed
    every third of a lease on a thread of its own (so a row waiting for the rate limit or a
    slow provider stays ours), and the fence each request passes.

    The fence trusts the known expiry while it is more than a third of a lease away: until
    then no other worker can claim the row (a claim needs the lease to have run out), so the
    database need not be asked before every request. Nearer to it, or past it, the database
    decides: the row's attempts number is its fencing token."""

    def __init__(self, engine: SyncEngine) -> None:
        self.engine = engine
        self.margin = timedelta(seconds=engine.policy.lease_seconds / 3)
        self._held: dict[int, tuple[OutboxItem, datetime]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="sync-lease", daemon=True)

    def __enter__(self) -> _Leases:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def hold(self, item: OutboxItem, until: datetime) -> None:
        with self._lock:
            self._held[item.id] = (item, until)

    def release(self, item: OutboxItem) -> None:
        with self._lock:
            self._held.pop(item.id, None)

    def _extend(self, item_id: int, until: datetime) -> None:
        with self._lock:
            if item_id in self._held:
                self._held[item_id] = (self._held[item_id][0], until)

    def fence(self, item: OutboxItem) -> Callable[[str], None]:
        engine = self.engine

        def check(operation: str) -> None:
            now = engine.clock()
            with self._lock:
                known = self._held.get(item.id)
            if known is not None and known[1] - now > self.margin:
                return
            until = engine.lease_end(now)
            held = sync_store.check_lease(engine.db, item, now, until)
            if held is Lease.LOST:
                raise _LeaseLost(item.id)
            self._extend(item.id, until)
            if held is Lease.LAPSED:
                log.warning("outbox row %s: the lease lapsed before %s; asking %s again",
                            item.id, operation, item.provider)
                raise _LeaseLapsed(item.id)
        return check

    def _beat(self) -> None:
        interval = max(0.05, self.engine.policy.lease_seconds / 3)
        while not self._stop.wait(interval):
            with self._lock:
                held = [item for item, _until in self._held.values()]
            now = self.engine.clock()
            until = self.engine.lease_end(now)
            try:
                renewed = sync_store.renew_leases(self.engine.db, held, now, until)
            except Exception:  # the fence before each request still protects the rows
                log.warning("renewing sync leases failed", exc_info=True)
                continue
            for item_id in renewed:
                self._extend(item_id, until)


class _ClientPool:
    """One provider client per lane, created lazily and closed at the end of the drain."""

    def __init__(self, factory: ProviderFactory, name: str, size: int,
                 buckets: Callable[[], Any] | None = None) -> None:
        self.factory = factory
        self.name = name
        self.size = size
        self.buckets = buckets
        self.lanes = size
        """Lanes to run: `size`, or fewer when the provider says it takes fewer at once."""
        self._free: list[Any] = []
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def rate_limit(self) -> RateLimit | None:
        """The rate limit the provider's clients keep to, when they have one."""
        http_client = getattr(self._all[0], "http", None) if self._all else None
        limit = getattr(getattr(http_client, "config", None), "rate_limit", None)
        return limit if isinstance(limit, RateLimit) else None

    def __enter__(self) -> _ClientPool:
        first = self._create()
        self._free.append(first)
        limit = getattr(first, "max_lanes", 0)
        self.lanes = max(1, min(self.size, limit)) if limit else self.size
        return self

    def __exit__(self, *exc_info: object) -> None:
        for client in self._all:
            close = getattr(client, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:
                    log.warning("closing the %s client failed", self.name, exc_info=True)

    def _create(self) -> Any:
        try:
            if self.buckets is None:
                client = self.factory(self.name)
            else:
                with self.buckets():
                    client = self.factory(self.name)
        except (DomainError, ProviderError) as exc:
            raise ProviderUnavailable(f"{exc.message_fa} / {exc.message_en}") from exc
        except (ValueError, LookupError) as exc:
            raise ProviderUnavailable(f"سامانه «{self.name}» پیکربندی نشده است / "
                                      f"provider {self.name!r} is not configured: {exc}") from exc
        with self._lock:
            self._all.append(client)
        return client

    @contextmanager
    def lease(self) -> Iterator[Any]:
        with self._lock:
            client = self._free.pop() if self._free else None
        if client is None:
            client = self._create()
        try:
            yield client
        finally:
            with self._lock:
                self._free.append(client)


class _Delivery:
    """Sends one outbox row through one provider client and settles it in the database."""

    def __init__(self, engine: SyncEngine) -> None:
        self.engine = engine

    def deliver(self, client: Provider, item: OutboxItem) -> Decision:
        handlers = {
            OutboxOperation.ISSUE: self._issue,
            OutboxOperation.CANCEL: self._cancel,
            OutboxOperation.RETURN: self._return,
            OutboxOperation.REDUCE: self._reduce,
            OutboxOperation.PAYMENT_LINK: self._payment_link,
            OutboxOperation.PAYMENT: self._payment,
        }
        try:
            invoice = self.engine.load_invoice(item.invoice_id)
            return handlers[item.operation](client, item, invoice)
        except UnsupportedOperationError as exc:
            return self._failed(item, ItemResult.UNSUPPORTED, _unsupported_text(item, exc))
        except AuthenticationError as exc:
            return self._retry(item, _error_text(exc), provider_unavailable=True)
        except RateLimitedError as exc:
            return self._retry(item, _error_text(exc), at_least=exc.retry_after)
        except (ProviderValidationError, InvalidStateError, RemoteNotFoundError, DuplicateError) as exc:
            return self._failed(item, ItemResult.REJECTED, _error_text(exc))
        except NetworkError as exc:
            # never reached (no connection): the shop is offline, which is no fault of the row
            return self._retry(item, _error_text(exc), unreached=not exc.maybe_committed)
        except ProviderError as exc:
            if exc.retryable or exc.maybe_committed:
                return self._retry(item, _error_text(exc))
            # a refusal in the provider's own words (a code posapp does not know): final
            return self._failed(item, ItemResult.REJECTED, _error_text(exc))
        except DomainError as exc:
            return self._failed(item, ItemResult.REJECTED, f"{exc.message_fa} / {exc.message_en}")
        except (_LeaseLost, _LeaseLapsed):
            raise
        except Exception as exc:
            log.exception("sending outbox row %s failed unexpectedly", item.id)
            return self._retry(item, scrub(f"{type(exc).__name__}: {exc}"))

    # -- operations ------------------------------------------------------------------------------

    def _issue(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        remote = self._create_once(client, item, invoice,
                                   lambda key: client.push_invoice(invoice, key))
        return self._created(client, item, invoice, remote, [_link_update(invoice, remote)])

    def _cancel(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        if invoice.kind is InvoiceKind.RETURN:
            return self._cancel_return(client, item, invoice)
        if not client.supports(Capability.CANCEL_INVOICE):
            return self._failed(item, ItemResult.UNSUPPORTED, _manual_text(
                item, "ابطال", "cancellation"))
        stored = self._remote_of(item.provider, invoice)
        if stored is None:
            return self._missing_original(item, invoice)
        if stored.state in (RemoteState.CANCELLED, RemoteState.REPLACED):
            return self._done(item, [])
        if item.outcome_may_be_unknown and client.supports(Capability.FIND_INVOICE):
            current = client.find_invoice(stored.key)
            if current is not None and current.state in (RemoteState.CANCELLED, RemoteState.REPLACED):
                return self._done(item, [_link_update(invoice, current)])
        if client.supports(Capability.PUSH_RETURN):
            try:
                held = client.received_amount(stored)
            except RemoteNotFoundError:  # an earlier attempt whose answer was lost deleted it
                return self._done(item, [LinkUpdate(invoice.id or item.invoice_id,
                                                    remote_state=RemoteState.CANCELLED.value)])
            if held is not None and held > ZERO:
                return self._cancel_paid_as_return(client, item, invoice, stored, held)
        cancelled = client.cancel_invoice(stored, invoice.cancel_reason or "ابطال در صندوق")
        return self._done(item, [LinkUpdate(invoice.id or item.invoice_id,
                                            remote_state=cancelled.state.value)])

    def _cancel_paid_as_return(self, client: Provider, item: OutboxItem, sale: Invoice,
                               stored: RemoteInvoice, held: Decimal) -> Decision:
        """A sale the provider holds money against (Hesabfa with receipts) is not deleted: a
        delete would take the receipts with it. It is reversed by a sales return of the whole
        sale under the key `NUMBER-C` (the provider's own reference scheme carries it: Hesabfa
        numbers the return itself), exactly once, so the provider keeps the money received and
        owes it back."""
        reversal = make_return(replace(sale, status=InvoiceStatus.PAID),
                               {index: line.quantity for index, line in enumerate(sale.lines)})
        reversal = replace(reversal, notes=f"ابطال {sale.number}: {sale.cancel_reason}".strip(),
                           issued_at=sale.cancelled_at or sale.issued_at)
        key = f"{_key(sale)}-C"
        remote = self._create_once(client, item, reversal,
                                   lambda return_key: client.push_return(reversal, stored, return_key), key=key)
        links = [LinkUpdate(sale.id or item.invoice_id, remote_state=RemoteState.CANCELLED.value)]
        return self._created(client, item, reversal, remote, links, (
            f"سامانه {held} ریال دریافتی برای این فاکتور دارد؛ ابطال به‌صورت برگشت از فروش کامل "
            f"{key} فرستاده شد / the provider holds {held} Rial received on it; the cancellation "
            f"went as a full sales return {key}"))

    def _cancel_return(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        """A return the shop cancelled. Where returns are documents of their own (Hesabfa) the
        return is taken back; where the sale itself was changed (Pod) the sale's Pod copy is
        brought back to what the till now holds."""
        original = self.engine.load_original(invoice)
        if client.supports(Capability.PUSH_RETURN):
            stored = self._remote_of(item.provider, invoice)
            if stored is None:
                return self._done(item, [], "برگشت به این سامانه نرسیده بود / the return never reached it")
            cancelled = client.cancel_return(stored, invoice.cancel_reason or "ابطال برگشت")
            return self._done(item, [LinkUpdate(invoice.id or item.invoice_id,
                                                remote_state=cancelled.state.value)])
        if client.supports(Capability.REISSUE_INVOICE):
            return self._match_copy(client, item, original, invoice, f"{_key(invoice)}-C")
        return self._failed(item, ItemResult.UNSUPPORTED, _manual_text(
            item, "ابطال برگشت از فروش", "cancellation of a return"))

    def _return(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        original = self.engine.load_original(invoice)
        original_remote = self._remote_of(item.provider, original)
        if original_remote is None:
            return self._missing_original(item, original)
        if client.supports(Capability.PUSH_RETURN):
            remote = self._create_once(client, item, invoice,
                                       lambda key: client.push_return(invoice, original_remote, key))
            return self._created(client, item, invoice, remote, [_link_update(invoice, remote)])
        if client.supports(Capability.REISSUE_INVOICE):
            return self._match_copy(client, item, original, invoice, _key(invoice))
        return self._failed(item, ItemResult.UNSUPPORTED, _manual_text(
            item, "برگشت از فروش", "return"))

    def _match_copy(self, client: Provider, item: OutboxItem, sale: Invoice, document: Invoice,
                    new_key: str) -> Decision:
        """A provider without returns (`Capability.REISSUE_INVOICE`, Pod): its copy of `sale` is
        brought to what the till holds now, the sale less every return that stands (a cancelled
        one no longer counts), whichever correction row gets here first; the later ones find
        nothing left to do. Pod's document says how: an unpaid copy is cancelled and a new one
        issued under `new_key` (the old bill number stays with the cancelled copy); a paid one is
        reduced (Pod refuses that on an unpaid invoice); a paid copy cannot grow (a cancelled
        return): Pod wants a separate invoice the customer pays again, which a person must
        arrange. A new copy at another payable than the provider should hold fails like any
        delivery (`_created`)."""
        stored = self._remote_of(item.provider, sale)
        if stored is None:
            return self._missing_original(item, sale)
        copy = client.current_copy(stored, new_key)
        current = copy.remote
        kept = self.engine.kept_after_returns(sale)
        if kept is None:
            if current.state not in (RemoteState.CANCELLED, RemoteState.REPLACED):
                current = client.cancel_invoice(current, f"برگشت کامل با {document.number}")
            return self._copy_settled(client, item, sale, document, replace(current, state=RemoteState.CANCELLED))
        wanted = tuple(line.quantity for line in kept.lines)
        if copy.quantities == wanted and current.state is not RemoteState.CANCELLED:
            return self._copy_settled(client, item, sale, document, current)
        if current.state in (RemoteState.CLOSED, RemoteState.PENDING, RemoteState.CANCELLED,
                             RemoteState.REPLACED):
            return self._failed(item, ItemResult.REJECTED, (
                f"فاکتور پاد این فروش ({current.remote_id}) {current.state} است و تغییر نمی‌کند؛ آن را در "
                f"پنل پاد درست کنید و این مورد را رد کنید / Pod's invoice {current.remote_id} for this "
                f"sale is {current.state} and cannot be changed; correct it in Pod's panel, then skip this"))
        if current.state is RemoteState.OPEN:
            client.cancel_invoice(current, f"اصلاح با {document.number}")
            reissued = self._reissue(client, item, kept, new_key)
            return self._copy_settled(client, item, sale, document, reissued, made=kept)
        if len(wanted) != len(copy.quantities) or any(
                now > before for now, before in zip(wanted, copy.quantities, strict=True)):
            return self._failed(item, ItemResult.REJECTED, (
                f"فاکتور پاد این فروش ({current.remote_id}) پرداخت شده است و پاد افزایش یا حذف ردیف آن را "
                "نمی‌پذیرد؛ به گفتهٔ مستند پاد برای مبلغ افزوده فاکتور جداگانه‌ای صادر و مشتری را برای "
                f"پرداخت راهنمایی کنید، سپس این مورد را رد کنید / Pod's invoice {current.remote_id} for "
                "this sale is paid, and Pod cannot raise it or drop a line; its document says to issue "
                "a separate invoice for the added amount and have the customer pay it, then skip this"))
        # the copy's items are the kept lines in the sale's order: pair them by position
        by_position = replace(kept, lines=tuple(replace(line, origin_line=position)
                                                for position, line in enumerate(kept.lines)))
        return self._copy_settled(client, item, sale, document,
                                  client.reduce_invoice(by_position, current, current.key), made=kept)

    def _copy_settled(self, client: Provider, item: OutboxItem, sale: Invoice, document: Invoice,
                      current: RemoteInvoice, made: Invoice | None = None) -> Decision:
        """The sale's link follows its current remote copy; the correction notes which copy it
        left. A copy made now (`made`: what it should hold) is checked like any other created
        document (`_created`)."""
        updates = [LinkUpdate(sale.id or 0, remote_id=current.remote_id, remote_key=current.key,
                              remote_state=current.state.value)]
        if document.id != sale.id:
            updates.append(LinkUpdate(document.id or item.invoice_id, remote_id=current.remote_id,
                                      remote_state=(RemoteState.CANCELLED.value
                                                    if document.status is InvoiceStatus.CANCELLED
                                                    else RemoteState.REPLACED.value)))
        if made is not None:
            return self._created(client, item, made, current, updates)
        return self._done(item, updates)

    def _reduce(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        original = self.engine.load_original(invoice)
        original_remote = self._remote_of(item.provider, original)
        if original_remote is None:
            return self._missing_original(item, original)
        if not client.supports(Capability.REDUCE_INVOICE):
            return self._failed(item, ItemResult.UNSUPPORTED, _manual_text(
                item, "کاهش مبلغ فاکتور", "reduction"))
        if client.supports(Capability.REISSUE_INVOICE):
            copy = client.current_copy(original_remote, _key(invoice))
            if copy.remote.key == _key(invoice) or copy.remote.replaces == original_remote.remote_id:
                remote = copy.remote  # an earlier attempt went through
            elif copy.remote.state is RemoteState.OPEN:
                # Pod reduces paid invoices only; an unpaid one is cancelled and issued anew
                client.cancel_invoice(copy.remote, f"کاهش با {invoice.number}")
                remote = self._reissue(client, item, invoice, _key(invoice))
            else:
                remote = client.reduce_invoice(invoice, copy.remote, _key(invoice))
        else:
            remote = client.reduce_invoice(invoice, original_remote, _key(invoice))
        updates = [_link_update(invoice, remote),
                   LinkUpdate(original.id or 0, remote_state=RemoteState.REPLACED.value)]
        return self._created(client, item, invoice, remote, updates)

    def _payment_link(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        if not client.supports(Capability.PAYMENT_LINK):
            return self._failed(item, ItemResult.UNSUPPORTED, _manual_text(
                item, "لینک پرداخت", "payment link"))
        can_find = client.supports(Capability.FIND_INVOICE)
        existing = self._remote_of(item.provider, invoice)
        if existing is None and item.outcome_may_be_unknown and can_find:
            existing = client.find_invoice(_key(invoice))
        link = link_for(client, invoice, _key(invoice), existing)
        expected = client.expected_payable(invoice)
        if link.amount != expected:
            return self._failed(item, ItemResult.REJECTED, _mismatch_text(item.provider, link.amount, expected),
                                [LinkUpdate(invoice.id or item.invoice_id, remote_id=link.remote_id,
                                            remote_state=RemoteState.OPEN.value)])
        url = check_payment_link(item.provider, link.url)
        return self._done(item, [LinkUpdate(invoice.id or item.invoice_id, remote_id=link.remote_id,
                                            link=url, remote_state=RemoteState.OPEN.value,
                                            printed_link=True)])

    def _payment(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        """A receipt for one money payment of a sale, after the sale itself (the outbox order
        holds it back until the issue row is settled). Providers without receipts (Pod, PayPing,
        Hesabit) learn payments through their own links: the row is done with nothing sent.

        Exactly once: a provider whose receipts carry no key (Hesabfa) is asked what it holds as
        received before a resend, and before a link payment (the customer may have paid on the
        provider's own page); when that covers every payment up to this one, it is not sent."""
        if not client.supports(Capability.RECORD_PAYMENT):
            return self._nothing_to_send(item, (
                f"سامانه {item.provider} دریافت جداگانه نمی‌گیرد / {item.provider} keeps no "
                "receipts; nothing to send"))
        received = _received_amounts(invoice)
        position = item.payment_position
        if not 0 <= position < len(invoice.payments):
            raise DomainError(f"پرداخت شماره {position + 1} در فاکتور {invoice.number} نیست",
                              f"invoice {invoice.number} has no payment number {position + 1}")
        amount = received[position]
        if amount <= 0:
            return self._nothing_to_send(item, (
                "با کسر پولی که به مشتری پس داده شد این پرداخت چیزی به فاکتور نمی‌افزاید / after the change "
                "given back this payment adds nothing to the invoice; nothing to send"))
        remote = self._remote_of(item.provider, invoice)
        if remote is None:
            return self._failed(item, ItemResult.REJECTED, (
                f"فاکتور {invoice.number} به این سامانه ارسال نشده است؛ دریافت را همان‌جا دستی ثبت "
                f"کنید و این مورد را رد کنید / invoice {invoice.number} was never delivered to this "
                "provider; record the payment there by hand and skip this"))
        if remote.state in (RemoteState.CANCELLED, RemoteState.REPLACED) or self._cancel_queued(item):
            # a receipt would only stand in the way: Hesabfa refuses to delete a paid invoice
            return self._nothing_to_send(item, (
                f"فاکتور {invoice.number} ابطال شده است؛ دریافت آن فرستاده نمی‌شود / invoice "
                f"{invoice.number} is cancelled; its payment is not sent"))
        payment = invoice.payments[position]
        if item.outcome_may_be_unknown or payment.method is PaymentMethod.LINK:
            held = client.received_amount(remote)
            covered = sum(received[:position + 1], ZERO)
            if held is not None and held >= covered:
                return self._done(item, [], (
                    f"این پرداخت پیش‌تر در سامانه ثبت شده بود / the provider already held this "
                    f"payment ({held} Rial received)"))
        client.record_payment(remote, replace(payment, amount=amount),
                              item.idempotency_key)
        return self._done(item, [])

    def _cancel_queued(self, item: OutboxItem) -> bool:
        """Whether the sale's cancellation for this provider is queued (it follows this row)."""
        return any(other.operation is OutboxOperation.CANCEL
                   for other in sync_store.items(self.engine.db, provider=item.provider,
                                                 invoice_id=item.invoice_id))

    # -- exactly once ----------------------------------------------------------------------------

    def _reissue(self, client: Provider, item: OutboxItem, invoice: Invoice, key: str) -> RemoteInvoice:
        """A new copy of a sale under `key`, exactly once (see `_create_once`)."""
        return self._create_once(client, item, invoice, lambda new_key: client.reissue_invoice(invoice, new_key),
                                 key=key)

    def _create_once(self, client: Provider, item: OutboxItem, invoice: Invoice,
                     create: Callable[[str], RemoteInvoice], *, key: str | None = None) -> RemoteInvoice:
        """Create a remote document under `key` (the invoice's own key by default), exactly
        once: when an earlier attempt may have reached the provider, ask first; a duplicate
        answer is settled by the same lookup."""
        key = key or _key(invoice)
        can_find = client.supports(Capability.FIND_INVOICE)
        if item.outcome_may_be_unknown and can_find:
            existing = client.find_invoice(key)
            if existing is not None:
                return client.resume_push(invoice, existing)
        try:
            return create(key)
        except DuplicateError as exc:
            existing = client.find_invoice(key) if can_find else None
            if existing is not None:
                return existing
            if exc.existing_id:
                return RemoteInvoice(provider=item.provider, remote_id=exc.existing_id, key=key,
                                     number=invoice.number or "", payable=invoice.totals.payable,
                                     state=RemoteState.OPEN)
            raise

    def _remote_of(self, provider: str, invoice: Invoice) -> RemoteInvoice | None:
        """The remote copy of a delivered invoice, from what was stored when it was sent."""
        return delivered_copy(self.engine.db, provider, invoice)

    def _missing_original(self, item: OutboxItem, original: Invoice) -> Decision:
        return self._failed(item, ItemResult.REJECTED, (
            f"فاکتور اصلی {original.number} به این سامانه ارسال نشده است؛ اصلاحیه را همان‌جا "
            f"دستی ثبت کنید و این مورد را رد کنید / the original invoice {original.number} was "
            "never delivered to this provider; enter the correction there by hand and skip this"))

    # -- settling (the caller writes the whole batch in one transaction) ---------------------------

    def _created(self, client: Provider, item: OutboxItem, invoice: Invoice, remote: RemoteInvoice,
                 links: list[LinkUpdate], note: str = "") -> Decision:
        """The one amount-mismatch policy, for every provider: a document the provider holds at
        another payable than it should (`Provider.expected_payable`) fails for the cashier, its
        remote copy remembered so a retry finds it instead of creating another."""
        expected = client.expected_payable(invoice)
        if remote.payable != expected:
            return self._failed(item, ItemResult.REJECTED, _mismatch_text(item.provider, remote.payable, expected),
                                links)
        return self._done(item, links, note)

    def _done(self, item: OutboxItem, links: list[LinkUpdate], note: str = "") -> Decision:
        return Decision(ItemResult.DELIVERED, Settlement(item, OutboxState.DONE, note, links=tuple(links)))

    def _nothing_to_send(self, item: OutboxItem, note: str) -> Decision:
        return Decision(ItemResult.SKIPPED, Settlement(item, OutboxState.DONE, note))

    def _failed(self, item: OutboxItem, result: ItemResult, message: str,
                links: list[LinkUpdate] | None = None) -> Decision:
        return Decision(result, Settlement(item, OutboxState.FAILED, message, links=tuple(links or ())))

    def lost(self, item: OutboxItem) -> Decision:
        """Another worker holds the row now; the settlement below is refused by `settle`."""
        return Decision(ItemResult.LOST_LEASE, Settlement(item, OutboxState.PENDING, ""))

    def lapsed(self, item: OutboxItem) -> Decision:
        return self._retry(item, (
            "مهلت این کار دو بار پیش از ارسال گذشت؛ دوباره تلاش می‌شود / the row's lease ran out "
            "twice before sending; it will be tried again"))

    def _retry(self, item: OutboxItem, message: str, at_least: float | None = None, *,
               provider_unavailable: bool = False, unreached: bool = False) -> Decision:
        if not (provider_unavailable or unreached) and item.tries >= self.engine.policy.max_tries:
            return self._failed(item, ItemResult.REJECTED, (
                f"{message} — پس از {item.tries} تلاش رها شد؛ علت را بررسی و دوباره تلاش کنید / "
                f"gave up after {item.tries} tries; check the cause, then retry"))
        delay = self.engine.retry_delay(item.tries)
        if at_least is not None:
            delay = max(delay, timedelta(seconds=at_least))
        return Decision(ItemResult.RETRYING, Settlement(
            item, OutboxState.PENDING, message, retry_at=self.engine.clock() + delay,
            unreached=unreached), provider_unavailable=provider_unavailable)


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


def _key(invoice: Invoice) -> str:
    """The idempotency key every provider gets: the invoice's own number (Pod billNumber,
    Hesabfa/Hesabit/PayPing number; Sepidar derives its GUID from it)."""
    if not invoice.number:
        raise DomainError("فاکتور شماره ندارد", "the invoice has no number")
    return invoice.number


def _received_amounts(invoice: Invoice) -> list[Decimal]:
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


def _link_update(invoice: Invoice, remote: RemoteInvoice) -> LinkUpdate:
    link = remote.link or None
    return LinkUpdate(invoice.id or 0, remote_id=remote.remote_id, link=link,
                      remote_state=remote.state.value)


def _mismatch_text(provider: str, remote: Decimal, expected: Decimal) -> str:
    return (f"سامانه {provider} مبلغ فاکتور را {remote} ریال ثبت کرد و صندوق {expected} ریال؛ فاکتور "
            f"را در پنل سامانه اصلاح کنید و این مورد را رد کنید / {provider} holds {remote} Rial where "
            f"the till has {expected} Rial; correct the invoice in the provider's panel, then skip this item")


def _error_text(exc: ProviderError) -> str:
    """A provider error as stored for the cashier. The HTTP layer already scrubbed the request's
    own secrets; the same scrubber runs again here for anything written next to a secret's name,
    whatever raised the error."""
    text = f"{exc.message_fa} / {exc.message_en}"
    fields_ = getattr(exc, "field_errors", None)
    if fields_:
        text += " (" + "; ".join(f"{name}: {message}" for name, message in fields_.items()) + ")"
    if exc.code is not None:
        text += f" [code {exc.code}]"
    return scrub(text)


def _manual_text(item: OutboxItem, what_fa: str, what_en: str) -> str:
    return (f"سامانه {item.provider} {what_fa} را پشتیبانی نمی‌کند؛ آن را در پنل سامانه دستی ثبت "
            f"و این مورد را رد کنید / {item.provider} does not support a {what_en}; enter it in "
            "the provider's panel by hand, then skip this item")


def _unsupported_text(item: OutboxItem, exc: ProviderError) -> str:
    return f"{_error_text(exc)} — " + _manual_text(item, str(item.operation), str(item.operation))


def build_engine(services: Any, *, policy: SyncPolicy | None = None,
                 clock: Clock = utc_now) -> SyncEngine:
    """The engine as the app and `posapp sync` run it: clients built from the stored provider
    settings and the keyring (`posapp.settings.providers.build_provider`), for the providers
    the shop has enabled. Rows of a provider switched off stay queued until it is on again."""
    from posapp.settings.providers import build_provider, enabled_sync_targets

    settings = services.settings
    return SyncEngine(services, lambda name: build_provider(name, settings), policy=policy,
                      clock=clock, providers=enabled_sync_targets(settings))


def build_worker(services: Any, *, on_summary: Callable[[SyncSummary], None] | None = None,
                 policy: SyncPolicy | None = None) -> SyncWorker:
    """The background worker the GUI starts: the engine above plus the shop's catalogue pull."""
    from posapp.services.moadian_sync import run_if_enabled
    from posapp.services.sync_settings import catalogue_providers

    return SyncWorker(build_engine(services, policy=policy), on_summary=on_summary,
                      pull_catalogue_from=catalogue_providers(services.settings),
                      after_drain=lambda: run_if_enabled(services))


class SyncWorker:
    """Runs the engine on a background thread: drain, poll payments, sleep until the next row
    is due (at most `idle_poll_seconds`), repeat. `wake()` cuts the sleep short (a sale was just
    saved); `stop()` ends the loop and joins the thread. Never blocks the caller's thread.

    `on_summary` is called on the worker thread after each cycle; a GUI adapter re-emits it as a
    signal. All state lives in the database, so a new worker after a restart simply carries on.
    """

    def __init__(self, engine: SyncEngine, *, on_summary: Callable[[SyncSummary], None] | None = None,
                 pull_catalogue_from: Iterable[str] = (),
                 after_drain: Callable[[], object] | None = None) -> None:
        self.engine = engine
        self.after_drain = after_drain
        """A delivery step of its own run after each drain (Moadian's, `posapp.services.moadian_sync`)."""
        self.on_summary = on_summary
        self.pull_catalogue_from = tuple(pull_catalogue_from)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_payment_poll: datetime | None = None
        self._last_catalogue_pull: datetime | None = None
        self.last_summary: SyncSummary | None = None
        self.last_error: str = ""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = 30.0) -> None:
        """Ask the loop to end and wait for it; a request in flight finishes first (bounded by
        the provider's timeout). Safe to call twice."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def run_cycle(self) -> SyncSummary:
        """One drain plus whatever pulls are due; the loop's body, callable directly."""
        engine = self.engine
        summary = engine.run_once()
        if self.after_drain is not None:
            try:
                self.after_drain()
            except Exception:  # its own failure must not stop the providers' payment polls
                log.exception("delivery step after the drain failed")
        now = engine.clock()
        if (self._last_payment_poll is None or now - self._last_payment_poll
                >= timedelta(seconds=engine.policy.payment_poll_seconds)):
            summary = engine.pull_payments(summary)
            self._last_payment_poll = now
        if self.pull_catalogue_from and (
                self._last_catalogue_pull is None or now - self._last_catalogue_pull
                >= timedelta(seconds=engine.policy.catalogue_poll_seconds)):
            for name in self.pull_catalogue_from:
                try:
                    engine.pull_catalogue(name)
                except (ProviderError, ProviderUnavailable) as exc:
                    log.warning("catalogue pull from %s failed: %s", name, exc)
            self._last_catalogue_pull = now
        return summary

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            summary: SyncSummary | None = None
            try:
                summary = self.run_cycle()
                self.last_summary = summary
                self.last_error = ""
                if self.on_summary is not None:
                    self.on_summary(summary)
            except Exception as exc:  # keep the worker alive; the next cycle tries again
                log.exception("sync cycle failed")
                self.last_error = f"{type(exc).__name__}: {exc}"
            self._wake.wait(self._sleep_seconds(summary))

    def _sleep_seconds(self, summary: SyncSummary | None) -> float:
        """Until the next row is due, at most `idle_poll_seconds`. A cycle that sent nothing
        (rows waiting behind a rejected one are due but cannot go) sleeps the full idle time
        rather than spinning; a new sale wakes the worker anyway."""
        idle = self.engine.policy.idle_poll_seconds
        due = self.engine.next_due_at()
        if due is None:
            return idle
        wait = (due - self.engine.clock()).total_seconds()
        if wait <= 0 and (summary is None or not summary.outcomes):
            return idle
        return min(idle, max(0.05, wait))


def format_summary(summary: SyncSummary) -> str:
    """The text `posapp sync --once` prints: one line per provider, then each problem."""
    lines = []
    for provider in summary.by_provider():
        line = (f"{provider.provider}: delivered {provider.delivered}, rejected {provider.rejected}, "
                f"unsupported {provider.unsupported}, retry later {provider.retrying}")
        if provider.skipped:
            line += f", nothing to send {provider.skipped}"
        if provider.error:
            line += f" — unreachable: {provider.error}"
        lines.append(line)
    if not lines:
        lines.append("nothing to send / صفی برای ارسال نیست")
    for outcome in summary.outcomes:
        if outcome.result in (ItemResult.REJECTED, ItemResult.UNSUPPORTED):
            lines.append(f"  #{outcome.item_id} {outcome.provider} "
                         f"{_operation_text(outcome.operation, outcome.idempotency_key)} "
                         f"{outcome.invoice_number}: {outcome.result}: {outcome.message}")
    if summary.payments_recorded:
        lines.append("paid by link: " + ", ".join(summary.payments_recorded))
    return "\n".join(lines)


def format_status(counts: Iterable[ProviderCounts], problems: Iterable[OutboxItem] = ()) -> str:
    """The text `posapp sync status` prints."""
    lines = []
    for c in counts:
        last_ok = c.last_success_at.isoformat(timespec="seconds") if c.last_success_at else "never"
        lines.append(f"{c.provider}: pending {c.pending} (blocked {c.blocked}), in flight {c.in_flight}, "
                     f"failed {c.failed}, done {c.done}, skipped {c.skipped}; last success {last_ok}")
        if c.last_error:
            at = c.last_error_at.isoformat(timespec="seconds") if c.last_error_at else ""
            lines.append(f"  last error {at}: {c.last_error}")
    if not lines:
        lines.append("no provider has anything queued / صف همگام‌سازی خالی است")
    for item in problems:
        if item.state is OutboxState.FAILED:
            lines.append(f"  #{item.id} {item.provider} "
                         f"{_operation_text(item.operation, item.idempotency_key)} "
                         f"{item.invoice_number}: {item.last_error}")
    return "\n".join(lines)


def _operation_text(operation: OutboxOperation, idempotency_key: str) -> str:
    """An outbox operation for the CLI; a payment says which of the invoice's payments it is
    (`payment#2`), since a sale may have several."""
    if operation is OutboxOperation.PAYMENT and idempotency_key:
        return f"{operation}#{payment_position(idempotency_key) + 1}"
    return str(operation)
