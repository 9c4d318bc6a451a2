"""Money rules: amounts are Decimal Rial, rounded half-up to whole Rial; Toman is display only."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from posapp.domain.errors import ValidationError
from posapp.domain.text import to_ascii_digits

RIAL_PER_TOMAN = Decimal(10)
MAX_AMOUNT = Decimal(10) ** 15
"""The largest amount posapp accepts for a price or total, in Rial."""

ZERO = Decimal(0)
_WHOLE = Decimal(1)
_GROUP_SEPARATORS = ",٬ \u00a0\u200c"
"""Thousands separators people type or paste inside a number: ',' '٬', a space, a no-break space
or a ZWNJ."""
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+|[0-9]{1,3}(?P<sep>[" + _GROUP_SEPARATORS + r"])[0-9]{3}(?:(?P=sep)[0-9]{3})*)"
    r"(?:\.[0-9]+)?"
)
"""A plain decimal number, or one whose whole part is grouped in threes by one separator."""
_AS_SHOWN = str.maketrans({"\u2212": "-", "\u2066": None, "\u2069": None, "\u200e": None, "\u200f": None})
"""How a figure is shown (U+2212 for its minus sign, bidi isolates and marks around it) read
back as plain text: a negative amount copied from the screen reads as it was shown."""


def refuse_float(value: object) -> None:
    """Binary floats cannot hold Rial amounts, quantities or rates exactly; every domain entry
    point calls this so a float is a programming error caught at once, not a Rial lost later."""
    if isinstance(value, float):
        raise TypeError("money, quantities and rates are Decimal, never float; pass Decimal, int or str")


def round_rial(amount: Decimal) -> Decimal:
    """Round to whole Rial, half away from zero (the rule used at line level)."""
    return amount.quantize(_WHOLE, rounding=ROUND_HALF_UP)


def parse_number(value: object) -> Decimal | None:
    """A decimal number read strictly from text, or None when the text is not one: Persian or
    ASCII digits, an optional sign ('-' or the '−' negative figures are shown with), the decimal point '.' or '٫', and thousands separators only
    where they group the whole part in threes ("1,250,000" yes; "1,2,3", "1e5", "NaN" no)."""
    refuse_float(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    text = to_ascii_digits(str(value).translate(_AS_SHOWN)).strip().replace("٫", ".")
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    separator = match.group("sep")
    return Decimal(text.replace(separator, "") if separator else text)


def parse_amount(value: object, *, field: str = "amount") -> Decimal:
    """Read a Rial amount from user or file input (see `parse_number` for what is accepted);
    floats, NaN and non-numbers are refused. The range is checked separately by `check_amount`."""
    amount = parse_number(value)
    if amount is None:
        raise ValidationError(
            field,
            f"«{value}» مبلغ معتبری نیست",
            f"'{value}' is not a valid amount",
        )
    return amount


def check_amount(amount: Decimal, *, field: str = "amount", allow_negative: bool = False) -> Decimal:
    """Validate an amount's range: below 10^15 Rial, and non-negative unless allowed."""
    refuse_float(amount)
    if not amount.is_finite():
        raise ValidationError(field, "مبلغ باید عدد باشد", "the amount must be a number")
    if abs(amount) >= MAX_AMOUNT:
        raise ValidationError(
            field,
            "مبلغ بیش از حد مجاز (۱۰ به توان ۱۵ ریال) است",
            "the amount is beyond the 10^15 Rial limit",
        )
    if amount < 0 and not allow_negative:
        raise ValidationError(field, "مبلغ نمی‌تواند منفی باشد", "the amount cannot be negative")
    return amount


def rial_to_toman(amount: Decimal) -> Decimal:
    """Exact Toman value of a Rial amount (may have one decimal place)."""
    return amount / RIAL_PER_TOMAN


def toman_to_rial(amount: Decimal) -> Decimal:
    return amount * RIAL_PER_TOMAN
