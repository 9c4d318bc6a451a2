"""Prints how long a receipt takes from "print" to the last byte on an ESC/POS printer (figures, not tests).

    .venv/bin/python benchmarks/bench_escpos.py [--runs N]

An issued 10-line sample invoice with its payment QR is queued as a receipt for a fake network
printer on 127.0.0.1 (tests/fakes/escpos_printer.py, which takes bytes as fast as loopback
carries them, so the printer's own speed is excluded). The figure is the median time from the
till's `print_receipt` call to the last byte received, for 80 mm (576 dots, the target: under
60 ms) and 58 mm (384 dots), then the same work stage by stage: the receipt PDF, the 1-bit
raster, the ESC/POS bytes, and the send. CPU time is printed too: it stays meaningful when
the machine is busy with other jobs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posapp.hardware.commands import image_job
from posapp.hardware.raster import rasterise_receipt
from posapp.hardware.transport import send
from posapp.render.sample import sample_invoice
from posapp.services.counter import CounterService, escpos_setup
from posapp.services.documents import DocumentService
from posapp.settings.documents import RECEIPT_PRINTER, RECEIPT_WIDTH_MM, DocumentKind
from posapp.settings.store import SettingsStore
from tests.fakes.escpos_printer import FakeEscposPrinter

TARGET_MS = 60.0


def median_ms(work: Callable[[], object], runs: int) -> tuple[float, float]:
    work()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def to_last_byte(counter: CounterService, printer: FakeEscposPrinter, runs: int) -> tuple[list[float], list[float]]:
    """Wall milliseconds from `print_receipt` to the fake's last byte, and the process's CPU
    milliseconds for the whole job (the fake printer's reading included)."""
    invoice = sample_invoice(line_count=10)
    times, cpu = [], []
    for run in range(runs + 1):
        printer.done.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        counter.print_receipt(invoice, open_drawer=False)
        if not printer.done.wait(30) or not counter.queue.wait_idle(30):
            raise SystemExit("the fake printer got nothing")
        if run:  # the first run warms imports, fonts and caches
            times.append((printer.last_byte_at - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    settings = SettingsStore(Path(tempfile.mkdtemp()) / "settings.json")
    documents = DocumentService(None, settings)
    counter = CounterService(documents, settings, None)
    invoice = sample_invoice(line_count=10)
    assert invoice.payment_link, "the sample receipt carries a payment QR"
    with FakeEscposPrinter() as printer:
        settings.set(RECEIPT_PRINTER, printer.uri)
        for width in (80, 58):
            settings.set(RECEIPT_WIDTH_MM, width)
            times, cpu = to_last_byte(counter, printer, args.runs)
            target = f" [target < {TARGET_MS:.0f} ms]" if width == 80 else ""
            print(f"{width} mm receipt, 10 lines, QR: print to last byte median "
                  f"{statistics.median(times):.1f} ms, p95 {sorted(times)[int(0.95 * (len(times) - 1))]:.1f} ms "
                  f"over {len(times)} runs{target}; CPU median {statistics.median(cpu):.1f} ms")
        settings.set(RECEIPT_WIDTH_MM, 80)
        setup = escpos_setup(settings)
        pdf = documents.render(invoice, DocumentKind.RECEIPT).pdf
        image = rasterise_receipt(pdf, setup.dot_width, setup.printable_mm)
        job = image_job(image, cut=setup.cut)
        stages = (
            ("receipt PDF", lambda: documents.render(invoice, DocumentKind.RECEIPT)),
            ("1-bit raster at 576 dots", lambda: rasterise_receipt(pdf, setup.dot_width, setup.printable_mm)),
            ("ESC/POS bytes (GS v 0 bands, cut)", lambda: image_job(image, cut=setup.cut)),
            (f"send {len(job) // 1024} KiB over loopback", lambda: send(setup.uri, job, setup.timeout)),
        )
        print("80 mm, stage by stage (median wall / CPU):")
        for name, work in stages:
            wall, cpu = median_ms(work, args.runs)
            print(f"  {name}: {wall:.1f} ms / {cpu:.1f} ms")
    counter.close()


if __name__ == "__main__":
    main()
