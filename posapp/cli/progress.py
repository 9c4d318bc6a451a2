"""A plain text progress bar on stderr for the headless commands (no dependency, TTY-aware)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Redraws one line per stage at most ten times a second; on a non-terminal (a log file,
    CI) it prints a line only when a stage finishes."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._last_draw = 0.0
        self._started: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        started = self._started.setdefault(stage, now)
        finished = done >= total
        if self.interactive and (finished or now - self._last_draw >= 0.1):
            filled = self.WIDTH * done // total if total else self.WIDTH
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r{stage:<10} [{bar}] {done:>9,}/{total:,}  {now - started:6.1f}s")
            self._last_draw = now
            if finished:
                self.stream.write("\n")
            self.stream.flush()
        elif not self.interactive and finished:
            self.stream.write(f"{stage}: {done:,}/{total:,} in {now - started:.1f}s\n")
            self.stream.flush()
