"""Jalali (Solar Hijri) dates as shown and typed in Iran, always in Tehran's local time.

Aware datetimes (posapp stores UTC) are converted to Asia/Tehran before anything is shown or
before their Jalali day or year is taken; naive datetimes are taken as Tehran wall-clock time.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from persiantools.jdatetime import JalaliDate

from posapp.domain.errors import ValidationError
from posapp.domain.text import to_ascii_digits, to_persian_digits

IRAN_TZ = ZoneInfo("Asia/Tehran")

_JALALI_DATE = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")


def _jalali_date(*args: int | date) -> JalaliDate:
    """persiantools' constructor is untyped; this is the one place that calls it."""
    return JalaliDate(*args)  # type: ignore[no-untyped-call]


def to_iran_time(moment: datetime) -> datetime:
    """`moment` as Tehran wall-clock time: aware ones are converted, naive ones are already it."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment
    return moment.astimezone(IRAN_TZ)


def iran_today() -> date:
    """Today's date in Tehran, whatever the machine's own time zone."""
    return datetime.now(IRAN_TZ).date()


def iran_day_start(day: date) -> datetime:
    """Midnight in Tehran at the start of `day` (an aware datetime): the lower bound of a day's
    or a range's rows, whose times are stored in UTC."""
    return datetime.combine(day, time.min, tzinfo=IRAN_TZ)


def _iran_day(day: date | datetime) -> date:
    if isinstance(day, datetime):
        return to_iran_time(day).date()
    return day


def to_jalali(day: date | datetime) -> JalaliDate:
    """The Jalali calendar day of `day` in Tehran."""
    return _jalali_date(_iran_day(day))


def jalali_year(day: date | datetime) -> int:
    """The Jalali year of `day` in Tehran (1403 for 2024-03-20 ... 2025-03-20)."""
    return _jalali_year_of(_iran_day(day))


@functools.lru_cache(maxsize=4096)
def _jalali_year_of(day: date) -> int:
    """Cached: the VAT rate of every sold line asks for it, and calendar days do not change."""
    return int(_jalali_date(day).year)


def _digits(text: str, persian_digits: bool) -> str:
    return to_persian_digits(text) if persian_digits else text


def format_jalali_date(day: date | datetime, persian_digits: bool = True) -> str:
    """'۱۴۰۵/۰۹/۰۲' (year/month/day, zero-padded)."""
    jalali = to_jalali(day)
    return _digits(f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}", persian_digits)


def format_jalali_datetime(moment: datetime, persian_digits: bool = True) -> str:
    """'۱۴۰۵/۰۹/۰۲ ۱۴:۳۵': the Jalali date and 24-hour time in Tehran."""
    local = to_iran_time(moment)
    time_text = _digits(f"{local.hour:02d}:{local.minute:02d}", persian_digits)
    return f"{format_jalali_date(local, persian_digits)} {time_text}"


def parse_jalali_date(text: str, *, field: str = "date") -> date:
    """The Gregorian date of a typed Jalali date: '1405/09/02', '۱۴۰۵/۹/۲' or '1405-09-02'.

    Raises ValidationError (Persian and English) for anything that is not a real Jalali day."""
    match = _JALALI_DATE.match(to_ascii_digits(text.strip()))
    if match is None:
        raise ValidationError(
            field,
            f"«{text}» تاریخ معتبری نیست؛ به شکل ۱۴۰۵/۰۹/۰۲ بنویسید",
            f"'{text}' is not a date; write it as 1405/09/02",
        )
    year, month, day = (int(part) for part in match.groups())
    try:
        gregorian = _jalali_date(year, month, day).to_gregorian()
    except ValueError:
        raise ValidationError(
            field,
            f"«{text}» در تقویم شمسی وجود ندارد",
            f"'{text}' is not a day of the Jalali calendar",
        ) from None
    return gregorian


class Period(StrEnum):
    """The date ranges a report offers besides a custom one, all in Tehran's calendar."""

    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this_week"
    THIS_MONTH = "this_month"
    THIS_SEASON = "this_season"
    THIS_YEAR = "this_year"


SATURDAY = 5
"""`date.weekday()` of Saturday, the first day of the Iranian week."""


def jalali_season(day: date | datetime) -> tuple[int, int]:
    """(Jalali year, season 1-4) of `day`: spring is months 1-3, summer 4-6, autumn 7-9,
    winter 10-12 (the seasons of the VAT return)."""
    jalali = to_jalali(day)
    return int(jalali.year), (int(jalali.month) - 1) // 3 + 1


def season_start(year: int, season: int) -> date:
    """The Gregorian date of the first day of Jalali `season` (1-4) of `year`."""
    if not 1 <= season <= 4:
        raise ValueError(f"a season is 1 to 4, not {season}")
    gregorian: date = _jalali_date(year, 3 * (season - 1) + 1, 1).to_gregorian()
    return gregorian


def next_season(year: int, season: int) -> tuple[int, int]:
    return (year + 1, 1) if season == 4 else (year, season + 1)


def season_days(year: int, season: int) -> tuple[date, date]:
    """The first and last Gregorian days of a Jalali season."""
    return season_start(year, season), season_start(*next_season(year, season)) - timedelta(days=1)


def period_days(period: Period, today: date | None = None) -> tuple[date, date]:
    """The first and last Tehran days of `period` around `today` (default: today in Tehran);
    weeks start on Saturday, and "this ..." runs to the end of the week, month, season or year
    (days after today simply hold no sales yet)."""
    day = today or iran_today()
    if period is Period.TODAY:
        return day, day
    if period is Period.YESTERDAY:
        yesterday = day - timedelta(days=1)
        return yesterday, yesterday
    if period is Period.THIS_WEEK:
        start = day - timedelta(days=(day.weekday() - SATURDAY) % 7)
        return start, start + timedelta(days=6)
    jalali = to_jalali(day)
    year, month = int(jalali.year), int(jalali.month)
    if period is Period.THIS_MONTH:
        first: date = _jalali_date(year, month, 1).to_gregorian()
        following: date = (_jalali_date(year + 1, 1, 1) if month == 12
                           else _jalali_date(year, month + 1, 1)).to_gregorian()
        return first, following - timedelta(days=1)
    if period is Period.THIS_SEASON:
        return season_days(*jalali_season(day))
    return season_start(year, 1), season_start(year + 1, 1) - timedelta(days=1)
