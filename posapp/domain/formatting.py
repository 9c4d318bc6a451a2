"""Showing money and quantities to people: Rial or Toman, Persian digits, amounts in words.

Amounts are always Decimal Rial; Toman exists only here, at display time (1 Toman = 10 Rial).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from posapp.domain.money import RIAL_PER_TOMAN, ZERO, refuse_float, round_rial
from posapp.domain.text import to_persian_digits

PERSIAN_THOUSANDS_SEPARATOR = "٬"  # U+066C ARABIC THOUSANDS SEPARATOR
PERSIAN_DECIMAL_SEPARATOR = "٫"  # U+066B ARABIC DECIMAL SEPARATOR
_PERSIAN_SEPARATORS = str.maketrans(",.", PERSIAN_THOUSANDS_SEPARATOR + PERSIAN_DECIMAL_SEPARATOR)
MINUS_SIGN = "\u2212"
"""U+2212 MINUS SIGN, the sign of a negative figure in Persian text (CLDR's Persian minus)."""
LEFT_TO_RIGHT_ISOLATE = "\u2066"
POP_DIRECTIONAL_ISOLATE = "\u2069"


class DisplayUnit(StrEnum):
    RIAL = "rial"
    TOMAN = "toman"

    @property
    def label_fa(self) -> str:
        return "ریال" if self is DisplayUnit.RIAL else "تومان"


def _as_decimal(value: Decimal | int) -> Decimal:
    refuse_float(value)
    return Decimal(value)


def _group(number: Decimal, persian_digits: bool, isolated: bool | None = None) -> str:
    """`number` (already rounded to the places it should show) with thousands grouped; a zero
    that was rounded from a small negative amount shows without a sign.

    The one rule for the sign of a negative figure: in Persian it is the minus sign U+2212 and
    the digits inside a left-to-right isolate (LRI … PDI), so that in right-to-left text the
    sign stays before the number in reading order and on its left, as Persian statements print
    it («−۱٬۲۰۰», never «۱٬۲۰۰-»), whatever text surrounds it. ASCII figures keep a plain '-'
    and are isolated only when `isolated` asks (English screens, where a Persian name may
    stand next to a figure; never in fields and files)."""
    grouped = f"{abs(number) if number.is_zero() else number:,f}"
    negative = grouped.startswith("-")
    if persian_digits:
        grouped = MINUS_SIGN * negative + to_persian_digits(
            grouped.lstrip("-").translate(_PERSIAN_SEPARATORS))
    if negative and (persian_digits if isolated is None else isolated):
        return f"{LEFT_TO_RIGHT_ISOLATE}{grouped}{POP_DIRECTIONAL_ISOLATE}"
    return grouped


def _drop_trailing_zeros(number: Decimal) -> Decimal:
    """1.500 → 1.5 and 12.0 → 12, without ever switching to exponent notation (1E+3)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def display_value(amount: Decimal | int, unit: DisplayUnit = DisplayUnit.RIAL) -> Decimal:
    """The number shown for a Rial `amount` in `unit`: whole Rial, or Toman with at most one
    decimal place (12,345.6 Toman for 123,456 Rial)."""
    rial = round_rial(_as_decimal(amount))
    if unit is DisplayUnit.RIAL:
        return rial
    return _drop_trailing_zeros(rial / RIAL_PER_TOMAN)


def format_amount(
    amount: Decimal | int,
    unit: DisplayUnit = DisplayUnit.RIAL,
    persian_digits: bool = True,
    with_unit: bool = True,
    isolated: bool | None = None,
) -> str:
    """'۱٬۲۰۰٬۰۰۰ ریال' for 1,200,000 Rial; '۱۲٬۳۴۵٫۶ تومان' for 123,456 Rial in Toman.

    With `persian_digits=False` the number uses ASCII digits, ',' and '.' (for fields and
    files); the unit word is Persian either way, as on the printed document. A negative
    figure's sign is placed as `_group` says."""
    text = _group(display_value(amount, unit), persian_digits, isolated)
    return f"{text} {unit.label_fa}" if with_unit else text


def format_quantity(quantity: Decimal | int, persian_digits: bool = True,
                    isolated: bool | None = None) -> str:
    """A quantity without trailing zeros: '۲', '۱٫۲۵', '۱٬۵۰۰', a stock below zero '−۳'
    (its sign placed as `_group` says)."""
    return _group(_drop_trailing_zeros(_as_decimal(quantity)), persian_digits, isolated)


_ONES = ("", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه")
_TEENS = (
    "ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده",
)
_TENS = ("", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود")
_HUNDREDS = ("", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد")
_SCALES = ("", "هزار", "میلیون", "میلیارد", "تریلیون", "کوادریلیون")
"""Short scale as used in Iran: 10^3, 10^6, 10^9, 10^12, 10^15."""

_AND = " و "
ZERO_WORD = "صفر"
MINUS_WORD = "منفی"


def _words_below_thousand(number: int) -> list[str]:
    hundreds, rest = divmod(number, 100)
    parts = [_HUNDREDS[hundreds]] if hundreds else []
    if 10 <= rest < 20:
        parts.append(_TEENS[rest - 10])
    else:
        tens, ones = divmod(rest, 10)
        if tens:
            parts.append(_TENS[tens])
        if ones:
            parts.append(_ONES[ones])
    return parts


def number_in_words(number: int) -> str:
    """A whole number in Persian words: 351_042 → 'سیصد و پنجاه و یک هزار و چهل و دو'.

    Works below 10^18; the thousands group is written 'یک هزار', like 'یک میلیون'."""
    if number == 0:
        return ZERO_WORD
    if number < 0:
        return f"{MINUS_WORD} {number_in_words(-number)}"
    if number >= 1000 ** len(_SCALES):
        raise ValueError("number_in_words supports numbers below 10^18")
    groups = []
    scale = 0
    while number:
        number, group = divmod(number, 1000)
        if group:
            words = _AND.join(_words_below_thousand(group))
            groups.append(f"{words} {_SCALES[scale]}" if scale else words)
        scale += 1
    return _AND.join(reversed(groups))


def amount_in_words(amount: Decimal | int, unit: DisplayUnit = DisplayUnit.RIAL) -> str:
    """A Rial amount in Persian words, as written on invoices and cheques:
    'یک میلیون و دویست هزار ریال'. In Toman a remainder of Rial is named too:
    123,456 Rial → 'دوازده هزار و سیصد و چهل و پنج تومان و شش ریال'."""
    rial = round_rial(_as_decimal(amount))
    if unit is DisplayUnit.RIAL:
        return f"{number_in_words(int(rial))} {DisplayUnit.RIAL.label_fa}"
    sign = MINUS_WORD + " " if rial < ZERO else ""
    toman, rest = divmod(int(abs(rial)), int(RIAL_PER_TOMAN))
    parts = [f"{number_in_words(toman)} {DisplayUnit.TOMAN.label_fa}"] if toman or not rest else []
    if rest:
        parts.append(f"{number_in_words(rest)} {DisplayUnit.RIAL.label_fa}")
    return sign + _AND.join(parts)
