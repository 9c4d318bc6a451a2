"""Rate-limit buckets kept in the database: two processes (two buckets on one database) share
one provider budget, refilled by wall-clock time."""

from __future__ import annotations

from posapp.providers.ratelimit import RateLimit, TokenBucket, buckets_from, shared_bucket
from posapp.services.shared_rate import DatabaseBucket, database_buckets

LIMIT = RateLimit(requests=10, per_seconds=60, burst=3)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_two_buckets_on_one_database_share_the_budget(make_shop):
    db = make_shop().services.database
    clock = Clock()
    first, second = (DatabaseBucket(db, "hesabfa@api", LIMIT, clock=clock) for _ in range(2))
    assert [first.try_acquire(), second.try_acquire(), first.try_acquire()] == [0.0, 0.0, 0.0]
    wait = second.try_acquire()  # the burst is spent by both together
    assert wait == 1 / LIMIT.refill_per_second
    clock.now += wait
    assert second.try_acquire() == 0.0
    assert first.try_acquire() > 0
    other_key = DatabaseBucket(db, "hesabfa@other", LIMIT, clock=clock)
    assert other_key.try_acquire() == 0.0


def test_clients_built_under_buckets_from_take_the_database_bucket(make_shop):
    db = make_shop().services.database
    assert isinstance(shared_bucket("pod@host", LIMIT), TokenBucket)
    with buckets_from(database_buckets(db)):
        bucket = shared_bucket("pod@host", LIMIT)
    assert isinstance(bucket, DatabaseBucket)
    assert isinstance(shared_bucket("pod@host", LIMIT), TokenBucket)
