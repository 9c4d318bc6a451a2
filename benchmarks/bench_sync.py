"""Sync throughput: N queued invoices delivered to the Pod fake with added latency per request.

Prints wall time, requests the fake served and invoices per second for one-at-a-time delivery
(one lane) and for the engine's concurrent lanes, and the speed-up between them.

    .venv/bin/python benchmarks/bench_sync.py [--count 1000] [--latency 0.05] [--lanes 16]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from decimal import Decimal
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posapp.domain.invoice import InvoiceLine, Party
from posapp.services.context import AppServices
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.policy import SyncPolicy
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS, SHOP_NAME
from posapp.settings.store import SettingsStore
from tests.fakes.pod import PodFake
from tests.sync import providers_under_test as put


def queue_sales(services: AppServices, count: int) -> None:
    rng = random.Random(1)
    drafts = []
    for _ in range(count):
        draft = services.invoicing.new_draft(cashier="bench").with_changes(
            buyer=Party("مشتری", mobile="09121234567"),
            lines=(InvoiceLine("کالا", Decimal(rng.randint(1, 3)), Decimal(rng.randint(1, 90) * 1000),
                               tax_rate=Decimal("0.10")),))
        drafts.append(draft)
    services.invoicing.issue_many(drafts)


def serve_fake(connection: Connection, latency: float) -> None:
    """The Pod fake in its own process, as a real provider would be: its CPU is not ours."""
    with PodFake(seed=1) as fake:
        fake.faults.latency.sometimes(1.0)
        fake.faults.latency_seconds = latency
        connection.send(put.fake_spec("pod", fake))
        while (command := connection.recv()) != "stop":
            if command == "count":
                connection.send(fake.count())
            elif command == "clear":
                fake.clear_log()
                connection.send(True)


def deliver(count: int, latency: float, lanes: int) -> tuple[float, int, int]:
    ours, theirs = Pipe()
    server = Process(target=serve_fake, args=(theirs, latency), daemon=True)
    server.start()
    try:
        spec = ours.recv()
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            settings = SettingsStore(root / "settings.json")
            settings.set(SHOP_NAME, "فروشگاه")
            settings.set(ENABLED_SYNC_PROVIDERS, ["pod"])
            with AppServices.open(f"sqlite:///{root / 'bench.sqlite3'}", settings=settings) as services:
                queue_sales(services, count)
                engine = SyncEngine(services, lambda name: put.client_from_spec(spec, timeout=30.0),
                                    policy=SyncPolicy(lanes=lanes, batch_size=max(8, lanes * 2)))
                ours.send("clear")
                ours.recv()
                started = time.perf_counter()
                summary = engine.run_once()
                elapsed = time.perf_counter() - started
                ours.send("count")
                return elapsed, ours.recv(), summary.delivered
    finally:
        ours.send("stop")
        server.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every request")
    parser.add_argument("--lanes", type=int, default=16, help="concurrent requests for the fast run")
    parser.add_argument("--serial-count", type=int, default=None,
                        help="invoices for the one-at-a-time run (default: --count)")
    args = parser.parse_args()
    serial_count = args.serial_count or args.count
    print(f"Pod fake, {args.latency * 1000:.0f} ms added per request")
    results = {}
    for label, count, lanes in (("one at a time", serial_count, 1),
                                (f"{args.lanes} lanes", args.count, args.lanes)):
        elapsed, requests, delivered = deliver(count, args.latency, lanes)
        rate = delivered / elapsed
        results[lanes] = rate
        print(f"{label:>14}: {delivered} invoices in {elapsed:6.2f} s, {requests} requests "
              f"({requests / max(1, delivered):.2f} per invoice), {rate:7.1f} invoices/s")
    print(f"speed-up of {args.lanes} lanes over one at a time: {results[args.lanes] / results[1]:.1f}x")


if __name__ == "__main__":
    main()
