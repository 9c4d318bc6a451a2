"""Payment-link QR codes drawn as vector rectangles, crisp on 203 dpi thermal paper too."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import Color, black
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

QUIET_ZONE = 4
"""Light modules the QR standard requires around the symbol, in modules."""


@lru_cache(maxsize=64)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix of `data` (error correction M), quiet zone included.

    qrcode picks the mask with the lowest penalty, the slow part; the result is memoised
    because one invoice's link is drawn again for preview, print and save."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float, fill: Color = black) -> None:
    """Draw the QR of `data` as a `size` x `size` square with its lower-left corner at (x, y).

    Dark modules of a row are merged into one rectangle per run, and all of them go into one
    filled path, which keeps the PDF small and the drawing fast."""
    matrix = qr_matrix(data)
    module = size / len(matrix)
    path = canvas.beginPath()
    top = y + size
    for row_index, row in enumerate(matrix):
        row_y = top - (row_index + 1) * module
        run_start: int | None = None
        for col_index, dark in enumerate([*row, False]):
            if dark and run_start is None:
                run_start = col_index
            elif not dark and run_start is not None:
                path.rect(x + run_start * module, row_y, (col_index - run_start) * module, module)
                run_start = None
    canvas.saveState()
    canvas.setFillColor(fill)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


class QrFlowable(Flowable):  # type: ignore[misc]
    """A square QR code of `size` points, aligned right, centre or left in its frame."""

    def __init__(self, data: str, size: float, h_align: str = "CENTER", fill: Color = black) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.hAlign = h_align
        self.fill = fill

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.data, 0, 0, self.size, self.fill)
