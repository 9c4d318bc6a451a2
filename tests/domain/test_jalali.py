"""Jalali dates in Tehran time: conversion, formatting and parsing typed dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.errors import ValidationError
from posapp.domain.jalali import (
    IRAN_TZ,
    format_jalali_date,
    format_jalali_datetime,
    iran_today,
    jalali_year,
    parse_jalali_date,
    to_iran_time,
    to_jalali,
)
from tests.domain.support import assert_bilingual, domain_settings


def test_known_day():
    assert format_jalali_date(date(2026, 11, 23)) == "۱۴۰۵/۰۹/۰۲"
    assert format_jalali_date(date(2026, 11, 23), persian_digits=False) == "1405/09/02"
    jalali = to_jalali(date(2024, 3, 20))
    assert (jalali.year, jalali.month, jalali.day) == (1403, 1, 1)


def test_aware_datetimes_are_shown_in_tehran():
    moment = datetime(2026, 11, 23, 11, 5, tzinfo=UTC)  # 14:35 in Tehran (UTC+3:30)
    assert format_jalali_datetime(moment) == "۱۴۰۵/۰۹/۰۲ ۱۴:۳۵"
    assert format_jalali_datetime(moment, persian_digits=False) == "1405/09/02 14:35"
    assert to_iran_time(moment).tzinfo is IRAN_TZ


def test_iran_today_is_tehran_s_date():
    before = datetime.now(IRAN_TZ).date()
    today = iran_today()
    assert before <= today <= datetime.now(IRAN_TZ).date()


def test_naive_datetimes_are_tehran_wall_clock():
    assert format_jalali_datetime(datetime(2026, 11, 23, 14, 35)) == "۱۴۰۵/۰۹/۰۲ ۱۴:۳۵"


def test_the_day_is_taken_in_tehran_not_utc():
    # 21:00 UTC on 19 March 2024 is 00:30 on 20 March in Tehran: Nowruz 1403.
    moment = datetime(2024, 3, 19, 21, 0, tzinfo=UTC)
    assert jalali_year(moment) == 1403
    assert format_jalali_date(moment, persian_digits=False) == "1403/01/01"
    assert jalali_year(moment - timedelta(hours=1)) == 1402
    other_zone = moment.astimezone(timezone(timedelta(hours=-5)))
    assert jalali_year(other_zone) == 1403


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("1405/09/02", date(2026, 11, 23)),
        ("۱۴۰۵/۰۹/۰۲", date(2026, 11, 23)),
        ("۱۴۰۵/۹/۲", date(2026, 11, 23)),
        ("1405-09-02", date(2026, 11, 23)),
        (" ١٤٠٥/٠٩/٠٢ ", date(2026, 11, 23)),
        ("1403/12/30", date(2025, 3, 20)),  # 1403 is a leap year
    ],
)
def test_parse_jalali_date(typed, day):
    assert parse_jalali_date(typed) == day


@pytest.mark.parametrize("typed", ["", "1405/13/01", "1404/12/30", "1405/07/31", "abc", "05/09/02"])
def test_parse_jalali_date_refuses_non_days(typed):
    with pytest.raises(ValidationError) as caught:
        parse_jalali_date(typed, field="issued_on")
    assert_bilingual(caught.value, "issued_on")
    assert "تاریخ" in caught.value.message_fa or "تقویم" in caught.value.message_fa
    assert "date" in caught.value.message_en or "Jalali" in caught.value.message_en


@domain_settings
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_format_and_parse_round_trip(day):
    assert parse_jalali_date(format_jalali_date(day)) == day


@domain_settings
@given(st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2090, 1, 1)))
def test_aware_and_naive_agree_in_tehran(moment):
    # Iran keeps UTC+3:30 all year since 2023, so every wall-clock time exists exactly once.
    aware = moment.replace(tzinfo=IRAN_TZ)
    assert format_jalali_datetime(aware) == format_jalali_datetime(moment)
    assert format_jalali_datetime(aware.astimezone(UTC)) == format_jalali_datetime(aware)
