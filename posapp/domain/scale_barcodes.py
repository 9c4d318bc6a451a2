"""EAN-13 labels printed by shop scales: a prefix, the product's code, then its weight or price.

A shop scale prints, for weighed goods, an EAN-13 whose first digits are a prefix from a range
set aside for in-store use (commonly 20-29), followed by the product code the scale knows the
item by, then the weight in grams or the price in Rial, and the EAN check digit. A layout says
how the twelve digits before the check digit split: `20-29/5/weight` is a two-digit prefix
from 20 to 29, five digits of product code and the remaining five digits of weight in grams.
Several layouts may be active at once; the first whose prefix range holds a label reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.text import to_ascii_digits

EAN13_LENGTH = 13
QUANTITY_STEP = Decimal("0.001")
GRAMS_PER_KILOGRAM = Decimal(1000)
MIN_VALUE_DIGITS = 3


class ScaleValue(StrEnum):
    WEIGHT = "weight"
    """The value digits are the weight in grams; the quantity is in kilograms."""
    PRICE = "price"
    """The value digits are the price in Rial; the quantity is what that price buys."""


class ScaleLabelError(DomainError):
    """A scale label that cannot be used as scanned."""


def _layout_error(text: str, problem_fa: str, problem_en: str) -> ValidationError:
    return ValidationError(
        "scale_layouts",
        f"چیدمان برچسب ترازو «{text}» درست نیست: {problem_fa}. نمونه: 20-29/5/weight یا 21/5/price",
        f"scale label layout '{text}' is not valid: {problem_en}. Example: 20-29/5/weight or 21/5/price",
    )


@dataclass(frozen=True)
class ScaleLayout:
    """Prefixes `prefix_low` to `prefix_high` (each `prefix_digits` long), `code_digits` of
    product code, then the value (weight or price) up to the check digit."""

    prefix_low: int
    prefix_high: int
    prefix_digits: int
    code_digits: int
    value: ScaleValue

    @property
    def value_digits(self) -> int:
        return EAN13_LENGTH - 1 - self.prefix_digits - self.code_digits

    def holds(self, code: str) -> bool:
        """Whether the 13-digit `code` starts with one of this layout's prefixes."""
        return self.prefix_low <= int(code[:self.prefix_digits]) <= self.prefix_high

    def __str__(self) -> str:
        width = self.prefix_digits
        prefix = f"{self.prefix_low:0{width}d}"
        if self.prefix_high != self.prefix_low:
            prefix += f"-{self.prefix_high:0{width}d}"
        return f"{prefix}/{self.code_digits}/{self.value.value}"


def parse_layout(text: str) -> ScaleLayout:
    """A layout from its text form `PREFIX[-PREFIX]/CODE_DIGITS/weight|price`."""
    parts = [part.strip() for part in to_ascii_digits(text).split("/")]
    if len(parts) != 3:
        raise _layout_error(text, "سه بخش با / لازم است", "it needs three parts separated by /")
    prefixes, code_digits, value = parts
    low, _, high = prefixes.partition("-")
    high = high or low
    if not (low.isdigit() and high.isdigit()) or len(low) != len(high) or not 1 <= len(low) <= 3:
        raise _layout_error(text, "پیشوند باید یک تا سه رقم یا بازه‌ای مانند 20-29 باشد",
                            "the prefix must be one to three digits or a range like 20-29")
    if int(low) > int(high):
        raise _layout_error(text, "ابتدای بازهٔ پیشوند از انتهای آن بزرگ‌تر است",
                            "the prefix range starts after it ends")
    if not code_digits.isdigit() or not 1 <= int(code_digits) <= 12 - len(low) - MIN_VALUE_DIGITS:
        raise _layout_error(text, f"تعداد رقم‌های کد کالا باید بین ۱ و {12 - len(low) - MIN_VALUE_DIGITS} باشد",
                            f"the product code takes 1 to {12 - len(low) - MIN_VALUE_DIGITS} digits")
    if value.lower() not in ScaleValue._value2member_map_:
        raise _layout_error(text, "بخش سوم weight (وزن به گرم) یا price (قیمت به ریال) است",
                            "the third part is weight (grams) or price (Rial)")
    return ScaleLayout(int(low), int(high), len(low), int(code_digits), ScaleValue(value.lower()))


def ean13_check_digit(first_twelve: str) -> int:
    """The EAN-13 check digit of twelve ASCII digits (weights 1 and 3 from the left)."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(first_twelve))
    return (10 - total % 10) % 10


@dataclass(frozen=True)
class ScaleLabel:
    """One label as read: the product code the scale used and the weight (kg) or price (Rial)."""

    code: str
    layout: ScaleLayout
    product_code: str
    weight: Decimal | None = None
    price: Decimal | None = None

    def quantity(self, unit_price: Decimal) -> Decimal:
        """The line's quantity: the weight, or what the label's price buys at `unit_price`
        (to three decimals)."""
        if self.weight is not None:
            return self.weight
        assert self.price is not None
        if unit_price <= 0:
            raise ScaleLabelError(
                "کالای این برچسب قیمت ندارد؛ مقدار از روی مبلغ برچسب حساب نمی‌شود",
                "the label's product has no price, so its quantity cannot be worked out from the label's amount",
            )
        quantity = (self.price / unit_price).quantize(QUANTITY_STEP, rounding=ROUND_HALF_UP)
        if quantity <= 0:
            raise ScaleLabelError(f"مبلغ برچسب ({self.price} ریال) کمتر از یک گرم از این کالاست",
                                  f"the label's amount ({self.price} Rial) buys less than a gram")
        return quantity


def read_scale_label(scanned: str, layouts: tuple[ScaleLayout, ...]) -> ScaleLabel | None:
    """The label in `scanned` (Persian or Arabic-Indic digits allowed), or None when it is not
    a 13-digit code with one of the layouts' prefixes. ScaleLabelError when its check digit is
    wrong or it weighs or costs nothing."""
    code = to_ascii_digits(scanned).strip()
    if len(code) != EAN13_LENGTH or not code.isascii() or not code.isdigit():
        return None
    layout = next((layout for layout in layouts if layout.holds(code)), None)
    if layout is None:
        return None
    if ean13_check_digit(code[:12]) != int(code[12]):
        raise ScaleLabelError(
            f"رقم کنترل برچسب ترازو «{code}» درست نیست؛ برچسب را دوباره اسکن کنید یا کالا را دستی وارد کنید",
            f"the check digit of scale label {code} is wrong; scan it again or enter the item by hand",
        )
    start = layout.prefix_digits
    product_code = code[start:start + layout.code_digits]
    value = Decimal(int(code[start + layout.code_digits:12]))
    if value == 0:
        raise ScaleLabelError(f"برچسب ترازو «{code}» وزن یا مبلغ ندارد", f"scale label {code} has no weight or amount")
    if layout.value is ScaleValue.WEIGHT:
        return ScaleLabel(code, layout, product_code, weight=value / GRAMS_PER_KILOGRAM)
    return ScaleLabel(code, layout, product_code, price=value)
