"""Print what a charting library adds to posapp: installed size, import time and first chart.

    .venv/bin/python benchmarks/bench_charts.py [--runs 5]

Measures Qt Charts (PySide6-Addons, the one posapp uses) and, when it is importable, pyqtgraph
(with numpy), each in a fresh interpreter on the offscreen platform: the time to import the
chart module after QApplication exists, and to build and show a first bar chart. Sizes are the
installed files of each distribution (PySide6-Addons ships every add-on module, not only
Qt Charts; the libraries Qt Charts itself loads are printed apart, as a frozen bundle would take
only those). Printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from importlib import metadata
from pathlib import Path

PROBE = r"""
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
started = time.perf_counter()
if sys.argv[1] == "qtcharts":
    from PySide6.QtCharts import QBarSeries, QBarSet, QChart, QChartView
    imported = time.perf_counter()
    bars = QBarSet("x"); bars.append([1.0, 2.0, 3.0]); series = QBarSeries(); series.append(bars)
    chart = QChart(); chart.addSeries(series); view = QChartView(chart)
else:
    import pyqtgraph
    imported = time.perf_counter()
    view = pyqtgraph.PlotWidget(); view.addItem(pyqtgraph.BarGraphItem(x=[1, 2, 3], height=[1, 2, 3], width=0.6))
view.resize(600, 400); view.show(); app.processEvents()
print((imported - started) * 1000, (time.perf_counter() - imported) * 1000)
"""


def installed_mib(distribution: str) -> float | None:
    try:
        files = metadata.distribution(distribution).files or []
    except metadata.PackageNotFoundError:
        return None
    return sum(Path(str(f.locate())).stat().st_size for f in files if Path(str(f.locate())).is_file()) / 2**20


def qtcharts_libraries_mib() -> float:
    import PySide6

    lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    module = Path(PySide6.__file__).parent
    parts = [*lib.glob("libQt6Charts.so*"), *module.glob("QtCharts.*.so")]
    return sum(p.stat().st_size for p in parts if p.is_file()) / 2**20


def probe(library: str, runs: int) -> tuple[float, float] | None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    imports, charts = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", PROBE, library], capture_output=True, text=True, env=env)
        if done.returncode:
            return None
        first, second = (float(v) for v in done.stdout.split())
        imports.append(first)
        charts.append(second)
    return statistics.median(imports), statistics.median(charts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    addons = installed_mib("PySide6-Addons")
    print(f"Qt Charts: PySide6-Addons installed {addons or 0:.0f} MiB "
          f"(Qt Charts' own libraries {qtcharts_libraries_mib():.1f} MiB)")
    measured = probe("qtcharts", args.runs)
    if measured:
        print(f"  import {measured[0]:.0f} ms, first chart shown {measured[1]:.0f} ms (median of {args.runs})")
    pyqtgraph, numpy = installed_mib("pyqtgraph"), installed_mib("numpy")
    if pyqtgraph is None:
        print("pyqtgraph: not installed here (pip install pyqtgraph numpy to compare)")
        return 0
    print(f"pyqtgraph: pyqtgraph {pyqtgraph:.0f} MiB + numpy {numpy or 0:.0f} MiB installed")
    measured = probe("pyqtgraph", args.runs)
    if measured:
        print(f"  import {measured[0]:.0f} ms, first chart shown {measured[1]:.0f} ms (median of {args.runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
