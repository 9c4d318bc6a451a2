"""Print how long `posapp demo-data` takes at the issue's sizes and how big the database gets.

    .venv/bin/python benchmarks/bench_demo_data.py [--products N --customers M --invoices K]

Runs the real command in a subprocess on a fresh SQLite file in a temporary folder. Prints, never
asserts (target: under 2 minutes for 300,000 / 100,000 / 200,000 on a 2-core machine). Beside the
wall time it prints the CPU time the command used (its own and any helper processes'), which
stays meaningful when the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=300_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the database here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="posapp-bench-") as folder:
        database = args.keep or Path(folder) / "demo.sqlite3"
        env = {**os.environ, "POSAPP_DATA_DIR": folder}
        command = [sys.executable, "-m", "posapp", "--database-url", f"sqlite:///{database}", "demo-data",
                   "--products", str(args.products), "--customers", str(args.customers),
                   "--invoices", str(args.invoices), "--seed", str(args.seed)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, env=env)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
        size = sum(p.stat().st_size for p in database.parent.glob(database.name + "*"))
        print(f"demo-data {args.products:,} products / {args.customers:,} customers / "
              f"{args.invoices:,} invoices: wall time {wall:.1f} s (target < 120 s), "
              f"CPU {user + system:.1f} s (user {user:.1f} s, system {system:.1f} s), "
              f"database {size / 1_048_576:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
