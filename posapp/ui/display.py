"""How the UI shows and reads numbers, money and dates for the current language and unit.

A thin layer over posapp.domain.formatting / jalali / text: Persian digits in the Persian UI,
ASCII digits in the English one, Jalali dates in both, amounts in Rial or Toman as the user
chose. Amounts typed by the user are read back in the display unit and returned in Rial.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication

from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.formatting import DisplayUnit, format_amount, format_quantity
from posapp.domain.jalali import format_jalali_date, format_jalali_datetime
from posapp.domain.money import check_amount, parse_amount, round_rial, toman_to_rial
from posapp.domain.text import to_ascii_digits, to_persian_digits


@dataclass(frozen=True)
class Display:
    """Formatting rules of one UI session; immutable, safe to share between widgets."""

    language: str = "fa"
    unit: DisplayUnit = DisplayUnit.RIAL

    @property
    def persian_digits(self) -> bool:
        return self.language == "fa"

    @property
    def unit_label(self) -> str:
        if self.unit is DisplayUnit.RIAL:
            return QCoreApplication.translate("Display", "ریال")
        return QCoreApplication.translate("Display", "تومان")

    def amount(self, rial: Decimal | int, with_unit: bool = False) -> str:
        """Grouped digits of the UI, and the unit when asked; a negative amount is bidi-isolated
        with its sign before the number in both languages (posapp.domain.formatting)."""
        text = format_amount(rial, self.unit, persian_digits=self.persian_digits, with_unit=False,
                             isolated=True)
        return f"{text} {self.unit_label}" if with_unit else text

    @staticmethod
    def isolated(text: str) -> str:
        """A name or other user text put in a sentence inside a first-strong isolate (FSI…PDI):
        a Persian name in English text cannot pull the figure after it into its direction."""
        return f"\u2068{text}\u2069"

    def quantity(self, quantity: Decimal | int) -> str:
        return format_quantity(quantity, persian_digits=self.persian_digits, isolated=True)

    def number(self, value: int | str) -> str:
        text = str(value)
        return to_persian_digits(text) if self.persian_digits else text

    def date(self, day: date | datetime | None) -> str:
        return format_jalali_date(day, persian_digits=self.persian_digits) if day else ""

    def datetime(self, moment: datetime | None) -> str:
        return format_jalali_datetime(moment, persian_digits=self.persian_digits) if moment else ""

    def percent(self, value: Decimal) -> str:
        return self.number(f"{value.normalize():f}") + "٪"

    def error(self, error: DomainError) -> str:
        return error.message(self.language)

    def amount_for_editing(self, rial: Decimal) -> str:
        """The value put in an editable amount field: display unit, ASCII digits, no grouping."""
        value = rial if self.unit is DisplayUnit.RIAL else rial / 10
        return f"{value.normalize():f}" if value != value.to_integral_value() else f"{value:.0f}"

    def parse_amount(self, text: str, *, field: str = "amount") -> Decimal:
        """A user-typed amount in the display unit (Persian or ASCII digits, grouping allowed)
        as whole Rial; raises ValidationError with both messages."""
        value = parse_amount(to_ascii_digits(text).replace("٫", "."), field=field)
        rial = toman_to_rial(value) if self.unit is DisplayUnit.TOMAN else value
        if rial != round_rial(rial):
            raise ValidationError(
                field, "مبلغ باید به ریال عدد صحیح باشد", "the amount must be a whole number of Rial",
            )
        return check_amount(rial, field=field)


def parse_quantity(text: str, *, field: str = "quantity") -> Decimal:
    """A user-typed quantity (Persian or ASCII digits, '٫' or '.' as decimal point)."""
    cleaned = to_ascii_digits(text).replace("٫", ".").replace("٬", "").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        raise ValidationError(
            field, f"«{text}» عدد معتبری نیست", f"'{text}' is not a valid number",
        ) from None
    if not value.is_finite():
        raise ValidationError(field, "مقدار باید عدد باشد", "the quantity must be a number")
    return value


def parse_percent(text: str, *, field: str = "discount") -> Decimal:
    return parse_quantity(text.replace("%", "").replace("٪", ""), field=field)
