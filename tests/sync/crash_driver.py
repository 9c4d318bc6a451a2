"""The process the crash tests kill with SIGKILL at random moments, forked from a warm parent.

    python -m tests.sync.crash_driver sync DATABASE_URL SPEC_JSON LEASE_SECONDS
    python -m tests.sync.crash_driver sell DATABASE_URL SETTINGS_PATH

The parent imports everything once, prints "ready" and then obeys stdin: `spawn` forks a child
(printing "pid N"), `reap N` waits for child N after the test killed it (printing "reaped N"),
`quit` ends. Forking keeps 200 kills affordable; each child is still a separate process that
opens its own database connection and dies by SIGKILL with whatever it had in flight.

A sync child drains the outbox to the fake described by SPEC_JSON, over and over. A sell child
issues sales through InvoicingService.issue and prints "confirmed NUMBER PAYABLE LINES" only
after `issue` returned, the moment the cashier would see the sale confirmed. Both print
"started N" once their database is open.
"""

from __future__ import annotations

import json
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

from posapp.domain.invoice import InvoiceLine, Party
from posapp.services.context import AppServices
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.policy import SyncPolicy
from posapp.settings.store import SettingsStore
from tests.sync.providers_under_test import client_from_spec


def say(message: str) -> None:
    """One line to the test, in a single write: parent and children share the pipe, and a child
    killed between a line and its newline (print's unbuffered writes are two) would glue the
    parent's next line onto its unfinished one, and the test would wait for it forever."""
    os.write(sys.stdout.fileno(), f"{message}\n".encode())


def run_sync(database_url: str, spec: dict[str, object], lease_seconds: float) -> None:
    services = AppServices.open(database_url)
    engine = SyncEngine(services, lambda name: client_from_spec(spec),
                        policy=SyncPolicy(lanes=4, batch_size=8, lease_seconds=lease_seconds,
                                          backoff_base_seconds=0.05, backoff_cap_seconds=0.2))
    say(f"started {os.getpid()}")
    while True:
        engine.run_once()


def run_sell(database_url: str, settings_path: str) -> None:
    services = AppServices.open(database_url, settings=SettingsStore(Path(settings_path)))
    rng = random.Random()
    say(f"started {os.getpid()}")
    while True:
        draft = services.invoicing.new_draft(cashier="crash").with_changes(
            buyer=Party("مشتری", mobile="09121234567"),
            lines=tuple(InvoiceLine(f"کالای {i}", Decimal(rng.randint(1, 3)),
                                    Decimal(rng.randint(1, 50) * 1000), tax_rate=Decimal("0.10"))
                        for i in range(rng.randint(1, 4))))
        issued = services.invoicing.issue(draft)
        say(f"confirmed {issued.number} {issued.totals.payable} {len(issued.lines)}")


def child(mode: str, args: list[str]) -> None:
    if mode == "sync":
        run_sync(args[0], json.loads(args[1]), float(args[2]))
    else:
        run_sell(args[0], args[1])


def main() -> None:
    mode, args = sys.argv[1], sys.argv[2:]
    if mode not in ("sync", "sell"):
        raise SystemExit(f"unknown mode {mode!r}")
    if mode == "sync":
        client_from_spec(json.loads(args[1])).close()  # lazy imports happen once, before forking
    say("ready")
    for line in sys.stdin:
        command = line.split()
        if command[0] == "spawn":
            pid = os.fork()
            if pid == 0:
                try:
                    child(mode, args)
                except BaseException as exc:
                    say(f"failed {os.getpid()} {exc!r}")
                finally:
                    os._exit(1)
            say(f"pid {pid}")
        elif command[0] == "reap":
            pid = int(command[1])
            os.waitpid(pid, 0)
            say(f"reaped {pid}")
        elif command[0] == "quit":
            return


if __name__ == "__main__":
    main()
