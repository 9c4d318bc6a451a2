"""The Moadian 22-character tax ID (شماره منحصر به فرد مالیاتی) with its Verhoeff check digit.

Layout (the tax administration's official SDKs, `TaxIdProviderImpl`; see docs/moadian.md):
6 characters of fiscal-memory ID + 5 hex digits of days since 1970-01-01 UTC + 10 hex digits
of the invoice serial + 1 Verhoeff check digit, all upper-case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from posapp.domain.errors import ValidationError
from posapp.domain.jalali import IRAN_TZ

_MEMORY_ID = re.compile(r"[A-Z0-9]{6}")
_TAX_ID = re.compile(r"([A-Z0-9]{6})([0-9A-F]{5})([0-9A-F]{10})([0-9])")
SECONDS_PER_DAY = 86_400
MAX_SERIAL = 16**10 - 1
MAX_DAYS = 16**5 - 1

# Verhoeff's dihedral group D5: multiplication, position permutation and inverse tables.
_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_VERHOEFF_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def verhoeff_check_digit(digits: str) -> int:
    """The Verhoeff check digit to append to the decimal string `digits`."""
    check = 0
    for position, digit in enumerate(reversed(digits), start=1):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(digit)]]
    return _VERHOEFF_INV[check]


@dataclass(frozen=True)
class TaxIdParts:
    """A tax ID taken apart: `serial` is what Moadian's `inno` is commonly taken from."""

    memory_id: str
    days: int
    serial: int
    check_digit: int


def check_memory_id(memory_id: str) -> str:
    if not _MEMORY_ID.fullmatch(memory_id):
        raise ValidationError(
            "memory_id",
            "شناسه یکتای حافظه مالیاتی باید ۶ حرف یا رقم لاتین باشد",
            "the fiscal memory ID is 6 Latin letters or digits",
        )
    return memory_id


def _check_payload(memory_id: str, days: int, serial: int) -> str:
    """The decimal string the check digit is computed over: the memory ID with every letter
    replaced by its ASCII code (digits kept as they are), then days and serial zero-padded."""
    memory_decimal = "".join(ch if ch.isdigit() else str(ord(ch)) for ch in memory_id)
    return f"{memory_decimal}{days:06d}{serial:012d}"


def days_since_epoch(at: datetime) -> int:
    """Whole days since 1970-01-01 UTC; a naive `at` is Tehran wall-clock time, as everywhere
    in the domain."""
    aware = at if at.tzinfo is not None and at.utcoffset() is not None else at.replace(tzinfo=IRAN_TZ)
    return int(aware.astimezone(UTC).timestamp()) // SECONDS_PER_DAY


def make_tax_id(memory_id: str, at: datetime, serial: int) -> str:
    """The 22-character tax ID of the invoice numbered `serial` (1 … 16^10 − 1) issued `at`
    under fiscal memory `memory_id`, e.g. `A1B2C304D5A00000000015`."""
    memory_id = check_memory_id(memory_id.strip().upper())
    if not 1 <= serial <= MAX_SERIAL:
        raise ValidationError(
            "serial",
            "سریال صورتحساب مودیان باید عددی مثبت و کمتر از ۱۶ به توان ۱۰ باشد",
            "the Moadian invoice serial must be a positive number below 16^10",
        )
    days = days_since_epoch(at)
    if not 0 <= days <= MAX_DAYS:
        raise ValidationError(
            "issued_at", "تاریخ صورتحساب خارج از بازه است", "the invoice date is out of range",
        )
    check = verhoeff_check_digit(_check_payload(memory_id, days, serial))
    return f"{memory_id}{days:05X}{serial:010X}{check}"


def parse_tax_id(text: str, *, field: str = "tax_id") -> TaxIdParts:
    """Take a tax ID apart, refusing wrong shapes and wrong check digits."""
    match = _TAX_ID.fullmatch(text)
    if match is None:
        raise ValidationError(
            field,
            "شماره مالیاتی باید ۲۲ حرف و رقم لاتین بزرگ باشد",
            "a tax ID is 22 upper-case Latin letters and digits",
        )
    memory_id, days_hex, serial_hex, check_text = match.groups()
    parts = TaxIdParts(memory_id, int(days_hex, 16), int(serial_hex, 16), int(check_text))
    expected = verhoeff_check_digit(_check_payload(parts.memory_id, parts.days, parts.serial))
    if parts.check_digit != expected:
        raise ValidationError(
            field,
            "رقم کنترل شماره مالیاتی درست نیست",
            "the tax ID's check digit is wrong",
        )
    return parts


def is_valid_tax_id(text: str) -> bool:
    """True for a well-formed tax ID whose Verhoeff check digit is right."""
    try:
        parse_tax_id(text)
    except ValidationError:
        return False
    return True
