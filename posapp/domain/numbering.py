"""Invoice numbers: gapless per till and series, allocated locally, formatted one way."""

from __future__ import annotations

import re

from posapp.domain.errors import ValidationError

_CODE = re.compile(r"^[A-Za-z0-9]{1,8}$")


def check_series_code(code: str, *, field: str) -> str:
    """Till and series codes are short ASCII codes so numbers stay valid provider keys."""
    if not _CODE.match(code):
        raise ValidationError(
            field, "کد صندوق یا سری باید ۱ تا ۸ حرف یا رقم لاتین باشد",
            "till and series codes are 1 to 8 Latin letters or digits",
        )
    return code


def format_invoice_number(till: str, series: str, sequence: int) -> str:
    """`{till}{series}-{sequence:06d}`, e.g. `1A-000042`; unique per shop, stable forever."""
    check_series_code(till, field="till")
    check_series_code(series, field="series")
    if sequence < 1:
        raise ValueError("invoice sequences start at 1")
    return f"{till}{series}-{sequence:06d}"
