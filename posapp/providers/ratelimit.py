"""Client-side rate limiting: a thread-safe token bucket shared by every client of one provider.

Providers count requests per account or per IP, not per client object, so buckets are shared
process-wide through `shared_bucket(key, limit)`. A `RateLimit` of N requests per window is
turned into a bucket whose burst plus refill can never exceed N in any window of that length:
with burst B the refill rate is (N - B) / window, so B + rate × window = N.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    """At most `requests` per `per_seconds`, of which up to `burst` may go at once."""

    requests: int
    per_seconds: float
    burst: int = 1

    def __post_init__(self) -> None:
        if self.requests < 1 or self.per_seconds <= 0:
            raise ValueError("a rate limit needs at least one request per positive window")
        highest_burst = max(1, self.requests - 1)
        if not 1 <= self.burst <= highest_burst:
            raise ValueError(f"burst must be between 1 and {highest_burst}")

    @property
    def refill_per_second(self) -> float:
        """Tokens per second, so that burst plus refill fit the window (one request per window
        when the limit is a single request)."""
        return max(1, self.requests - self.burst) / self.per_seconds


_EPSILON = 1e-9


class TokenBucket:
    """Blocks callers until a token is free. Thread-safe; `clock` and `sleep` are injectable
    so tests need not wait in real time."""

    def __init__(self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(limit.burst)
        self._updated = clock()

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.limit.burst), self._tokens + elapsed * self.limit.refill_per_second)
        self._updated = now

    def try_acquire(self) -> float:
        """Take a token and return 0, or return how many seconds until one is free."""
        with self._lock:
            self._refill(self._clock())
            if self._tokens >= 1.0 - _EPSILON:  # float refill may fall a hair short of 1
                self._tokens = max(0.0, self._tokens - 1.0)
                return 0.0
            return (1.0 - self._tokens) / self.limit.refill_per_second

    def acquire(self, timeout: float | None = None) -> bool:
        """Wait for a token; False when `timeout` seconds would not be enough."""
        waited = 0.0
        while True:
            wait = self.try_acquire()
            if wait == 0.0:
                return True
            if timeout is not None and waited + wait > timeout:
                return False
            self._sleep(wait)
            waited += wait


_buckets: dict[tuple[str, RateLimit], TokenBucket] = {}
_buckets_lock = threading.Lock()


def shared_bucket(key: str, limit: RateLimit) -> TokenBucket:
    """The process-wide bucket for `key` (provider and account/host) under `limit`."""
    with _buckets_lock:
        bucket = _buckets.get((key, limit))
        if bucket is None:
            bucket = _buckets[(key, limit)] = TokenBucket(limit)
        return bucket
