"""Cash in the drawer: Iranian note denominations, counting by notes and what a shift expects.

Amounts are Decimal Rial. Pure Python, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from posapp.domain.errors import ValidationError
from posapp.domain.money import ZERO
from posapp.domain.text import to_ascii_digits

DEFAULT_DENOMINATIONS: tuple[Decimal, ...] = tuple(Decimal(n) for n in (
    10_000_000, 5_000_000, 2_000_000, 1_000_000, 500_000, 200_000, 100_000, 50_000, 20_000, 10_000,
))
"""Iranian notes and Iran Cheques in Rial, largest first (1,000,000 Toman down to 1,000 Toman)."""


def parse_denominations(text: str) -> tuple[Decimal, ...]:
    """A comma-separated list of note values in Rial, as the setting stores it."""
    values: list[Decimal] = []
    for part in to_ascii_digits(text).replace("،", ",").split(","):
        part = part.strip().replace("_", "")
        if not part:
            continue
        if not part.isdigit() or int(part) <= 0:
            raise ValidationError("denominations", f"«{part}» اسکناس معتبری نیست",
                                  f"'{part}' is not a valid note value")
        values.append(Decimal(int(part)))
    return tuple(sorted(set(values), reverse=True)) or DEFAULT_DENOMINATIONS


def counted_total(counts: Mapping[Decimal, int]) -> Decimal:
    """The cash a count by notes adds up to; refuses negative counts."""
    total = ZERO
    for value, count in counts.items():
        if count < 0:
            raise ValidationError("counted", "تعداد اسکناس نمی‌تواند منفی باشد", "a note count cannot be negative")
        total += value * count
    return total


def check_cash_amount(amount: Decimal, field: str) -> Decimal:
    """A cash amount typed at the till: whole Rial, not negative."""
    if amount < 0 or amount != amount.to_integral_value():
        raise ValidationError(field, "مبلغ باید ریال کامل و نامنفی باشد",
                              "the amount must be whole Rial and not negative")
    return amount


def expected_cash(opening_float: Decimal, cash_in: Decimal, cash_out: Decimal,
                  paid_in: Decimal, paid_out: Decimal) -> Decimal:
    """What the drawer should hold: the float, cash taken for sales (net of change), less cash
    refunded, plus paid-in, less paid-out."""
    return opening_float + cash_in - cash_out + paid_in - paid_out
