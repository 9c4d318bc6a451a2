"""The Moadian 22-character tax ID and its Verhoeff check digit (the tax administration's specification, docs/moadian.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.errors import ValidationError
from posapp.domain.jalali import IRAN_TZ
from posapp.domain.moadian import (
    MAX_SERIAL,
    is_valid_tax_id,
    make_tax_id,
    parse_tax_id,
    verhoeff_check_digit,
)
from tests.domain.support import assert_bilingual, domain_settings

REAL_TAX_IDS = ["A278R704C75000163ECF64", "A2HEZ304D010021C3C5D15", "A2HGPP04F5E00227BB8965"]


@pytest.mark.parametrize("tax_id", REAL_TAX_IDS)
def test_real_tax_ids_validate(tax_id):
    assert is_valid_tax_id(tax_id)


@pytest.mark.parametrize("tax_id", REAL_TAX_IDS)
def test_every_other_check_digit_fails(tax_id):
    for digit in "0123456789":
        if digit != tax_id[-1]:
            assert not is_valid_tax_id(tax_id[:-1] + digit)


@pytest.mark.parametrize("tax_id", REAL_TAX_IDS)
def test_real_tax_ids_rebuild_from_their_parts(tax_id):
    parts = parse_tax_id(tax_id)
    at = datetime(1970, 1, 1, 12, tzinfo=UTC) + timedelta(days=parts.days)
    assert make_tax_id(parts.memory_id, at, parts.serial) == tax_id


def test_worked_example():
    # Memory A1B2C3, 2024-03-20 (day 19802 = 0x4D5A), serial 1.
    at = datetime(2024, 3, 20, 10, 0, tzinfo=UTC)
    assert make_tax_id("A1B2C3", at, 1) == "A1B2C304D5A00000000015"
    parts = parse_tax_id("A1B2C304D5A00000000015")
    assert (parts.memory_id, parts.days, parts.serial, parts.check_digit) == ("A1B2C3", 19802, 1, 5)


def test_days_count_in_utc():
    # 01:00 on 21 March in Tehran is still 20 March in UTC.
    tehran = datetime(2024, 3, 21, 1, 0, tzinfo=IRAN_TZ)
    assert make_tax_id("A1B2C3", tehran, 1)[6:11] == "04D5A"
    naive_tehran = datetime(2024, 3, 21, 1, 0)
    assert make_tax_id("A1B2C3", naive_tehran, 1) == make_tax_id("A1B2C3", tehran, 1)


def test_memory_id_is_upper_cased():
    at = datetime(2024, 3, 20, tzinfo=UTC)
    assert make_tax_id("a1b2c3", at, 1) == make_tax_id("A1B2C3", at, 1)


def test_verhoeff_textbook_value():
    assert verhoeff_check_digit("236") == 3  # Verhoeff's own example: 2363 is valid.


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "A278R704C75000163ECF6",  # 21 characters
        "A278R704C75000163ECF644",
        "a278r704c75000163ecf64",  # lower case
        "A278R704G75000163ECF64",  # G is not hex
        "A278R704C75000163ECF6X",
        "A278R704C75000163ECF65",  # wrong check digit
    ],
)
def test_malformed_tax_ids(bad):
    assert not is_valid_tax_id(bad)
    with pytest.raises(ValidationError) as caught:
        parse_tax_id(bad, field="tax_id")
    assert_bilingual(caught.value, "tax_id")


@pytest.mark.parametrize(("memory_id", "serial"), [("A1B2C", 1), ("A1B2C3D", 1), ("A1-2C3", 1),
                                                   ("A1B2C3", 0), ("A1B2C3", MAX_SERIAL + 1)])
def test_make_tax_id_refuses_bad_input(memory_id, serial):
    with pytest.raises(ValidationError):
        make_tax_id(memory_id, datetime(2024, 3, 20, tzinfo=UTC), serial)


@domain_settings
@given(
    st.from_regex(r"[A-Z0-9]{6}", fullmatch=True),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)),
    st.integers(min_value=1, max_value=MAX_SERIAL),
)
def test_made_ids_validate_and_parse_back(memory_id, at, serial):
    tax_id = make_tax_id(memory_id, at, serial)
    assert len(tax_id) == 22
    assert is_valid_tax_id(tax_id)
    parts = parse_tax_id(tax_id)
    assert (parts.memory_id, parts.serial) == (memory_id, serial)
    assert parts.days == (at - datetime(1970, 1, 1, tzinfo=UTC)).days


@domain_settings
@given(st.sampled_from(REAL_TAX_IDS), st.data())
def test_a_mistyped_memory_id_digit_is_caught(tax_id, data):
    # A digit of the memory ID is one digit of the checked decimal string, and Verhoeff catches
    # every single-digit substitution. (A changed hex digit of the date or serial changes several
    # decimal digits at once, which no single check digit can promise to catch.)
    position = data.draw(st.sampled_from([i for i in range(6) if tax_id[i].isdigit()]))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != tax_id[position]]))
    assert not is_valid_tax_id(tax_id[:position] + replacement + tax_id[position + 1:])
