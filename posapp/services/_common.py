"""Small helpers shared by the services: id chunking, text checks and progress/cancel types."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

from posapp.domain.errors import DomainError, ValidationError

T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Called with (done, total) while a long job runs."""
Cancel = Callable[[], bool]
"""Returns True when the user asked to stop a long job."""

CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc): never part of a name, a code or an address."""

SQL_CHUNK = 500
"""Ids per `IN (...)` list, below every database's bind-parameter limit."""


class CancelledError(DomainError):
    """A long job was stopped by the user; nothing of it was saved."""

    def __init__(self) -> None:
        super().__init__("عملیات لغو شد و چیزی ذخیره نشد", "the job was cancelled; nothing was saved")


def decimal_places(value: Decimal) -> int:
    """How many digits a Decimal has after the point, ignoring trailing zeros."""
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def chunks(items: Sequence[T], size: int = SQL_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _single_line(value: str, *, field: str, label_fa: str, label_en: str) -> str:
    """`value` with every run of white space (line breaks and tabs too) made one space; other
    control characters (a NUL byte, an escape) are refused, never stored."""
    text = " ".join(str(value).split())
    if CONTROL_CHARACTERS.search(text):
        raise ValidationError(
            field, f"{label_fa} نویسه کنترلی نامعتبر (مانند NUL) دارد",
            f"the {label_en} contains a control character (such as NUL)",
        )
    return text


def required_text(value: str, *, field: str, label_fa: str, label_en: str, max_length: int) -> str:
    """Stripped single-line text that must not be empty nor longer than `max_length`."""
    text = _single_line(value, field=field, label_fa=label_fa, label_en=label_en)
    if not text:
        raise ValidationError(field, f"{label_fa} را وارد کنید", f"enter the {label_en}")
    if len(text) > max_length:
        raise ValidationError(
            field, f"{label_fa} حداکثر {max_length} نویسه است",
            f"the {label_en} takes at most {max_length} characters",
        )
    return text


def optional_text(value: str, *, field: str, label_fa: str, label_en: str, max_length: int) -> str:
    text = _single_line(value, field=field, label_fa=label_fa, label_en=label_en)
    if len(text) > max_length:
        raise ValidationError(
            field, f"{label_fa} حداکثر {max_length} نویسه است",
            f"the {label_en} takes at most {max_length} characters",
        )
    return text
