"""Print search latencies measured in the service layer after warm-up:

- product name-prefix search over 300,000 products: p50/p95 (target p95 < 5 ms)
- barcode lookup: p95 (target < 1 ms)
- customer search over 100,000 customers: p95 (target < 5 ms)
- with --database pointing at a database holding invoices: history paging and counting

    .venv/bin/python benchmarks/bench_storage.py [--products N --customers M] [--database PATH]

Builds the catalogue and customers with the demo-data generator (no invoices) in a temporary
SQLite file unless --database points at an existing one. Prints, never asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from posapp.services.context import AppServices
from posapp.services.demo_data import DemoDataGenerator
from posapp.services.invoicing import HistoryFilter
from posapp.settings.store import SettingsStore
from posapp.storage.models import BarcodeRow, CustomerRow, ProductRow

ROUNDS = 400


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(label: str, queries: list[str], call: Callable[[str], object], target: str) -> None:
    """Wall-clock percentiles, plus CPU-time ones: on a shared machine the wall clock also counts
    time spent waiting for a core, the CPU time only the work itself."""
    for query in queries[:50]:  # warm-up: page cache and statement cache
        call(query)
    wall, cpu = [], []
    for query in queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        call(query)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    print(f"{label:<38} p50 {statistics.median(wall):6.2f} ms  p95 {percentile(wall, 0.95):6.2f} ms  "
          f"(CPU p50 {statistics.median(cpu):5.2f}  p95 {percentile(cpu, 0.95):5.2f} ms)  "
          f"{target}, {len(wall)} queries")


def measure_history(services: AppServices, invoices: int, rnd: random.Random) -> None:
    """History pages of 100 rows at random offsets, with and without filters, and the count."""
    last_year = date.today() - timedelta(days=365)
    filters = [
        HistoryFilter(),
        HistoryFilter(date_from=last_year + timedelta(days=90), date_to=last_year + timedelta(days=120)),
        HistoryFilter(min_amount=Decimal(5_000_000)),
        HistoryFilter(number_prefix="1A-0001"),
    ]
    requests = [(rnd.choice(filters), rnd.randrange(0, 50) * 100) for _ in range(200)]
    print(f"history over {invoices:,} invoices:")
    measure("  history page (100 rows)", [str(i) for i in range(len(requests))],
            lambda i: services.invoicing.history(requests[int(i)][0], requests[int(i)][1], 100), "no target set")
    measure("  history_count", [str(i) for i in range(len(requests))],
            lambda i: services.invoicing.history_count(requests[int(i)][0]), "no target set")


def main() -> int:
    parser = argparse.ArgumentParser(description="service-layer search latencies")
    parser.add_argument("--products", type=int, default=300_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database", type=Path, help="an existing posapp SQLite database to measure")
    args = parser.parse_args()
    rnd = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="posapp-bench-") as folder:
        path = args.database or Path(folder) / "bench.sqlite3"
        settings = SettingsStore(Path(folder) / "settings.json")
        with AppServices.open(f"sqlite:///{path}", settings=settings) as services:
            if args.database is None:
                started = time.perf_counter()
                generator = DemoDataGenerator(services, seed=3)
                generator.add_products(args.products)
                generator.add_customers(args.customers)
                print(f"built {args.products:,} products and {args.customers:,} customers "
                      f"in {time.perf_counter() - started:.1f} s")
            with services.database.read() as session:
                product_count = session.execute(select(func.count()).select_from(ProductRow)).scalar_one()
                customer_count = session.execute(select(func.count()).select_from(CustomerRow)).scalar_one()
                names = session.execute(select(ProductRow.name).order_by(func.random()).limit(ROUNDS)).scalars().all()
                barcodes = session.execute(
                    select(BarcodeRow.barcode).order_by(func.random()).limit(ROUNDS)).scalars().all()
                people = session.execute(
                    select(CustomerRow.name, CustomerRow.mobile, CustomerRow.national_id)
                    .order_by(func.random()).limit(ROUNDS)).all()
            print(f"database: {product_count:,} products, {customer_count:,} customers; "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

            def prefix_query(name: str) -> str:
                words = name.split()
                shape = rnd.random()
                if shape < 0.4:
                    return words[0][: rnd.randint(1, len(words[0]))]
                if shape < 0.8:
                    return " ".join(w[: rnd.randint(2, max(2, len(w)))] for w in words[:2])
                return " ".join(words[:3])

            product_queries = [prefix_query(name) for name in names]
            customer_queries = [
                rnd.choice((name.split()[0][:3], name, mobile[:6], national_id[:5], mobile))
                for name, mobile, national_id in people
            ]
            measure("product search (catalog.search)", product_queries, services.catalog.search, "target p95 < 5 ms")
            measure("barcode lookup (catalog.find_by_code)", list(barcodes), services.catalog.find_by_code, "target p95 < 1 ms")
            measure("customer search (customers.search)", customer_queries, services.customers.search, "target p95 < 5 ms")
            invoices = services.invoicing.history_count(HistoryFilter())
            if invoices:
                measure_history(services, invoices, rnd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
