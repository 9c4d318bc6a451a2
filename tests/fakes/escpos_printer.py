"""A fake ESC/POS network printer: a TCP server on 127.0.0.1 that records the bytes it is sent.

Written from the ESC/POS command reference (Epson's "ESC/POS Application Programming Guide"),
not from posapp. `decode` parses what the printer received into the commands a receipt uses:
ESC @ (initialise), ESC p m t1 t2 (drawer pulse), GS v 0 m xL xH yL yH d... (raster bit image,
xL+xH*256 bytes per row, yL+yH*256 rows, most significant bit leftmost, 1 = black), ESC d n
(feed n lines), LF, and GS V m [n] (cut: m 0/48 full, 1/49 partial, 65/66 with a feed).

Misbehaving printers, each as a real socket: `refusing_port()` has nothing listening (the
connection is refused, as when the printer is off); `Behaviour.NEVER_READS` accepts and never
reads (out of paper with a full buffer); `Behaviour.CLOSES_AFTER` reads some bytes and closes
(cover opened, printer reset mid-receipt).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from enum import Enum

from PIL import Image

SMALL_BUFFER = 4096
"""A thermal printer's receive buffer is a few KiB; the fake's socket is as small."""


class Behaviour(Enum):
    RECORDS = "records"
    NEVER_READS = "never reads"
    CLOSES_AFTER = "closes after"


class FakeEscposPrinter:
    """Serves one connection at a time on 127.0.0.1; `received` holds every byte of every
    connection, `connections` the bytes per connection."""

    def __init__(self, behaviour: Behaviour = Behaviour.RECORDS, close_after: int = 10_000,
                 port: int = 0) -> None:
        self.behaviour = behaviour
        self.close_after = close_after
        self.connections: list[bytearray] = []
        self.lock = threading.Lock()
        self.done = threading.Event()
        """Set each time a connection has ended (clear it to wait for the next)."""
        self.last_byte_at = 0.0
        """time.perf_counter() when the latest byte arrived."""
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_BUFFER)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", port))
        self._listener.listen(4)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def received(self) -> bytes:
        with self.lock:
            return b"".join(bytes(c) for c in self.connections)

    def __enter__(self) -> FakeEscposPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        for held in self._held:
            held.close()
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            data = bytearray()
            with self.lock:
                self.connections.append(data)
            if self.behaviour is Behaviour.NEVER_READS:
                self._held.append(connection)
                continue
            connection.settimeout(0.1)
            with connection:
                while not self._stop.is_set():
                    limit = 4096
                    if self.behaviour is Behaviour.CLOSES_AFTER:
                        limit = min(limit, self.close_after - len(data))
                        if limit <= 0:
                            break
                    try:
                        chunk = connection.recv(limit)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not chunk:
                        break
                    with self.lock:
                        data.extend(chunk)
                        self.last_byte_at = time.perf_counter()
            self.done.set()


def refusing_port() -> int:
    """A loopback port nothing listens on: connecting is refused."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@dataclass
class Decoded:
    initialised: int = 0
    kicks: list[tuple[int, int, int]] = field(default_factory=list)
    bands: list[tuple[int, int]] = field(default_factory=list)
    """(bytes per row, rows) of each GS v 0 image."""
    image: Image.Image | None = None
    """All raster bands stacked, black printed dots as 0 (PIL's black)."""
    cuts: list[int] = field(default_factory=list)
    feeds: int = 0
    order: list[str] = field(default_factory=list)


class DecodeError(ValueError):
    pass


def decode(data: bytes) -> Decoded:
    """The commands in `data`; DecodeError on a byte sequence a receipt has no business sending."""
    out = Decoded()
    rows: list[bytes] = []
    width_bytes = 0
    i = 0
    while i < len(data):
        byte = data[i]
        if data.startswith(b"\x1b@", i):
            out.initialised += 1
            out.order.append("init")
            i += 2
        elif data.startswith(b"\x1bp", i):
            m, t1, t2 = data[i + 2:i + 5]
            out.kicks.append((m, t1, t2))
            out.order.append("kick")
            i += 5
        elif data.startswith(b"\x1dv0", i):
            xl, xh, yl, yh = data[i + 4:i + 8]
            row_bytes, height = xl + 256 * xh, yl + 256 * yh
            if width_bytes and row_bytes != width_bytes:
                raise DecodeError("bands of different widths")
            width_bytes = row_bytes
            body = data[i + 8:i + 8 + row_bytes * height]
            if len(body) != row_bytes * height:
                raise DecodeError("raster image cut short")
            rows.extend(body[r * row_bytes:(r + 1) * row_bytes] for r in range(height))
            out.bands.append((row_bytes, height))
            out.order.append("raster")
            i += 8 + row_bytes * height
        elif data.startswith(b"\x1bd", i):
            out.feeds += data[i + 2]
            i += 3
        elif byte == 0x0A:
            out.feeds += 1
            i += 1
        elif data.startswith(b"\x1dV", i):
            mode = data[i + 2]
            out.cuts.append(mode)
            out.order.append("cut")
            i += 4 if mode in (65, 66) else 3
        else:
            raise DecodeError(f"unexpected byte {byte:#04x} at {i}")
    if rows:
        packed = b"".join(rows)
        # ESC/POS: bit 1 is a printed (black) dot; PIL's mode "1" has 0 for black.
        inverted = bytes(255 - b for b in packed)
        out.image = Image.frombytes("1", (width_bytes * 8, len(rows)), inverted)
    return out
