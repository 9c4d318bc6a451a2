"""Fixtures for the sync tests: a real database, the real provider clients and their fakes.

`Shop` opens AppServices on a SQLite file with chosen providers enabled, sells simple invoices
through the same InvoicingService path as the counter, and builds provider clients pointing at
the fake servers, so every test exercises the real outbox, engine, HTTP layer and fake.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from posapp.domain.invoice import Invoice, InvoiceLine, Party
from posapp.services.context import AppServices
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.policy import SyncPolicy
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS, SHOP_NAME
from posapp.settings.store import SettingsStore
from tests.sync import providers_under_test as put


class ManualClock:
    """The real time plus an offset the test moves forward: the engine's backoff and leases
    are measured against it, and rows the services just wrote (at the real time) are due."""

    def __init__(self) -> None:
        self.offset = timedelta(seconds=1)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@dataclass
class Shop:
    """One till's database plus the fakes of the providers it syncs with."""

    root: Path
    providers: tuple[str, ...]
    fakes: dict[str, Any]
    clock: ManualClock = field(default_factory=ManualClock)
    services: AppServices | None = None

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.root / 'posapp.sqlite3'}"

    def open(self) -> AppServices:
        settings = SettingsStore(self.root / "settings.json")
        settings.set(SHOP_NAME, "فروشگاه آزمایشی")
        settings.set(ENABLED_SYNC_PROVIDERS, list(self.providers))
        self.services = AppServices.open(self.database_url, settings=settings)
        return self.services

    def sell(self, count: int = 1, *, lines: int = 2, seed: int = 0,
             product_codes: tuple[str, ...] = ()) -> list[Invoice]:
        """Issue `count` sales through the counter's path (outbox rows in the same commit).
        Lines carry `product_codes` in turn when given (Sepidar needs its own item codes)."""
        assert self.services is not None
        rng = random.Random(seed)
        issued = []
        for _ in range(count):
            draft = self.services.invoicing.new_draft(cashier="test")
            draft = draft.with_changes(
                buyer=Party("مشتری", mobile="09121234567"),
                lines=tuple(
                    InvoiceLine(f"کالای {i + 1}", Decimal(rng.randint(1, 3)),
                                Decimal(rng.randint(1, 90) * 10_000), tax_rate=Decimal("0.10"),
                                product_code=product_codes[i % len(product_codes)] if product_codes else "")
                    for i in range(lines)))
            issued.append(self.services.invoicing.issue(draft))
        return issued

    def factory(self, *, transport_wrapper: Callable[[Any], Any] | None = None
                ) -> Callable[[str], Any]:
        def build(name: str) -> Any:
            return put.client_for(name, self.fakes[name])
        return build

    def engine(self, policy: SyncPolicy | None = None, seed: int = 1) -> SyncEngine:
        assert self.services is not None
        return SyncEngine(self.services, self.factory(), clock=self.clock,
                          rng=random.Random(seed), policy=policy or FAST_POLICY)


FAST_POLICY = SyncPolicy(lanes=4, batch_size=16, lease_seconds=60, backoff_base_seconds=1,
                         backoff_cap_seconds=30)


@pytest.fixture
def make_shop(tmp_path: Path) -> Iterator[Callable[..., Shop]]:
    with ExitStack() as stack:
        shops: list[Shop] = []

        def make(*providers: str, seed: int = 0) -> Shop:
            fakes = {name: stack.enter_context(put.start_fake(name, seed=seed)) for name in providers}
            shop = Shop(tmp_path / f"shop{len(shops)}", tuple(providers), fakes)
            shop.root.mkdir()
            shop.open()
            stack.callback(lambda: shop.services and shop.services.close())
            shops.append(shop)
            return shop

        yield make
