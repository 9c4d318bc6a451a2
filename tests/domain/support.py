"""Assertions shared by the domain tests."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

from hypothesis import settings

from posapp.domain.errors import ValidationError

domain_settings = settings(
    max_examples=int(os.environ.get("POSAPP_DOMAIN_EXAMPLES", "200")), deadline=None,
)
"""Hypothesis settings of every domain property test, applied per test so other folders keep
their own. `POSAPP_DOMAIN_EXAMPLES=5000` searches much longer, for a run by hand."""

ISSUED_AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
"""A fixed issue moment (12 Ordibehesht 1403, so the 10% VAT year) for lifecycle tests."""


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
