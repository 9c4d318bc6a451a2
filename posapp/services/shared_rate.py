"""Provider rate limits shared by every process that syncs from one database.

Hesabfa counts requests per IP, not per process: the app's worker and a `posapp sync --once`
from cron (or two overlapping cron runs) each keeping 45 a minute together send 90. So the sync
engine keeps each provider's token bucket in the `rate_buckets` table: taking a token is one
short write transaction (SQLite's write lock, PostgreSQL's row lock) that refills the bucket by
wall-clock time and spends one token under the same rule as the in-memory bucket
(`posapp.providers.ratelimit.spend`). Processes on different machines share it too when they
share the database (tills behind one shop IP).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from posapp.providers.ratelimit import Bucket, RateLimit, spend
from posapp.storage.engine import Database
from posapp.storage.models import RateBucketRow


class DatabaseBucket(Bucket):
    """A token bucket stored in the database under `key`; safe across threads and processes."""

    def __init__(self, db: Database, key: str, limit: RateLimit, *,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.db = db
        self.key = key
        self.limit = limit
        self._clock = clock
        self._sleep = sleep

    def try_acquire(self) -> float:
        try:
            return self._spend_one()
        except IntegrityError:  # two processes created the row at once: the other one won
            return self._spend_one()

    def _spend_one(self) -> float:
        with self.db.write() as session:
            row = session.get(RateBucketRow, self.key, with_for_update=True)
            now = self._clock()
            if row is None:
                row = RateBucketRow(key=self.key, tokens=float(self.limit.burst), refreshed_at=now)
                session.add(row)
            tokens, wait = spend(self.limit, row.tokens, now - row.refreshed_at)
            row.tokens = tokens
            row.refreshed_at = max(now, row.refreshed_at)
            return wait


def database_buckets(db: Database) -> Callable[[str, RateLimit], Bucket]:
    """A bucket maker for `posapp.providers.ratelimit.buckets_from`: buckets kept in `db`."""
    return lambda key, limit: DatabaseBucket(db, key, limit)
