"""Print how long issuing a sale holds the cashier: the figures behind running `invoicing.issue`
on the GUI thread rather than the write lane (docs/architecture.md, "Writes and what they
change").

    .venv/bin/python benchmarks/bench_issue.py [--runs 100] [--lines 10]

- GUI thread: `invoicing.issue` of a `--lines`-line cash sale on a fresh SQLite file (2,000
  demo products, an owner signed in with an open shift, so the journal and the shift are
  written too), called directly as the editor does: wall p50/p95/max and CPU median.
- Write lane: the same sale through `TaskManager.run(..., lane="write")`, from the call to the
  result delivered back on the GUI thread: what routing it there would cost on top.
- Another till writing: issue while a second connection holds a write transaction for
  `--hold-ms`: the GUI thread waits that long on the busy timeout (the case the write lane would
  hide, and the cashier would still have to wait for the number).

Prints, never asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import text

from posapp.domain.invoice import Invoice, Payment, PaymentMethod
from posapp.services.context import AppServices
from posapp.services.demo_data import DemoDataGenerator
from posapp.settings.shop import SHOP_NAME
from posapp.settings.store import SettingsStore


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--hold-ms", type=int, default=300)
    return parser.parse_args()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(label: str, wall: list[float], cpu: list[float] | None = None) -> None:
    text = (f"{label}: p50 {statistics.median(wall):.1f} ms, p95 {percentile(wall, 0.95):.1f} ms, "
            f"max {max(wall):.1f} ms")
    if cpu:
        text += f" (CPU median {statistics.median(cpu):.1f} ms)"
    print(text, flush=True)


def open_shop(folder: Path) -> tuple[AppServices, Callable[[], Invoice]]:
    settings = SettingsStore(folder / "settings.json")
    settings.set(SHOP_NAME, "فروشگاه نمونه")
    services = AppServices.open(f"sqlite:///{folder / 'issue.sqlite3'}", settings=settings)
    generator = DemoDataGenerator(services, seed=3)
    generator.run(2000, 50, 0)
    catalogue = [services.catalog.get(p.id) for p in generator.existing_products()[:200]]
    owner = services.access.add_user("مالک", "owner", "1357")
    services.shifts.open(Decimal(5_000_000), owner.actor)
    invoicing = services.invoicing
    counter = iter(range(10**9))

    def draft() -> Invoice:
        start = next(counter) * 7 % len(catalogue)
        lines = tuple(invoicing.line_for_product(catalogue[(start + i) % len(catalogue)], Decimal(1))
                      for i in range(ARGS.lines))
        sale = invoicing.new_draft(owner.name, owner.id).with_changes(lines=lines)
        return sale.with_changes(payments=(Payment(PaymentMethod.CASH, sale.totals.payable),))

    return services, draft


def on_gui_thread(services: AppServices, draft: Callable[[], Invoice]) -> None:
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(ARGS.runs):
        sale = draft()
        started, started_cpu = time.perf_counter(), time.process_time()
        services.invoicing.issue(sale)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    summary(f"issue on the GUI thread, {ARGS.lines} lines", wall, cpu)


def through_write_lane(services: AppServices, draft: Callable[[], Invoice]) -> None:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from posapp.ui.tasks import TaskManager

    app = QApplication.instance() or QApplication([])
    tasks = TaskManager()
    wall: list[float] = []
    for _ in range(ARGS.runs):
        sale = draft()
        loop = QEventLoop()
        started = time.perf_counter()
        done: list[float] = []

        def finish(_result: object, loop: QEventLoop = loop, done: list[float] = done) -> None:
            done.append(time.perf_counter())
            loop.quit()

        def failed(error: BaseException, loop: QEventLoop = loop) -> None:
            print("error:", error)
            loop.quit()

        tasks.run(lambda _context, sale=sale: services.invoicing.issue(sale), on_done=finish,
                  on_error=failed, lane="write")
        if not done:
            loop.exec()
        if done:
            wall.append((done[0] - started) * 1000)
    tasks.shutdown()
    summary(f"issue through the write lane, result back on the GUI thread, {ARGS.lines} lines", wall)
    del app


def while_another_till_writes(services: AppServices, draft: Callable[[], Invoice], folder: Path) -> None:
    other = AppServices.open(f"sqlite:///{folder / 'issue.sqlite3'}", settings=SettingsStore(None))
    holding = threading.Event()

    def hold() -> None:
        with other.database.write() as session:
            session.execute(text("UPDATE products SET stock = stock WHERE id = 1"))
            holding.set()
            time.sleep(ARGS.hold_ms / 1000)

    wall: list[float] = []
    for _ in range(5):
        sale = draft()
        worker = threading.Thread(target=hold)
        worker.start()
        holding.wait()
        started = time.perf_counter()
        services.invoicing.issue(sale)
        wall.append((time.perf_counter() - started) * 1000)
        worker.join()
        holding.clear()
    other.close()
    summary(f"issue while another till holds a write for {ARGS.hold_ms} ms", wall)


ARGS = parse_args()


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        services, draft = open_shop(folder)
        try:
            on_gui_thread(services, draft)
            through_write_lane(services, draft)
            while_another_till_writes(services, draft, folder)
        finally:
            services.close()
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
