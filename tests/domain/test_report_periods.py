"""Jalali report periods and seasons: weeks from Saturday, months, seasons and years in Tehran."""

from __future__ import annotations

from datetime import date

import pytest

from posapp.domain.jalali import Period, jalali_season, period_days, season_days

# 1405/09/13 is Thursday 2026-12-04.
TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(("period", "expected"), [
    (Period.TODAY, (date(2026, 12, 4), date(2026, 12, 4))),
    (Period.YESTERDAY, (date(2026, 12, 3), date(2026, 12, 3))),
    (Period.THIS_WEEK, (date(2026, 11, 28), date(2026, 12, 4))),
    (Period.THIS_MONTH, (date(2026, 11, 22), date(2026, 12, 21))),
    (Period.THIS_SEASON, (date(2026, 9, 23), date(2026, 12, 21))),
    (Period.THIS_YEAR, (date(2026, 3, 21), date(2027, 3, 20))),
])
def test_periods_around_a_thursday_in_azar_1405(period, expected):
    assert period_days(period, TODAY) == expected


def test_a_week_starts_on_saturday_itself():
    saturday = date(2026, 11, 28)
    assert period_days(Period.THIS_WEEK, saturday) == (saturday, date(2026, 12, 4))


def test_esfand_of_a_leap_year_ends_the_month_and_the_winter():
    # 1403 is a leap year: Esfand has 30 days and ends on 2025-03-20.
    assert period_days(Period.THIS_MONTH, date(2025, 3, 1)) == (date(2025, 2, 19), date(2025, 3, 20))
    assert season_days(1403, 4) == (date(2024, 12, 21), date(2025, 3, 20))


def test_seasons_across_the_new_year():
    assert jalali_season(date(2024, 3, 19)) == (1402, 4)
    assert jalali_season(date(2024, 3, 20)) == (1403, 1)
    assert season_days(1403, 1) == (date(2024, 3, 20), date(2024, 6, 20))
    with pytest.raises(ValueError, match="a season is 1 to 4"):
        season_days(1403, 5)
