"""Value-added tax: the rate by Jalali year of the invoice date, and per-product exceptions.

Rates are Decimal fractions (0.10 for 10%), the form `InvoiceLine.tax_rate` takes. Iran's rate
was 9% (6% tax + 3% municipal duty) up to the end of 1402 and is 10% from 1 Farvardin 1403
(budget law 1403, note 6 clause ر; docs/providers.md); later years are configuration, not code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from posapp.domain.errors import ValidationError
from posapp.domain.jalali import jalali_year
from posapp.domain.money import ZERO, refuse_float

ONE = Decimal(1)

DEFAULT_VAT_RATES: Mapping[int, Decimal] = MappingProxyType(
    {0: Decimal("0.09"), 1403: Decimal("0.10")}
)
"""First Jalali year → rate from that year on. Year 0 stands for "every earlier year"."""


def check_tax_rate(rate: object, *, field: str = "tax_rate") -> Decimal:
    """A tax rate as a Decimal fraction in [0, 1); strings are read, floats refused. A value
    like 10 (meant as a percentage) is refused with a hint rather than taken as 1000%."""
    refuse_float(rate)
    try:
        value = Decimal(str(rate).strip())
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or not ZERO <= value < ONE:
        raise ValidationError(
            field,
            f"نرخ مالیات «{rate}» نامعتبر است؛ کسری بین ۰ و ۱ بنویسید (۰٫۱۰ یعنی ۱۰٪)",
            f"the tax rate '{rate}' is not valid; give a fraction from 0 to 1 (0.10 means 10%)",
        )
    return value


class VatTable:
    """An immutable table of VAT rates keyed by the first Jalali year they apply to: the rate of a
    day is the one under the greatest key not after that day's Jalali year (in Tehran).

    Built from a mapping {first_jalali_year: rate}; keys and rates may also be strings, so a table
    read back from JSON settings (`{"0": "0.09", "1403": "0.10"}`) round-trips. Safe to share
    between threads."""

    __slots__ = ("_rates",)
    _rates: Mapping[int, Decimal]

    def __init__(self, rates: Mapping[int, Decimal] | Mapping[str, str] | None = None) -> None:
        chosen = DEFAULT_VAT_RATES if rates is None else rates
        source: list[tuple[int | str, object]] = [(year, rate) for year, rate in chosen.items()]
        if not source:
            raise ValidationError(
                "vat_table", "جدول نرخ مالیات خالی است", "the VAT table has no rates",
            )
        parsed: dict[int, Decimal] = {}
        for year, rate in source:
            try:
                first_year = int(year)
            except (TypeError, ValueError):
                first_year = -1
            if first_year < 0:
                raise ValidationError(
                    "vat_table",
                    f"سال «{year}» در جدول نرخ مالیات معتبر نیست",
                    f"'{year}' is not a valid Jalali year in the VAT table",
                )
            parsed[first_year] = check_tax_rate(rate, field="vat_table")
        object.__setattr__(self, "_rates", MappingProxyType(dict(sorted(parsed.items()))))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("VatTable is immutable; build a new one with with_rate()")

    @property
    def rates(self) -> Mapping[int, Decimal]:
        """First Jalali year → rate, oldest first (read-only). Look rates up with `rate_for`."""
        return self._rates

    def __hash__(self) -> int:
        return hash(tuple(self._rates.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, VatTable):
            return dict(self._rates) == dict(other._rates)
        return NotImplemented

    def __repr__(self) -> str:
        return f"VatTable({dict(self._rates)!r})"

    def with_rate(self, first_year: int, rate: Decimal) -> VatTable:
        """A new table where `rate` applies from Jalali year `first_year` on."""
        return VatTable({**self._rates, first_year: rate})

    def rate_for_year(self, year: int) -> Decimal:
        """The rate in force during Jalali `year`."""
        applicable = [first for first in self._rates if first <= year]
        if not applicable:
            raise ValidationError(
                "tax_rate",
                f"برای سال {year} نرخ مالیاتی تعریف نشده است",
                f"no VAT rate is configured for the year {year}",
            )
        return self._rates[max(applicable)]

    def rate_for(self, day: date | datetime) -> Decimal:
        """The rate for an invoice dated `day` (its Jalali year in Tehran decides)."""
        return self.rate_for_year(jalali_year(day))

    def as_strings(self) -> dict[str, str]:
        """The table as JSON-friendly strings; `VatTable(table.as_strings())` gives it back."""
        return {str(year): str(rate) for year, rate in self._rates.items()}


DEFAULT_VAT_TABLE = VatTable()


def tax_rate_for_product(
    table: VatTable,
    day: date | datetime,
    override: Decimal | None = None,
    exempt: bool = False,
) -> Decimal:
    """The rate to copy onto a sold line: 0 for an exempt product, else the product's own
    override when it has one, else the table's rate for the invoice date."""
    if exempt:
        return ZERO
    if override is not None:
        return check_tax_rate(override, field="tax_override")
    return table.rate_for(day)
