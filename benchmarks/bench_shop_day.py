"""Print the shop-day figures: the Z report of a 2,000-sale shift, the day report over a big
demo database, and `audit verify` throughput.

    .venv/bin/python benchmarks/bench_shop_day.py [--sales 2000] [--database FULL.sqlite3] [--days 30]

- Z report: a fresh SQLite file gets demo products, an owner and one open shift holding
  `--sales` sales (paid by cash, card or link, with returns and a cancellation); the
  close (which builds and stores the Z) and an X report of the same shift are timed, and so is
  reading the stored Z back (target < 200 ms).
- Day report: with --database (a `posapp demo-data` database, which has one shift a day), the
  day report of `--days` random days that have shifts (target < 200 ms each).
- audit verify: over the --database journal (or the fresh one): records per second.

Wall time and CPU time are both printed (a shared machine's wall clock includes waiting for a
core). Prints, never asserts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from posapp.domain.invoice import Payment, PaymentMethod
from posapp.domain.jalali import IRAN_TZ
from posapp.services.context import AppServices
from posapp.services.demo_data import DemoDataGenerator
from posapp.settings.store import SettingsStore
from posapp.storage.models import ShiftRow


def timed(call: Callable[[], object]) -> tuple[float, float, object]:
    started, started_cpu = time.perf_counter(), time.process_time()
    result = call()
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000, result


def z_report_of_a_big_shift(sales: int, folder: Path) -> None:
    services = AppServices.open(f"sqlite:///{folder / 'shift.sqlite3'}", settings=SettingsStore(None))
    generator = DemoDataGenerator(services, seed=5)
    generator.run(500, 50, 0)
    catalogue = generator.existing_products()
    owner = services.access.add_user("مالک", "owner", "1357")
    services.shifts.open(Decimal(5_000_000), owner.actor)
    invoicing = services.invoicing
    rnd = random.Random(9)
    methods = (PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.CARD, PaymentMethod.LINK)
    drafts = []
    for _ in range(sales):
        products = rnd.sample(catalogue, k=rnd.randint(1, 5))
        lines = tuple(invoicing.line_for_product(services.catalog.get(p.id), Decimal(rnd.randint(1, 3)))
                      for p in products)
        draft = invoicing.new_draft(owner.name, owner.id).with_changes(lines=lines)
        drafts.append(draft.with_changes(payments=(Payment(rnd.choice(methods), draft.totals.payable),)))
    issued = invoicing.issue_many(drafts)
    for sale in issued[:20]:
        invoicing.create_return(sale.number or "", {0: Decimal(1)}, actor=owner.actor)
    invoicing.cancel(issued[-1].number or "", "bench", owner.actor)
    x_wall, x_cpu, _ = timed(services.shifts.x_report)
    close_wall, close_cpu, z = timed(lambda: services.shifts.close(Decimal(0), owner.actor))
    read_wall, read_cpu, again = timed(lambda: services.shifts.z_report(1))
    assert again == z
    print(f"X report, shift of {sales:,} sales             {x_wall:7.1f} ms (CPU {x_cpu:6.1f} ms)  target < 200 ms")
    print(f"close + Z report, shift of {sales:,} sales     {close_wall:7.1f} ms (CPU {close_cpu:6.1f} ms)  target < 200 ms")
    print(f"stored Z report read back                   {read_wall:7.1f} ms (CPU {read_cpu:6.1f} ms)")
    verify(services)
    services.close()


def day_reports(services: AppServices, days: int) -> None:
    with services.database.read() as session:
        opened = session.execute(select(ShiftRow.opened_at)).scalars().all()
    dates = sorted({moment.astimezone(IRAN_TZ).date() for moment in opened})
    if not dates:
        print("day report: the database has no shifts (make it with the new `posapp demo-data`)")
        return
    picked = random.Random(3).sample(dates, k=min(days, len(dates)))
    services.shifts.day_report(picked[0])  # warm-up
    walls, cpus, sales = [], [], []
    for day in picked:
        wall, cpu, report = timed(lambda day=day: services.shifts.day_report(day))
        walls.append(wall)
        cpus.append(cpu)
        sales.append(report.sales_count)  # type: ignore[attr-defined]
    walls.sort()
    print(f"day report over {len(dates)} days of shifts   p50 {statistics.median(walls):6.1f} ms  "
          f"max {walls[-1]:6.1f} ms (CPU p50 {statistics.median(cpus):5.1f} ms)  target < 200 ms, "
          f"{len(picked)} days of about {statistics.median(sales):,.0f} sales")


def verify(services: AppServices) -> None:
    wall, cpu, result = timed(services.audit.verify)
    records = result.records  # type: ignore[attr-defined]
    state = "intact" if result.ok else f"BROKEN: {result.problem}"  # type: ignore[attr-defined]
    print(f"audit verify, {records:,} journal records       {wall / 1000:7.2f} s (CPU {cpu / 1000:6.2f} s)  "
          f"{records / (wall / 1000):,.0f} records/s wall, {records / (cpu / 1000):,.0f}/s CPU; {state}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=2000)
    parser.add_argument("--database", type=Path, help="a demo-data database for the day report and verify")
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="posapp-shopday-") as folder:
        z_report_of_a_big_shift(args.sales, Path(folder))
    if args.database:
        with AppServices.open(f"sqlite:///{args.database}", settings=SettingsStore(None)) as services:
            day_reports(services, args.days)
            verify(services)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
