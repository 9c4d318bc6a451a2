"""Iranian identifiers: national ID, legal national ID, postal code and mobile number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.errors import ValidationError
from posapp.domain.validators import (
    normalize_mobile,
    validate_economic_code,
    validate_legal_national_id,
    validate_national_id,
    validate_postal_code,
    validate_registration_number,
)
from tests.domain.support import assert_bilingual, domain_settings


def assert_refused(call, value, field):
    """The value is refused with a message in both languages that names the field."""
    with pytest.raises(ValidationError) as caught:
        call(value, field=field)
    assert_bilingual(caught.value, field)
    return caught.value


# Check digits worked by hand, e.g. 0499370899: Σ d×(10−i) = 266, 266 mod 11 = 2, 11 − 2 = 9;
# 0013542419: Σ = 101, 101 mod 11 = 2, 11 − 2 = 9.
@pytest.mark.parametrize("national_id", ["0499370899", "0790419904", "0013542419"])
def test_valid_national_ids(national_id):
    assert validate_national_id(national_id) == national_id


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("۰۴۹۹۳۷۰۸۹۹", "0499370899"),
        ("049-937089-9", "0499370899"),
        (" 049 937 0899 ", "0499370899"),
        ("٠٤٩٩٣٧٠٨٩٩", "0499370899"),
        ("\u200f۰۴۹۹۳۷۰۸۹۹\u200e", "0499370899"),  # pasted from right-to-left text
    ],
)
def test_national_id_accepts_what_people_type(typed, stored):
    assert validate_national_id(typed) == stored


@pytest.mark.parametrize(
    "bad",
    ["0499370898", "0499370890", "1111111111", "0000000000", "499370899", "04993708999", "", "abc"],
)
def test_invalid_national_ids(bad):
    assert_refused(validate_national_id, bad, "buyer_national_id")


def test_national_id_message():
    error = assert_refused(validate_national_id, "0499370898", "national_id")
    assert "کد ملی" in error.message_fa
    assert "national ID" in error.message_en


@domain_settings
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_exactly_one_check_digit_fits(digits):
    body = digits[:9]
    accepted = []
    for check in "0123456789":
        try:
            validate_national_id(body + check)
        except ValidationError:
            continue
        accepted.append(check)
    assert len(accepted) <= 1
    if len(set(body)) > 1:
        assert len(accepted) == 1


@pytest.mark.parametrize("legal_id", ["10380284790", "۱۰۳۸۰۲۸۴۷۹۰", "103-8028-4790"])
def test_valid_legal_national_id(legal_id):
    assert validate_legal_national_id(legal_id) == "10380284790"


@pytest.mark.parametrize(
    "bad",
    [
        "10380284791",  # wrong check digit
        "10300000000",  # serial part all zeros
        "1038028479",  # ten digits: a natural person's length
        "103802847900",
        "",
    ],
)
def test_invalid_legal_national_ids(bad):
    error = assert_refused(validate_legal_national_id, bad, "seller_national_id")
    assert "شناسه ملی" in error.message_fa
    assert "legal national ID" in error.message_en


@domain_settings
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_exactly_one_legal_id_check_digit_fits(first_ten):
    accepted = []
    for check in "0123456789":
        try:
            validate_legal_national_id(first_ten + check)
        except ValidationError:
            continue
        accepted.append(check)
    assert len(accepted) == (0 if first_ten[3:9] == "000000" else 1)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1193653471", "1193653471"),
        ("11936-53471", "1193653471"),
        ("۱۱۹۳۶۵۳۴۷۱", "1193653471"),
        ("8174673111", "8174673111"),
        ("1461968750", "1461968750"),  # 0 and 2 are fine in the last five digits
        ("3319912222", "3319912222"),
    ],
)
def test_valid_postal_codes(typed, stored):
    assert validate_postal_code(typed) == stored


@pytest.mark.parametrize(
    "bad",
    ["0193653471", "1293653471", "1193053471", "1111111111", "9999999999", "119365347", "", "x"],
)
def test_invalid_postal_codes(bad):
    error = assert_refused(validate_postal_code, bad, "postal_code")
    assert "کد پستی" in error.message_fa
    assert "postal code" in error.message_en


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "+98 912 123 4567",
        "0912-123-4567",
        "(0912) 123 45 67",
        "+98 (0) 912 123 4567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "۹۱۲ ۱۲۳ ۴۵ ۶۷",
    ],
)
def test_mobile_forms(typed):
    assert normalize_mobile(typed) == "09121234567"


@pytest.mark.parametrize(
    "bad",
    ["02112345678", "0912123456", "091212345678", "+9912121234567", "08121234567", "", "abc"],
)
def test_invalid_mobiles(bad):
    error = assert_refused(normalize_mobile, bad, "mobile")
    assert "موبایل" in error.message_fa
    assert "mobile" in error.message_en


@domain_settings
@given(st.from_regex(r"9[0-9]{9}", fullmatch=True), st.sampled_from(["0", "+98", "0098", "98", ""]))
def test_any_mobile_prefix_normalises(national, prefix):
    assert normalize_mobile(prefix + national) == "0" + national


@pytest.mark.parametrize(("typed", "stored"), [
    ("۴۱۱۱۱۱۵۵۴۸۷۶", "411111554876"), ("41-1111-5548-76", "411111554876"), ("1234567890", "1234567890"),
])
def test_economic_codes_are_stored_as_ascii_digits(typed, stored):
    assert validate_economic_code(typed) == stored


@pytest.mark.parametrize("typed", ["123456789", "123456789012345", "12345abc90"])
def test_a_bad_economic_code_names_its_field_in_both_languages(typed):
    with pytest.raises(ValidationError) as caught:
        validate_economic_code(typed)
    assert_bilingual(caught.value, "economic_code")


def test_registration_numbers_are_digits_up_to_twenty():
    assert validate_registration_number("۱۲۳ ۴۵۶") == "123456"
    for typed in ("12ab", "1" * 21):
        with pytest.raises(ValidationError) as caught:
            validate_registration_number(typed)
        assert_bilingual(caught.value, "registration_number")
