"""`posapp demo-data`: fill the database with a realistic, deterministic Persian demo dataset;
also the text progress bar on stderr that the headless commands share."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO


class ProgressBar:
    """Redraws one line per stage at most ten times a second; on a non-terminal (a log file,
    CI) it prints a line only when a stage finishes."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._last_draw = 0.0
        self._started: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        started = self._started.setdefault(stage, now)
        finished = done >= total
        if self.interactive and (finished or now - self._last_draw >= 0.1):
            filled = self.WIDTH * done // total if total else self.WIDTH
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r{stage:<10} [{bar}] {done:>9,}/{total:,}  {now - started:6.1f}s")
            self._last_draw = now
            if finished:
                self.stream.write("\n")
            self.stream.flush()
        elif not self.interactive and finished:
            self.stream.write(f"{stage}: {done:,}/{total:,} in {now - started:.1f}s\n")
            self.stream.flush()


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("counts cannot be negative")
    return value


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo-data", help="داده نمایشی: کالا، مشتری و فاکتورهای یک سال / add demo products, customers and a year of invoices",
    )
    parser.add_argument("--products", type=_count, default=2000, help="تعداد کالا / products to add (default 2000)")
    parser.add_argument("--customers", type=_count, default=500, help="تعداد مشتری / customers to add (default 500)")
    parser.add_argument("--invoices", type=_count, default=2000, help="تعداد فاکتور / invoices to issue (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="بذر تصادفی؛ بذر یکسان داده یکسان / random seed; the same seed gives the same data")
    parser.set_defaults(handler=run_demo_data)


def run_demo_data(args: argparse.Namespace) -> int:
    from posapp.domain.errors import DomainError
    from posapp.services.context import AppServices
    from posapp.services.demo_data import DemoDataGenerator

    with AppServices.open(args.database_url) as services:
        generator = DemoDataGenerator(services, seed=args.seed, progress=ProgressBar())
        try:
            report = generator.run(args.products, args.customers, args.invoices)
        except DomainError as exc:
            print(f"{exc.message_fa}\n{exc.message_en}", file=sys.stderr)
            return 1
    print(f"added {report.products:,} products, {report.customers:,} customers and "
          f"{report.invoices:,} invoices in {report.seconds:.1f}s")
    return 0
