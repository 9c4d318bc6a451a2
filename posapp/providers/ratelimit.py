"""Client-side rate limiting: a thread-safe token bucket shared by every client of one provider.

Providers count requests per account or per IP, not per client object, so buckets are shared
process-wide through `shared_bucket(key, limit)`. A `RateLimit` of N requests per window is
turned into a bucket whose burst plus refill can never exceed N in any window of that length:
with burst B the refill rate is (N - B) / window, so B + rate × window = N.

Several processes (the app's worker and `posapp sync --once` from cron) must share one budget
too: a caller that can keep a bucket somewhere all of them see (the sync engine keeps it in the
database) hands `shared_bucket` its own bucket maker through `buckets_from(maker)` while it
builds its clients; `spend` is the one refill rule every kind of bucket applies.
"""

from __future__ import annotations

import contextvars
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def spend(limit: RateLimit, tokens: float, elapsed: float) -> tuple[float, float]:
    """Refill `tokens` for `elapsed` seconds and take one: (tokens left, 0.0), or, when none is
    free yet, (tokens after the refill, seconds until one is)."""
    tokens = min(float(limit.burst), tokens + max(0.0, elapsed) * limit.refill_per_second)
    if tokens >= 1.0 - _EPSILON:  # float refill may fall a hair short of 1
        return max(0.0, tokens - 1.0), 0.0
    return tokens, (1.0 - tokens) / limit.refill_per_second


class Bucket(ABC):
    """Something that hands out one token per request under a `RateLimit`."""

    limit: RateLimit
    _sleep: Callable[[float], None]

    @abstractmethod
    def try_acquire(self) -> float:
        """Take a token and return 0, or return how many seconds until one is free."""

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


class TokenBucket(Bucket):
    """A bucket in this process's memory. Thread-safe; `clock` and `sleep` are injectable so
    tests need not wait in real time."""

    def __init__(self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(limit.burst)
        self._updated = clock()

    def try_acquire(self) -> float:
        with self._lock:
            now = self._clock()
            self._tokens, wait = spend(self.limit, self._tokens, now - self._updated)
            self._updated = now
            return wait


BucketMaker = Callable[[str, RateLimit], Bucket]
"""Makes the bucket for a key (provider and account/host) under a limit."""

_maker: contextvars.ContextVar[BucketMaker | None] = contextvars.ContextVar("bucket_maker", default=None)
_buckets: dict[tuple[str, RateLimit], Bucket] = {}
_buckets_lock = threading.Lock()


@contextmanager
def buckets_from(maker: BucketMaker) -> Iterator[None]:
    """Clients built inside this block (on this thread) take their buckets from `maker`, e.g. a
    bucket every process on the same database shares."""
    token = _maker.set(maker)
    try:
        yield
    finally:
        _maker.reset(token)


def shared_bucket(key: str, limit: RateLimit) -> Bucket:
    """The bucket for `key` under `limit`: from the maker of an enclosing `buckets_from`, or
    else the process-wide one in memory."""
    maker = _maker.get()
    if maker is not None:
        return maker(key, limit)
    with _buckets_lock:
        bucket = _buckets.get((key, limit))
        if bucket is None:
            bucket = _buckets[(key, limit)] = TokenBucket(limit)
        return bucket
