"""`posapp demo-data`: fill the database with a realistic, deterministic Persian demo dataset."""

from __future__ import annotations

import argparse
from typing import Any


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("counts cannot be negative")
    return value


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo-data", help="add demo products, customers and a year of invoices (deterministic per seed)",
    )
    parser.add_argument("--products", type=_count, default=2000, help="products to add (default 2000)")
    parser.add_argument("--customers", type=_count, default=500, help="customers to add (default 500)")
    parser.add_argument("--invoices", type=_count, default=2000, help="invoices to issue (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same data")
    parser.set_defaults(handler=run_demo_data)


def run_demo_data(args: argparse.Namespace) -> int:
    from posapp.cli.progress import ProgressBar
    from posapp.services.context import AppServices
    from posapp.services.demo_data import DemoDataGenerator

    with AppServices.open(args.database_url) as services:
        generator = DemoDataGenerator(services, seed=args.seed, progress=ProgressBar())
        report = generator.run(args.products, args.customers, args.invoices)
    print(f"added {report.products:,} products, {report.customers:,} customers and "
          f"{report.invoices:,} invoices in {report.seconds:.1f}s")
    return 0
