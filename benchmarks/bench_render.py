"""Prints how long PDF rendering takes: medians in-process after warm-up (figures, not tests).

    .venv/bin/python benchmarks/bench_render.py [--runs N]

Each case reports two medians: "warm", the app's steady state (labels, units and the payment
link's QR already memoised, as when an invoice is previewed, then printed), and "cold", with
the text and QR memos cleared before every run, what a never-seen invoice costs. Side by side,
the same A4 invoice goes through HTML and WeasyPrint (the optional `bench` extra), the route
web invoicing tools take, and the ratio is printed; without WeasyPrint that line says so.
"""

from __future__ import annotations

import argparse
import html
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posapp.domain.formatting import amount_in_words, format_amount, format_quantity
from posapp.domain.invoice import Invoice
from posapp.domain.jalali import format_jalali_datetime
from posapp.domain.text import to_persian_digits
from posapp.paths import fonts_dir
from posapp.render.document import RenderOptions
from posapp.render.qr import qr_matrix
from posapp.render.registry import clear_caches, renderer_for
from posapp.render.sample import SAMPLE_BRANDING, sample_invoice

TARGETS_MS = {"A4 Modern, 20 lines, QR": 40.0, "80 mm receipt, 10 lines, QR": 20.0}


def median_ms(work: Callable[[], object], runs: int, *, cold: bool) -> tuple[float, float, object]:
    """Median wall-clock and CPU milliseconds of `work` over `runs` runs after one warm-up.
    CPU time is printed too because it stays meaningful on a machine busy with other jobs."""
    result = work()  # warm-up: imports, font registration, first-use caches
    wall, cpu = [], []
    for _ in range(runs):
        if cold:
            clear_caches()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), result


def html_invoice(invoice: Invoice) -> str:
    """The same invoice as an RTL HTML page with Vazirmatn and an inline-SVG QR."""
    esc = html.escape
    totals = invoice.totals

    def amount(value: object) -> str:
        return format_amount(value, with_unit=False)  # type: ignore[arg-type]

    rows = "".join(
        f"<tr><td>{to_persian_digits(str(i + 1))}</td><td class=d>{esc(line.description)}</td>"
        f"<td>{format_quantity(line.quantity)}</td><td>{esc(line.unit)}</td>"
        f"<td>{amount(line.unit_price)}</td><td>{amount(t.discount)}</td><td>{amount(t.tax)}</td>"
        f"<td>{amount(t.total)}</td></tr>"
        for i, (line, t) in enumerate(zip(invoice.lines, totals.lines, strict=True))
    )
    matrix = qr_matrix(invoice.payment_link or "")
    rects = "".join(f'<rect x="{x}" y="{y}" width="1" height="1"/>'
                    for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    qr = f'<svg viewBox="0 0 {len(matrix)} {len(matrix)}" width="26mm" height="26mm">{rects}</svg>'
    fonts = fonts_dir().as_uri()
    return f"""<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><style>
@font-face {{ font-family: Vazirmatn; src: url({fonts}/Vazirmatn-Regular.ttf); }}
@font-face {{ font-family: Vazirmatn; font-weight: bold; src: url({fonts}/Vazirmatn-Bold.ttf); }}
@page {{ size: A4; margin: 40mm 13mm 18mm; @bottom-left {{ content: "صفحه " counter(page) " از " counter(pages); }} }}
body {{ font-family: Vazirmatn; font-size: 8.5pt; color: #1f2933; }}
h1 {{ color: #0f766e; font-size: 15pt; }}
table {{ width: 100%; border-collapse: collapse; }}
thead {{ display: table-header-group; background: #0f766e; color: white; }}
td, th {{ padding: 1.4mm; border-bottom: 0.4pt solid #cbd2d9; text-align: center; }}
td.d {{ text-align: right; width: 40%; }}
</style></head><body>
<h1>{esc(SAMPLE_BRANDING.shop_name)} — فاکتور فروش {esc(to_persian_digits(invoice.number or ""))}</h1>
<p>{format_jalali_datetime(invoice.issued_at or invoice.created_at)}</p>
<p>{esc(invoice.seller.name)} / {esc(invoice.buyer.name if invoice.buyer else "")}</p>
<table><thead><tr><th>ردیف</th><th>شرح کالا یا خدمات</th><th>مقدار</th><th>واحد</th>
<th>مبلغ واحد (ریال)</th><th>تخفیف (ریال)</th><th>مالیات و عوارض (ریال)</th><th>جمع کل (ریال)</th></tr></thead>
<tbody>{rows}</tbody></table>
<p>مبلغ قابل پرداخت: {amount(totals.payable)} — {esc(amount_in_words(totals.payable))}</p>
<p>{esc(invoice.notes)}</p>{qr}</body></html>"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    cases = [
        ("A4 Modern, 20 lines, QR", "modern", sample_invoice(line_count=20), RenderOptions()),
        ("80 mm receipt, 10 lines, QR", "receipt", sample_invoice(line_count=10),
         RenderOptions(receipt_width_mm=80)),
        ("Formal, 200 lines", "formal", sample_invoice(line_count=200), RenderOptions()),
    ]
    print(f"PDF rendering, median of {runs} runs after warm-up (reportlab, in-process); "
          f"wall-clock ms with CPU ms in brackets; load average {os.getloadavg()[0]:.1f}")
    modern_cold = 0.0
    for title, theme, invoice, options in cases:
        renderer = renderer_for(theme, options)
        warm, warm_cpu, pdf = median_ms(lambda r=renderer, i=invoice: r.render(i, SAMPLE_BRANDING),
                                        runs, cold=False)
        cold, cold_cpu, _ = median_ms(lambda r=renderer, i=invoice: r.render(i, SAMPLE_BRANDING),
                                      runs, cold=True)
        target = TARGETS_MS.get(title)
        verdict = f"  target < {target:.0f} ms: {'met' if warm < target else 'MISSED'} (warm wall)" if target else ""
        print(f"  {title:30s} warm {warm:6.1f} [{warm_cpu:6.1f}]   cold {cold:6.1f} [{cold_cpu:6.1f}]"
              f"   {len(pdf) / 1024:5.1f} KiB{verdict}")  # type: ignore[arg-type]
        if theme == "modern":
            modern_cold = cold

    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        print(f"  WeasyPrint: not installed here ({exc.__class__.__name__}); "
              "`.venv/bin/pip install -e .[bench]` to compare")
        return 0
    invoice = cases[0][2]
    page = html_invoice(invoice)
    weasy, weasy_cpu, pdf = median_ms(lambda: HTML(string=page).write_pdf(), max(5, runs // 4), cold=False)
    print(f"  {'same A4 invoice via WeasyPrint':30s} {weasy:6.1f} [{weasy_cpu:6.1f}]"
          f"   {len(pdf) / 1024:5.1f} KiB  -> {weasy / modern_cold:.1f}x reportlab's cold time")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
