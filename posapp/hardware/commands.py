"""ESC/POS byte streams for a receipt, a drawer kick and a calibration page, built with python-escpos.

Everything is produced into python-escpos's `Dummy` printer, so a job is a plain byte string:
it can wait in the print queue, be sent again unchanged, and go over any transport. Images go
as `GS v 0` raster in bands (printers with small buffers choke on one tall image), then the
paper is fed past the cutter and cut (`GS V`, full or partial). The drawer kick is
`ESC p m t1 t2`, with m 0 or 1 for connector pin 2 or 5 and the on/off times in 2 ms units.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum

from escpos.printer import Dummy
from PIL import Image

DEFAULT_BAND_DOTS = 256
"""Raster rows per `GS v 0` command: 18 KiB at 576 dots, within every printer's buffer."""
KICK_UNIT_MS = 2
MAX_KICK_MS = 255 * KICK_UNIT_MS


class CutMode(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


@dataclass(frozen=True)
class DrawerKick:
    """The pulse that opens a drawer hanging off the printer: connector pin 2 or 5, and how
    long the pulse is on and then off, in milliseconds (2 ms steps, at most 510)."""

    pin: int = 2
    on_ms: int = 100
    off_ms: int = 100

    def __post_init__(self) -> None:
        if self.pin not in (2, 5):
            raise ValueError(f"the drawer pin is 2 or 5, not {self.pin}")
        for value in (self.on_ms, self.off_ms):
            if not KICK_UNIT_MS <= value <= MAX_KICK_MS:
                raise ValueError(f"pulse times are {KICK_UNIT_MS}-{MAX_KICK_MS} ms, not {value}")

    def command(self) -> bytes:
        printer = Dummy()
        printer.cashdraw([0x1B, ord("p"), 0 if self.pin == 2 else 1,
                          self.on_ms // KICK_UNIT_MS, self.off_ms // KICK_UNIT_MS])
        return bytes(printer.output)


def _printer(dot_width: int) -> Dummy:
    """A byte-collecting printer whose profile knows the paper's dot width (python-escpos
    checks images against it)."""
    printer = Dummy()
    profile_data = copy.deepcopy(printer.profile.profile_data)
    profile_data["media"]["width"]["pixels"] = dot_width
    printer.profile.profile_data = profile_data
    return printer


def image_job(image: Image.Image, *, cut: CutMode = CutMode.FULL, kick: DrawerKick | None = None,
              band_dots: int = DEFAULT_BAND_DOTS) -> bytes:
    """Reset the printer, open the drawer if `kick` is given (the cashier gives change while
    the slip prints), print `image` (1 bit, as wide as the printer's dots) in bands of
    `band_dots` rows, feed and cut."""
    printer = _printer(image.width)
    printer.hw("INIT")
    if kick is not None:
        printer._raw(kick.command())
    for top in range(0, image.height, band_dots):
        # One band per call: python-escpos would otherwise convert the whole image once more
        # before splitting it, doubling the work.
        band = image.crop((0, top, image.width, min(image.height, top + band_dots)))
        printer.image(band, impl="bitImageRaster", fragment_height=band_dots)
    if cut is CutMode.NONE:
        printer.print_and_feed(6)
    else:
        printer.cut(mode="PART" if cut is CutMode.PARTIAL else "FULL")
    return bytes(printer.output)


def drawer_job(kick: DrawerKick) -> bytes:
    """Only the drawer pulse (the "open drawer" action)."""
    return kick.command()
