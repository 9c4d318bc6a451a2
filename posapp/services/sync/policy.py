"""How hard and how fast the sync engine pushes, and the clock it reads."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

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

    def lease_end(self, now: datetime) -> datetime:
        """When a lease taken or renewed at `now` runs out."""
        return now + timedelta(seconds=self.lease_seconds)

    def retry_delay(self, attempt: int, rng: random.Random) -> timedelta:
        """Exponential backoff with jitter, capped: half the step fixed, half random, so retries
        spread out without ever firing at once."""
        step = min(self.backoff_cap_seconds, self.backoff_base_seconds * 2 ** max(0, attempt - 1))
        return timedelta(seconds=step / 2 + rng.uniform(0, step / 2))

