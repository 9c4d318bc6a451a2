"""Print the GUI's speed and memory figures on a big demo database (printed, never asserted).

    .venv/bin/python benchmarks/bench_gui.py                      # 300k products, 100k customers, 200k invoices
    .venv/bin/python benchmarks/bench_gui.py --small              # 30k / 10k / 20k, for a quick look
    .venv/bin/python benchmarks/bench_gui.py --database-url sqlite:////tmp/big.sqlite3

Without --database-url the database is made once with `posapp demo-data` at the chosen sizes
and kept under --workdir for later runs. Figures (targets in brackets):

- cold start to main window shown, median of --starts runs of `python -m posapp` [< 1.5 s]
- scan to line painted, p95 [< 30 ms]
- search as you type, keystroke to results shown, p95 [< 30 ms]
  (both also print the CPU time they used, which stays meaningful when the machine is shared)
- invoice history opening (model, first page, painted) [< 300 ms]
- resident memory after opening and searching [< 300 MB]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FULL = (300_000, 100_000, 200_000)
SMALL = (30_000, 10_000, 20_000)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an existing database to measure")
    parser.add_argument("--small", action="store_true", help="30k products, 10k customers, 20k invoices")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "posapp-bench-gui")
    parser.add_argument("--starts", type=int, default=5, help="cold starts to measure")
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--customer-display", action="store_true",
                        help="with the customer display open on screen 1 (it must not slow a scan)")
    return parser.parse_args()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ensure_database(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    products, customers, invoices = SMALL if args.small else FULL
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / f"demo-{products}-{customers}-{invoices}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        print(f"making the demo database {path} (once)…", flush=True)
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        subprocess.run(
            [sys.executable, "-m", "posapp", "--database-url", f"sqlite:///{partial}", "demo-data",
             "--products", str(products), "--customers", str(customers), "--invoices", str(invoices)],
            check=True, env={**os.environ, "POSAPP_DATA_DIR": str(args.workdir)}, cwd=ROOT,
        )
        partial.rename(path)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def cold_starts(url: str, runs: int, workdir: Path) -> tuple[list[float], list[float]]:
    """Wall time from spawning `python -m posapp` to its `window-shown` line, and the app's own
    figure (seconds since its process started)."""
    walls: list[float] = []
    reported: list[float] = []
    env = {**os.environ, "POSAPP_EXIT_WHEN_SHOWN": "1", "POSAPP_DATA_DIR": str(workdir / "start-data")}
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "posapp", "--database-url", url],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT,
        )
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("window-shown"):
                walls.append(time.perf_counter() - started)
                reported.append(float(line.split()[1]))
                break
        process.wait(timeout=60)
    return walls, reported


def in_process(url: str, args: argparse.Namespace) -> dict[str, object]:
    import psutil
    from PySide6.QtCore import QCoreApplication

    from posapp.app import PosApplication, create_qt_application
    from posapp.services.context import AppServices
    from posapp.services.demo_data import sign_in_demo_cashier
    from posapp.settings.store import SettingsStore
    from posapp.ui.editor import looks_like_a_name

    rnd = random.Random(args.seed)
    data_dir = args.workdir / "bench-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["POSAPP_DATA_DIR"] = str(data_dir)
    store = SettingsStore(data_dir / "settings.json")
    from posapp.settings.hardware import CUSTOMER_DISPLAY_SCREEN

    store.set(CUSTOMER_DISPLAY_SCREEN, 0 if args.customer_display else -1)
    qt_app = create_qt_application()
    services = AppServices.open(url, settings=store)
    sign_in_demo_cashier(services)
    pos = PosApplication(qt_app, store, services, Path(url).name)
    window = pos.build_window()
    window.resize(1440, 900)
    window.show()
    QCoreApplication.processEvents()
    editor = window.editor

    total_products = services.catalog.count("")
    codes = [services.catalog.page("", rnd.randrange(total_products), 1)[0].code
             for _ in range(min(args.scans, 200))]
    scan_times: list[float] = []
    scan_cpu: list[float] = []
    for number in range(args.scans):
        if number % 40 == 0:
            editor.new_invoice()
            QCoreApplication.processEvents()
        code = rnd.choice(codes)
        started = time.perf_counter()
        cpu_started = time.process_time()
        editor.scan(code)
        QCoreApplication.processEvents()  # runs the pending paint of the changed rows and totals
        scan_times.append(time.perf_counter() - started)
        scan_cpu.append(time.process_time() - cpu_started)
    editor.new_invoice()

    names = [p.name for p in services.catalog.page("", rnd.randrange(total_products - 50), 50)]
    words = [word for name in names for word in name.split()
             if len(word) >= 3 and looks_like_a_name(word)]
    search = editor.product_search
    search_times: list[float] = []
    search_cpu: list[float] = []
    shown: list[float] = []
    search.sig_results_shown.connect(lambda _count: shown.append(time.perf_counter()))
    for _ in range(args.searches):
        word = rnd.choice(words)
        query = word[: rnd.randint(3, len(word))]
        editor.code_field.setText(query[:-1])
        shown.clear()
        started = time.perf_counter()
        cpu_started = time.process_time()
        editor.code_field.setText(query)
        editor.code_field.textEdited.emit(query)
        deadline = started + 5
        while not shown and time.perf_counter() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.0005)
        search.popup.repaint()
        search_times.append(time.perf_counter() - started)
        search_cpu.append(time.process_time() - cpu_started)
        search.close()
    editor.code_field.clear()

    history = window.history
    started = time.perf_counter()
    history.refresh()
    window.history_dock.show()
    history.table.viewport().repaint()
    history_open = time.perf_counter() - started
    history_rows = history.model.rowCount()
    started = time.perf_counter()
    history.table.scrollToBottom()
    history.table.viewport().repaint()
    history_bottom = time.perf_counter() - started

    rss = psutil.Process().memory_info().rss
    pos.shutdown()
    return {
        "products": total_products,
        "scan": scan_times, "search": search_times, "scan_cpu": scan_cpu, "search_cpu": search_cpu,
        "history_open": history_open,
        "history_bottom": history_bottom, "history_rows": history_rows, "rss": rss,
    }


def main() -> int:
    args = parse_args()
    url = ensure_database(args)
    print(f"database: {url}")
    walls, reported = cold_starts(url, args.starts, args.workdir)
    figures = in_process(url, args)
    ms = 1000.0
    print(f"products in catalogue: {figures['products']:,}; invoices in history: {figures['history_rows']:,}")
    print(f"cold start to main window shown: median {statistics.median(walls):.2f} s "
          f"(app's own count from process start: {statistics.median(reported):.2f} s; "
          f"runs: {', '.join(f'{w:.2f}' for w in walls)}) [target < 1.5 s]")
    scans = figures["scan"]
    searches = figures["search"]
    scan_cpu = figures["scan_cpu"]
    search_cpu = figures["search_cpu"]
    with_display = " (customer display open)" if args.customer_display else ""
    print(f"scan to line painted{with_display}: p95 {percentile(scans, 0.95) * ms:.1f} ms, "
          f"median {statistics.median(scans) * ms:.1f} ms over {len(scans)} scans [target < 30 ms]; "
          f"CPU p95 {percentile(scan_cpu, 0.95) * ms:.1f} ms, median {statistics.median(scan_cpu) * ms:.1f} ms")
    print(f"search as you type, keystroke to results shown: "
          f"p95 {percentile(searches, 0.95) * ms:.1f} ms, median {statistics.median(searches) * ms:.1f} ms "
          f"over {len(searches)} queries [target < 30 ms]; "
          f"CPU p95 {percentile(search_cpu, 0.95) * ms:.1f} ms, median {statistics.median(search_cpu) * ms:.1f} ms")
    print(f"invoice history opening ({figures['history_rows']:,} invoices): "
          f"{figures['history_open'] * ms:.0f} ms; jump to the oldest: {figures['history_bottom'] * ms:.0f} ms "
          f"[target < 300 ms]")
    print(f"resident memory after opening and searching: {figures['rss'] / 2**20:.0f} MB [target < 300 MB]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
