"""Where an ESC/POS printer is: `tcp://`, `usb://VID:PID`, `serial://DEVICE?baud=` and `file://` URIs.

The receipt-printer setting holds either a system printer's name (printed through the operating
system) or one of these URIs (printed straight to the printer). `parse_printer_uri` turns the
text into a `PrinterUri`, or raises `PrinterUriError` saying what is wrong, in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from posapp.domain.errors import ValidationError
from posapp.domain.text import to_ascii_digits

DEFAULT_TCP_PORT = 9100
DEFAULT_BAUD = 9600
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


class Transport(StrEnum):
    TCP = "tcp"
    USB = "usb"
    SERIAL = "serial"
    FILE = "file"


EXAMPLES = "tcp://192.168.1.50:9100, usb://04b8:0202, serial:///dev/ttyUSB0?baud=9600, file:///dev/usb/lp0"


class PrinterUriError(ValidationError):
    """The receipt printer's address cannot be used; the message names the fix."""

    def __init__(self, text: str, problem_fa: str, problem_en: str) -> None:
        super().__init__(
            "printer_uri",
            f"نشانی چاپگر «{text}» درست نیست: {problem_fa}. نمونه‌ها: {EXAMPLES}",
            f"printer address '{text}' is not valid: {problem_en}. Examples: {EXAMPLES}",
        )


@dataclass(frozen=True)
class PrinterUri:
    """One parsed address. `host`/`port` for TCP, `vendor_id`/`product_id` for USB, `path`
    (and `baud` for serial) for serial ports and files or devices."""

    transport: Transport
    host: str = ""
    port: int = DEFAULT_TCP_PORT
    vendor_id: int = 0
    product_id: int = 0
    path: str = ""
    baud: int = DEFAULT_BAUD

    def __str__(self) -> str:
        if self.transport is Transport.TCP:
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"tcp://{host}:{self.port}"
        if self.transport is Transport.USB:
            return f"usb://{self.vendor_id:04x}:{self.product_id:04x}"
        if self.transport is Transport.SERIAL:
            return f"serial://{self.path}?baud={self.baud}"
        return f"file://{self.path}"


def is_printer_uri(text: str) -> bool:
    """Whether the receipt-printer setting names an ESC/POS printer (a URI with one of our
    schemes) rather than a system printer."""
    scheme, separator, _ = text.strip().partition("://")
    return bool(separator) and scheme.lower() in Transport._value2member_map_


def parse_printer_uri(text: str) -> PrinterUri:
    """The printer at `text`; PrinterUriError when it is not one of the four forms."""
    raw = to_ascii_digits(text.strip())
    scheme, separator, _ = raw.partition("://")
    if not separator or scheme.lower() not in Transport._value2member_map_:
        raise PrinterUriError(text, "باید با tcp://، usb://، serial:// یا file:// شروع شود",
                              "it must start with tcp://, usb://, serial:// or file://")
    transport = Transport(scheme.lower())
    parts = urlsplit(raw)
    if transport is Transport.TCP:
        return _tcp(text, parts.hostname or "", parts)
    if transport is Transport.USB:
        return _usb(text, parts.netloc)
    path = unquote(parts.netloc + parts.path)
    if not path:
        raise PrinterUriError(text, "مسیر دستگاه یا فایل خالی است", "the device or file path is empty")
    if transport is Transport.FILE:
        if parts.query:
            raise PrinterUriError(text, "file:// گزینه‌ای نمی‌پذیرد", "file:// takes no options")
        return PrinterUri(transport, path=path)
    return PrinterUri(transport, path=path, baud=_baud(text, parts.query))


def _tcp(text: str, host: str, parts: SplitResult) -> PrinterUri:
    if not host:
        raise PrinterUriError(text, "نام یا نشانی IP چاپگر نیامده است", "the printer's host name or IP is missing")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise PrinterUriError(text, "درگاه باید عددی بین ۱ و ۶۵۵۳۵ باشد", "the port must be a number from 1 to 65535")
    if parts.path.strip("/") or parts.query:
        raise PrinterUriError(text, "پس از میزبان و درگاه چیزی نباید بیاید",
                              "nothing may follow the host and port")
    return PrinterUri(Transport.TCP, host=host, port=port or DEFAULT_TCP_PORT)


def _usb(text: str, netloc: str) -> PrinterUri:
    vendor, colon, product = netloc.partition(":")
    try:
        if not colon:
            raise ValueError(netloc)
        vendor_id, product_id = int(vendor, 16), int(product, 16)
    except ValueError:
        raise PrinterUriError(text, "شناسهٔ سازنده و محصول باید به شکل VID:PID شانزده‌شانزدهی باشد (مانند 04b8:0202)",
                              "vendor and product id must be hexadecimal VID:PID (like 04b8:0202)") from None
    if not (0 < vendor_id <= 0xFFFF and 0 < product_id <= 0xFFFF):
        raise PrinterUriError(text, "شناسه‌ها باید بین 0001 و ffff باشند", "the ids must be from 0001 to ffff")
    return PrinterUri(Transport.USB, vendor_id=vendor_id, product_id=product_id)


def _baud(text: str, query: str) -> int:
    options = parse_qs(query, keep_blank_values=True)
    unknown = set(options) - {"baud"}
    if unknown:
        raise PrinterUriError(text, f"گزینهٔ ناشناخته: {', '.join(sorted(unknown))}",
                              f"unknown option: {', '.join(sorted(unknown))}")
    if "baud" not in options:
        return DEFAULT_BAUD
    value = options["baud"][-1]
    if not value.isdigit() or int(value) not in BAUD_RATES:
        rates = ", ".join(map(str, BAUD_RATES))
        raise PrinterUriError(text, f"سرعت (baud) باید یکی از {rates} باشد", f"baud must be one of {rates}")
    return int(value)
