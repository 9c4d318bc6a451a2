"""A subprocess the crash tests kill with SIGKILL at random moments.

    python -m tests.sync.crash_driver sync DATABASE_URL SPEC_JSON LEASE_SECONDS
        drains the outbox to the fake described by SPEC_JSON, over and over, until killed;
    python -m tests.sync.crash_driver sell DATABASE_URL SETTINGS_PATH
        issues sales one after another through InvoicingService.issue and prints each number
        only once `issue` has returned (the moment the cashier sees it confirmed).

Both print "ready" once imports are done, so the test can aim its kill at the work itself.
"""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal
from pathlib import Path

from posapp.domain.invoice import InvoiceLine, Party
from posapp.services.context import AppServices
from posapp.services.sync import SyncEngine, SyncPolicy
from posapp.settings.store import SettingsStore
from tests.sync.providers_under_test import client_from_spec


def run_sync(database_url: str, spec: dict[str, object], lease_seconds: float) -> None:
    services = AppServices.open(database_url)
    engine = SyncEngine(services, lambda name: client_from_spec(spec),
                        policy=SyncPolicy(lanes=4, batch_size=8, lease_seconds=lease_seconds,
                                          backoff_base_seconds=0.05, backoff_cap_seconds=0.2))
    print("ready", flush=True)
    while True:
        engine.run_once()


def run_sell(database_url: str, settings_path: str) -> None:
    services = AppServices.open(database_url, settings=SettingsStore(Path(settings_path)))
    rng = random.Random()  # noqa: S311 - test data
    print("ready", flush=True)
    while True:
        draft = services.invoicing.new_draft(cashier="crash").with_changes(
            buyer=Party("مشتری", mobile="09121234567"),
            lines=tuple(InvoiceLine(f"کالای {i}", Decimal(rng.randint(1, 3)),
                                    Decimal(rng.randint(1, 50) * 1000), tax_rate=Decimal("0.10"))
                        for i in range(rng.randint(1, 4))))
        issued = services.invoicing.issue(draft)
        print(f"{issued.number} {issued.totals.payable} {len(issued.lines)}", flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "sync":
        run_sync(sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4]))
    elif mode == "sell":
        run_sell(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
