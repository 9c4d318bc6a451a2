"""Assertions shared by the domain tests."""

from __future__ import annotations

import re

from posapp.domain.errors import ValidationError


def has_persian_letters(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def assert_bilingual(error: ValidationError, field: str) -> None:
    """The error names `field` and explains itself in Persian and in English."""
    assert error.field == field
    assert has_persian_letters(error.message_fa)
    assert error.message_en
    # English apart from the user's own input, which it may quote.
    assert not has_persian_letters(re.sub(r"'[^']*'", "", error.message_en))
    assert str(error) == error.message_en
