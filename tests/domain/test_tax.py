"""VAT rates by Jalali year, configurable tables and per-product exemption and override."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from posapp.domain.errors import ValidationError
from posapp.domain.tax import DEFAULT_VAT_TABLE, VatTable, check_tax_rate, tax_rate_for_product
from tests.domain.support import assert_bilingual

NOWRUZ_1403 = date(2024, 3, 20)
LAST_DAY_OF_1402 = date(2024, 3, 19)


def test_default_rates():
    table = VatTable()
    assert table.rate_for(date(2020, 6, 1)) == Decimal("0.09")
    assert table.rate_for(LAST_DAY_OF_1402) == Decimal("0.09")
    assert table.rate_for(NOWRUZ_1403) == Decimal("0.10")
    assert table.rate_for(date(2026, 11, 23)) == Decimal("0.10")
    assert table == DEFAULT_VAT_TABLE


def test_the_year_is_taken_in_tehran():
    # 20:45 UTC on 19 March 2024 is already 00:15 on Nowruz 1403 in Tehran.
    assert VatTable().rate_for(datetime(2024, 3, 19, 20, 45, tzinfo=UTC)) == Decimal("0.10")
    assert VatTable().rate_for(datetime(2024, 3, 19, 20, 15, tzinfo=UTC)) == Decimal("0.09")


def test_custom_table_and_later_years():
    table = VatTable({0: Decimal("0.09"), 1403: Decimal("0.10"), 1405: Decimal("0.12")})
    assert table.rate_for_year(1402) == Decimal("0.09")
    assert table.rate_for_year(1404) == Decimal("0.10")
    assert table.rate_for_year(1405) == Decimal("0.12")
    assert table.rate_for_year(1410) == Decimal("0.12")


def test_with_rate_returns_a_new_table():
    table = VatTable()
    raised = table.with_rate(1406, Decimal("0.11"))
    assert raised.rate_for_year(1406) == Decimal("0.11")
    assert table.rate_for_year(1406) == Decimal("0.10")
    assert raised != table


def test_table_is_immutable_and_hashable():
    table = VatTable()
    with pytest.raises(AttributeError):
        table._rates = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        table.rates[1410] = Decimal("0.5")  # type: ignore[index]
    assert hash(table) == hash(VatTable())
    source = {0: Decimal("0.09")}
    built = VatTable(source)
    source[0] = Decimal("0.5")
    assert built.rate_for_year(1400) == Decimal("0.09")


def test_round_trips_through_json_strings():
    table = VatTable({0: Decimal("0.09"), 1403: Decimal("0.10")})
    assert table.as_strings() == {"0": "0.09", "1403": "0.10"}
    assert VatTable(table.as_strings()) == table


def test_years_before_the_table_have_no_rate():
    table = VatTable({1403: Decimal("0.10")})
    with pytest.raises(ValidationError) as caught:
        table.rate_for_year(1402)
    assert "1402" in caught.value.message_en
    assert caught.value.message_fa


@pytest.mark.parametrize(
    "rates",
    [{}, {0: Decimal(10)}, {0: Decimal(1)}, {0: Decimal("-0.01")}, {0: "abc"}, {"x": "0.1"},
     {-1: Decimal("0.1")}],
)
def test_bad_tables_are_refused(rates):
    with pytest.raises(ValidationError) as caught:
        VatTable(rates)
    assert_bilingual(caught.value, "vat_table")


def test_float_rates_are_refused():
    with pytest.raises(TypeError):
        VatTable({0: 0.09})  # type: ignore[dict-item]


def test_check_tax_rate_explains_percentages():
    with pytest.raises(ValidationError) as caught:
        check_tax_rate(Decimal(10))
    assert "0.10 means 10%" in caught.value.message_en
    assert check_tax_rate("0.10") == Decimal("0.10")


def test_product_exemption_and_override():
    table = VatTable()
    assert tax_rate_for_product(table, NOWRUZ_1403, None, False) == Decimal("0.10")
    assert tax_rate_for_product(table, LAST_DAY_OF_1402, None, False) == Decimal("0.09")
    assert tax_rate_for_product(table, NOWRUZ_1403, Decimal("0.05"), False) == Decimal("0.05")
    assert tax_rate_for_product(table, NOWRUZ_1403, None, True) == Decimal(0)
    assert tax_rate_for_product(table, NOWRUZ_1403, Decimal("0.05"), True) == Decimal(0)
    assert tax_rate_for_product(table, NOWRUZ_1403, Decimal(0), False) == Decimal(0)
    with pytest.raises(ValidationError) as caught:
        tax_rate_for_product(table, NOWRUZ_1403, Decimal(9), False)
    assert caught.value.field == "tax_override"
