"""Iranian identifiers typed at the counter: national IDs, legal IDs, economic codes,
registration numbers, postal codes, mobiles.

Each validator accepts what people really type (Persian or Arabic-Indic digits, spaces, dashes)
and returns the canonical ASCII form to store, or raises ValidationError naming the field with a
Persian and an English message. Empty input is an error too; callers skip optional blank fields.
"""

from __future__ import annotations

import re

from posapp.domain.errors import ValidationError
from posapp.domain.text import to_ascii_digits

_SEPARATORS = re.compile("[\\s\\-‐‑–—_./()\u200c-\u200f\u202a-\u202e]")
"""Spaces, dashes, dots, slashes, parentheses, ZWNJ and the invisible direction marks that come
along when a number is copied out of right-to-left text."""


def _digits_only(text: str) -> str:
    """`text` with digits made ASCII and the separators people type removed."""
    return _SEPARATORS.sub("", to_ascii_digits(text))


def _repeated_digit(digits: str) -> bool:
    return len(set(digits)) == 1


def national_id_check_digit(first_nine: str) -> int:
    """The کد ملی check digit: Σ digit × (10 − position) mod 11; below 2 it is the remainder
    itself, otherwise 11 minus it."""
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return remainder if remainder < 2 else 11 - remainder


def validate_national_id(text: str, *, field: str = "national_id") -> str:
    """A natural person's national ID (کد ملی): 10 digits, not one digit repeated, with the
    mod-11 check digit last. Returns the 10 ASCII digits."""
    digits = _digits_only(text)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(
            field,
            "کد ملی باید ۱۰ رقم باشد",
            "a national ID (kod-e melli) has exactly 10 digits",
        )
    if _repeated_digit(digits) or national_id_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            field,
            "کد ملی معتبر نیست؛ رقم‌ها را دوباره بررسی کنید",
            "the national ID is not valid; check the digits again",
        )
    return digits


_LEGAL_ID_WEIGHTS = (29, 27, 23, 19, 17)


def legal_national_id_check_digit(first_ten: str) -> int:
    """The شناسه ملی check digit: every one of the first ten digits is offset by (tenth digit + 2)
    and weighted 29, 27, 23, 19, 17 in turn; the sum mod 11 is the check digit (10 counts as 0)."""
    offset = int(first_ten[9]) + 2
    total = sum(
        (int(d) + offset) * _LEGAL_ID_WEIGHTS[i % len(_LEGAL_ID_WEIGHTS)]
        for i, d in enumerate(first_ten)
    )
    return total % 11 % 10


def validate_legal_national_id(text: str, *, field: str = "national_id") -> str:
    """A legal person's national ID (شناسه ملی): 11 digits whose serial part (digits 4 to 9) is
    not all zeros, with the check digit last. Returns the 11 ASCII digits."""
    digits = _digits_only(text)
    if not re.fullmatch(r"[0-9]{11}", digits):
        raise ValidationError(
            field,
            "شناسه ملی باید ۱۱ رقم باشد",
            "a legal national ID (shenase-ye melli) has exactly 11 digits",
        )
    if digits[3:9] == "000000" or legal_national_id_check_digit(digits[:10]) != int(digits[10]):
        raise ValidationError(
            field,
            "شناسه ملی معتبر نیست؛ رقم‌ها را دوباره بررسی کنید",
            "the legal national ID is not valid; check the digits again",
        )
    return digits


ECONOMIC_CODE_LENGTHS = range(10, 15)
"""An economic code (کد اقتصادی) has 10 to 14 digits."""
REGISTRATION_NUMBER_MAX_DIGITS = 20


def validate_economic_code(text: str, *, field: str = "economic_code") -> str:
    """An economic code (کد اقتصادی) of 10 to 14 digits, returned as ASCII digits."""
    digits = _digits_only(text)
    if not digits.isdigit() or len(digits) not in ECONOMIC_CODE_LENGTHS:
        raise ValidationError(field, "کد اقتصادی باید ۱۰ تا ۱۴ رقم باشد",
                              "the economic code has 10 to 14 digits")
    return digits


def validate_registration_number(text: str, *, field: str = "registration_number") -> str:
    """A company registration number (شماره ثبت): digits only, at most 20."""
    digits = _digits_only(text)
    if not digits.isdigit() or len(digits) > REGISTRATION_NUMBER_MAX_DIGITS:
        raise ValidationError(field, "شماره ثبت فقط رقم است", "the registration number is digits only")
    return digits


def validate_postal_code(text: str, *, field: str = "postal_code") -> str:
    """A 10-digit Iran Post code (کد پستی), returned as 10 ASCII digits.

    The rule implemented is the one Iran Post's numbering follows and most Iranian software
    checks: the first five digits (the area part) never use 0 or 2, and a code is never one
    digit repeated. The last five digits are not restricted further, so no real address is
    refused."""
    digits = _digits_only(text)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(field, "کد پستی باید ۱۰ رقم باشد", "a postal code has exactly 10 digits")
    if _repeated_digit(digits) or re.search(r"[02]", digits[:5]):
        raise ValidationError(
            field,
            "کد پستی معتبر نیست؛ در پنج رقم اول آن ۰ و ۲ نمی‌آید",
            "the postal code is not valid; its first five digits never contain 0 or 2",
        )
    return digits


_MOBILE_PREFIXES = ("00980", "+980", "980", "0098", "+98", "98", "0")
"""International and trunk prefixes; "+98 (0)912…" is written too, hence the forms with 0."""


def normalize_mobile(text: str, *, field: str = "mobile") -> str:
    """An Iranian mobile number in the form 09xxxxxxxxx, from any common way of writing it:
    09121234567, 9121234567, +989121234567, 00989121234567, 989121234567, +98 (0)912…, with
    spaces, dashes, parentheses and Persian digits."""
    digits = _digits_only(text)
    national = digits
    for prefix in _MOBILE_PREFIXES:
        if digits.startswith(prefix) and len(digits) - len(prefix) == 10:
            national = digits[len(prefix):]
            break
    if not re.fullmatch(r"9[0-9]{9}", national):
        raise ValidationError(
            field,
            "شماره موبایل معتبر نیست؛ به شکل ۰۹۱۲۱۲۳۴۵۶۷ بنویسید",
            "the mobile number is not valid; write it as 09121234567",
        )
    return "0" + national
