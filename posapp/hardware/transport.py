"""Sending an ESC/POS job to a printer over TCP, USB, a serial port or a device file, with timeouts.

python-escpos's `Network`, `Usb`, `Serial` and `File` printers open the connection; the job goes
out in chunks, each write bounded by the timeout, the whole send bounded by a deadline, and a
watchdog thread covers transports whose writes cannot time out (a device file of a printer that
was switched off). Every failure becomes a `PrinterError` in both languages: the printer could
not be reached, stopped reading, or closed the connection part-way.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError
from escpos.printer import File, Network, Serial, Usb

from posapp.domain.errors import DomainError
from posapp.hardware.uri import PrinterUri, Transport

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 5.0
CHUNK_BYTES = 4096
SEND_BUFFER_BYTES = 16384
"""A small socket send buffer, so a send is done when the printer has taken the bytes, not when
the kernel has queued a whole receipt for a printer that stopped reading."""
DEADLINE_FACTOR = 6
"""The whole job may take this many timeouts (a long receipt on a slow serial line)."""


class PrinterError(DomainError):
    """The job did not reach the printer; `sent` bytes of it did."""

    def __init__(self, uri: PrinterUri | str, problem_fa: str, problem_en: str, sent: int = 0) -> None:
        super().__init__(f"چاپگر {uri}: {problem_fa}", f"printer {uri}: {problem_en}")
        self.sent = sent


def unreachable(uri: PrinterUri | str, detail: str) -> PrinterError:
    return PrinterError(uri, f"در دسترس نیست؛ روشن بودن و کابل یا شبکه را بررسی کنید ({detail})",
                        f"cannot be reached; check that it is on and connected ({detail})")


def stalled(uri: PrinterUri | str, sent: int) -> PrinterError:
    return PrinterError(uri, "دیگر داده نمی‌گیرد (کاغذ تمام شده، درِ آن باز است یا خاموش شده)",
                        "stopped taking data (out of paper, cover open or switched off)", sent)


def closed_part_way(uri: PrinterUri | str, sent: int) -> PrinterError:
    return PrinterError(uri, "ارتباط را در میانهٔ چاپ قطع کرد", "closed the connection part-way", sent)


def _connection(uri: PrinterUri, timeout: float) -> Any:
    """An opened python-escpos printer for `uri`."""
    if uri.transport is Transport.TCP:
        printer: Any = Network(uri.host, uri.port, timeout=timeout)
    elif uri.transport is Transport.USB:
        printer = Usb(uri.vendor_id, uri.product_id, timeout=int(timeout * 1000))
    elif uri.transport is Transport.SERIAL:
        printer = Serial(uri.path, baudrate=uri.baud, timeout=timeout)
    else:
        printer = File(uri.path)
    printer.open()
    if uri.transport is Transport.TCP:
        printer.device.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
    elif uri.transport is Transport.SERIAL:
        printer.device.write_timeout = timeout
    return printer


def _send_now(uri: PrinterUri, job: bytes, timeout: float, progress: list[int]) -> None:
    try:
        printer = _connection(uri, timeout)
    except DeviceNotFoundError as error:
        cause = error.__context__ or error  # the socket's, serial port's or file's own error
        raise unreachable(uri, str(cause)) from error
    except (OSError, EscposError) as error:
        raise unreachable(uri, str(error)) from error
    except ValueError as error:  # pyusb's NoBackendError: libusb is not installed
        if type(error).__name__ != "NoBackendError":
            raise
        raise PrinterError(
            uri, "برای چاپگر USB کتابخانهٔ libusb لازم است (در دبیان و اوبونتو: apt install libusb-1.0-0)",
            "a USB printer needs the libusb library (on Debian and Ubuntu: apt install libusb-1.0-0)",
        ) from error
    deadline = time.monotonic() + timeout * DEADLINE_FACTOR
    try:
        for start in range(0, len(job), CHUNK_BYTES):
            if time.monotonic() > deadline:
                raise stalled(uri, progress[0])
            printer._raw(job[start:start + CHUNK_BYTES])
            progress[0] = min(len(job), start + CHUNK_BYTES)
    except TimeoutError as error:
        raise stalled(uri, progress[0]) from error
    except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError) as error:
        raise closed_part_way(uri, progress[0]) from error
    except OSError as error:
        if "timeout" in str(error).lower():
            raise stalled(uri, progress[0]) from error
        raise closed_part_way(uri, progress[0]) from error
    finally:
        try:
            printer.close()
        except (OSError, EscposError) as error:
            log.debug("closing %s: %s", uri, error)


def send(uri: PrinterUri, job: bytes, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
    """Send `job` to the printer at `uri`; returns once the last byte was taken. PrinterError
    if it cannot be reached, stops reading for `timeout` seconds, or closes part-way. The
    caller's thread never waits longer than the deadline, whatever the transport does."""
    progress = [0]
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            _send_now(uri, job, timeout, progress)
        except BaseException as error:  # handed to the waiting thread
            outcome.append(error)
        else:
            outcome.append(None)

    worker = threading.Thread(target=run, name=f"escpos-{uri.transport}", daemon=True)
    worker.start()
    worker.join(timeout * (DEADLINE_FACTOR + 1))
    if not outcome:
        log.warning("the send to %s is still blocked; it is left behind", uri)
        raise stalled(uri, progress[0])
    if outcome[0] is not None:
        raise outcome[0]
