"""The journal's canonical Decimal text: the shortcut for short whole numbers writes exactly
what the general rule (normalize, plain notation, no negative zero) writes, so fingerprints and
record hashes of journals written before it still verify."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.journal import canonical_decimal, canonical_json


def general_rule(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


@pytest.mark.parametrize("text", [
    "0", "-0", "0.000", "-0.0", "0E+3", "1200", "1.2E+3", "1200.000", "0.10", "0.09", "7E-3", "-5",
    "-1200", "999999999999999999", "1000000000000000000", "12345678901234567890123456789012",
])
def test_shortcut_writes_what_the_general_rule_writes(text):
    assert canonical_decimal(Decimal(text)) == general_rule(Decimal(text))


@given(st.one_of(
    st.integers(min_value=-10**40, max_value=10**40).map(Decimal),
    st.decimals(allow_nan=False, allow_infinity=False),
))
def test_every_finite_decimal_gets_the_general_rules_text(value):
    assert canonical_decimal(value) == general_rule(value)


def test_decimals_inside_json_use_the_same_text():
    content = {"b": Decimal("1200.00"), "a": [Decimal("-0"), Decimal("0.090")]}
    assert canonical_json(content) == '{"a":["0","0.09"],"b":"1200"}'
