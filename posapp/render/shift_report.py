"""X, Z and day reports as PDF: a till slip on 58 or 80 mm paper in the receipt theme's fonts
and geometry (one page as tall as the report), or an A4 page set. Qt-free and store-free: it
takes a `ShiftReport` and returns bytes. Reports are printed in Persian whatever the UI
language (the document's language belongs to the document)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from posapp.domain.shift_report import ReportLine, ShiftReport, report_lines
from posapp.render.fonts import font_name_for
from posapp.render.text import TextStyle, clean, draw_line, text_width, wrap_text
from posapp.render.theme import load_theme

PAPERS = ("A4", "80", "58")


def render_shift_report(report: ShiftReport, paper: str = "80", shop_name: str = "") -> bytes:
    """The report as PDF bytes on `paper` ("A4", "80" or "58" mm): A4 breaks into pages, a
    receipt is one page as tall as the report."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    theme = load_theme("receipt")
    regular = font_name_for(theme.fonts.regular)
    bold = font_name_for(theme.fonts.bold)
    lines = report_lines(report, "fa")
    if paper == "A4":
        width, height = A4
        side, top, bottom = 20 * mm, 20 * mm, 20 * mm
        size = 10.0
    else:
        geometry = theme.geometry
        side, top, bottom = (geometry[key] * mm for key in ("margin_side", "margin_top", "margin_bottom"))
        width = geometry[f"printable_{paper}"] * mm + 2 * side
        size = theme.fonts.body * geometry[f"scale_{paper}"]
        height = 0.0
    leading = theme.fonts.leading
    body = TextStyle(regular, size, size * leading)
    strong = body.with_(font=bold)
    heading = strong.with_(size=size * 1.15, leading=size * 1.15 * leading)
    usable = width - 2 * side
    rows = _layout(lines, shop_name, usable, body, strong, heading)
    if paper != "A4":
        height = top + bottom + sum(style.leading for _kind, _texts, style in rows)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=True)
    canvas.setTitle(lines[0].label)
    y = height - top
    for kind, texts, style in rows:
        if paper == "A4" and y - style.leading < bottom:
            canvas.showPage()
            y = height - top
        baseline = y - style.baseline_offset
        if kind == "centre":
            draw_line(canvas, texts[0], width / 2, baseline, style.with_(align="centre"))
        elif kind == "pair":
            draw_line(canvas, texts[0], width - side, baseline, style)
            draw_line(canvas, texts[1], side, baseline, style.with_(align="left"))
        elif kind == "rule":
            canvas.setDash(1, 2)
            canvas.line(side, y - style.leading / 2, width - side, y - style.leading / 2)
            canvas.setDash()
        else:
            draw_line(canvas, texts[0], width - side, baseline, style)
        y -= style.leading
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _layout(lines: list[ReportLine], shop_name: str, usable: float, body: TextStyle, strong: TextStyle,
            heading: TextStyle) -> list[tuple[str, list[str], TextStyle]]:
    """(kind, texts, style) per printed row: a centred title, section headings with a rule,
    label/value pairs (a label too long for the row wraps above its value)."""
    rows: list[tuple[str, list[str], TextStyle]] = []
    if shop_name:
        rows.append(("centre", [shop_name], heading))
    title, *rest = lines
    rows.append(("centre", [title.label], heading))
    for line in rest:
        if line.value is None:
            rows.append(("rule", [], body))
            rows.append(("text", [line.label], strong))
            continue
        style = strong if line.strong else body
        value_width = text_width(clean(line.value), style.font, style.size) + 2 * mm
        label_lines = wrap_text(line.label, style.font, style.size, max(usable - value_width, usable / 3))
        for extra in label_lines[:-1]:
            rows.append(("text", [extra], style))
        rows.append(("pair", [label_lines[-1] if label_lines else "", line.value], style))
    return rows
