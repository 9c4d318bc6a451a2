"""The leases of the rows one drain holds: a heartbeat renews them, and a fence checks them
before every request to a provider (the row's attempts number is its fencing token)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from posapp.domain.sync import OutboxItem
from posapp.services.sync.policy import Clock, SyncPolicy
from posapp.storage import outbox
from posapp.storage.engine import Database
from posapp.storage.outbox import Lease

log = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker took the row over: nothing more may be sent for it."""


class LeaseLapsed(Exception):
    """The row's lease ran out before a request (it is still ours): start the row again,
    asking the provider first."""


class Leases:
    """The leases of the rows one drain holds: what the database says each runs until, renewed
    every third of a lease on a thread of its own (so a row waiting for the rate limit or a
    slow provider stays ours), and the fence each request passes.

    The fence trusts the known expiry while it is more than a third of a lease away: until
    then no other worker can claim the row (a claim needs the lease to have run out), so the
    database need not be asked before every request. Nearer to it, or past it, the database
    decides: the row's attempts number is its fencing token."""

    def __init__(self, db: Database, clock: Clock, policy: SyncPolicy) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy
        self.margin = timedelta(seconds=policy.lease_seconds / 3)
        self._held: dict[int, tuple[OutboxItem, datetime]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="sync-lease", daemon=True)

    def __enter__(self) -> Leases:
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
        def check(operation: str) -> None:
            now = self.clock()
            with self._lock:
                known = self._held.get(item.id)
            if known is not None and known[1] - now > self.margin:
                return
            until = self.policy.lease_end(now)
            held = outbox.check_lease(self.db, item, now, until)
            if held is Lease.LOST:
                raise LeaseLost(item.id)
            self._extend(item.id, until)
            if held is Lease.LAPSED:
                log.warning("outbox row %s: the lease lapsed before %s; asking %s again",
                            item.id, operation, item.provider)
                raise LeaseLapsed(item.id)
        return check

    def _beat(self) -> None:
        interval = max(0.05, self.policy.lease_seconds / 3)
        while not self._stop.wait(interval):
            with self._lock:
                held = [item for item, _until in self._held.values()]
            now = self.clock()
            until = self.policy.lease_end(now)
            try:
                renewed = outbox.renew_leases(self.db, held, now, until)
            except Exception:  # the fence before each request still protects the rows
                log.warning("renewing sync leases failed", exc_info=True)
                continue
            for item_id in renewed:
                self._extend(item_id, until)

