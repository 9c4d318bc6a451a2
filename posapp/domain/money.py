"""Money rules: amounts are Decimal Rial, rounded half-up to whole Rial; Toman is display only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from posapp.domain.errors import ValidationError
from posapp.domain.text import to_ascii_digits

RIAL_PER_TOMAN = Decimal(10)
MAX_AMOUNT = Decimal(10) ** 15
"""The largest amount posapp accepts for a price or total, in Rial."""

ZERO = Decimal(0)
_WHOLE = Decimal(1)
_AMOUNT_NOISE = str.maketrans("", "", ",٬ \u00a0\u200c")
"""Thousands separators and spaces people type or paste inside an amount."""


def refuse_float(value: object) -> None:
    """Binary floats cannot hold Rial amounts, quantities or rates exactly; every domain entry
    point calls this so a float is a programming error caught at once, not a Rial lost later."""
    if isinstance(value, float):
        raise TypeError("money, quantities and rates are Decimal, never float; pass Decimal, int or str")


def round_rial(amount: Decimal) -> Decimal:
    """Round to whole Rial, half away from zero (the rule used at line level)."""
    return amount.quantize(_WHOLE, rounding=ROUND_HALF_UP)


def parse_amount(value: object, *, field: str = "amount") -> Decimal:
    """Read a Rial amount from user or file input: Persian or ASCII digits, thousands separators
    (',' or '٬') and the Persian decimal separator '٫' are accepted; floats, NaN and non-numbers
    are refused. The range is checked separately by `check_amount`."""
    refuse_float(value)
    text = to_ascii_digits(str(value)).translate(_AMOUNT_NOISE).replace("٫", ".")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(
            field,
            f"«{value}» مبلغ معتبری نیست",
            f"'{value}' is not a valid amount",
        ) from None
    if not amount.is_finite():
        raise ValidationError(field, "مبلغ باید عدد باشد", "the amount must be a number")
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
