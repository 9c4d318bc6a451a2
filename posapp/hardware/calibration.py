"""The printer calibration page: a width ruler, darkness bars, a Persian sample and a QR code.

Drawn with reportlab through the renderer's own Persian text pipeline and QR drawing, then
printed exactly like a receipt, so what it shows is what receipts will look like: whether the
ruler's ends (the dot width) both print, whether thin lines and solid black come out, whether
Persian is joined and right-to-left, and whether a phone reads the QR.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from posapp.render.fonts import font_name_for
from posapp.render.qr import draw_qr
from posapp.render.text import TextStyle, draw_line

SAMPLE_TEXT = "نمونه چاپ فارسی: ۱٫۲۵۰ کیلوگرم، ۱۲۳٬۴۵۶ ریال"
QR_TEXT = "https://example.com/posapp/calibration"
PAGE_HEIGHT_MM = 95


def calibration_pdf(paper_mm: int, printable_mm: float, dot_width: int, printer: str) -> bytes:
    """One page `paper_mm` wide whose centred `printable_mm` strip is what the head prints."""
    out = BytesIO()
    width, height = paper_mm * mm, PAGE_HEIGHT_MM * mm
    canvas = Canvas(out, pagesize=(width, height))
    left = (paper_mm - printable_mm) / 2 * mm
    right = left + printable_mm * mm
    scale = min(1.0, printable_mm / 72)
    regular = TextStyle(font_name_for("Vazirmatn-Regular.ttf"), 8 * scale, 10, align="centre")
    bold = regular.with_(font=font_name_for("Vazirmatn-Bold.ttf"), size=10 * scale, leading=12)
    centre = width / 2
    y = height - 6 * mm
    draw_line(canvas, "تنظیم چاپگر / printer calibration", centre, y, bold)
    y -= 5 * mm
    draw_line(canvas, f"{dot_width} dots · {printable_mm:g} mm · {printer}", centre, y, regular)

    y -= 8 * mm  # the ruler: a tick every millimetre, long ones every 5 and 10 mm
    canvas.setLineWidth(0.25)
    canvas.line(left, y, right, y)
    for tick in range(int(printable_mm) + 1):
        length = 4 if tick % 10 == 0 else 2.5 if tick % 5 == 0 else 1.2
        x = left + tick * mm
        canvas.line(x, y, x, y + length * mm)
        if tick % 10 == 0:
            canvas.setFont(regular.font, 6)
            canvas.drawCentredString(x, y - 3 * mm, str(tick))
    canvas.setLineWidth(0.6)
    canvas.line(left + 0.3, y - 5 * mm, left + 0.3, y + 5 * mm)
    canvas.line(right - 0.3, y - 5 * mm, right - 0.3, y + 5 * mm)

    y -= 12 * mm  # darkness: solid black and lines one, two and three dots thick
    canvas.rect(left, y, printable_mm * mm / 3, 6 * mm, stroke=0, fill=1)
    dot = 25.4 / 203 * mm
    for index, dots in enumerate((1, 2, 3)):
        canvas.setLineWidth(dots * dot)
        x = left + printable_mm * mm * (0.45 + index * 0.18)
        canvas.line(x, y, x, y + 6 * mm)
        canvas.line(x + 2 * mm, y + 3 * mm, x + 8 * mm, y + 3 * mm)

    y -= 8 * mm
    draw_line(canvas, SAMPLE_TEXT, right, y, regular.with_(align="right"))
    y -= 5 * mm
    draw_line(canvas, "۰۱۲۳۴۵۶۷۸۹  0123456789  (مشکی)", right, y, regular.with_(align="right"))

    size = 30 * mm
    y -= size + 4 * mm
    draw_qr(canvas, QR_TEXT, centre - size / 2, y, size)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
