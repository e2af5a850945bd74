from __future__ import annotations

from datetime import date, datetime

import pytest

from knowledge.phone_hours import OSLO, describe_hours, easter_sunday, is_open, next_opening, public_holidays
from knowledge.queries import OpeningInterval

HOURS = [OpeningInterval(day, "09:30", "11:00") for day in range(5)] + [
    OpeningInterval(day, "12:00", "13:30") for day in range(5)]


@pytest.mark.parametrize("moment,expected", [
    (datetime(2026, 11, 23, 9, 29), False),
    (datetime(2026, 11, 23, 9, 30), True),
    (datetime(2026, 11, 23, 11, 30), False),
    (datetime(2026, 11, 27, 13, 29), True),
    (datetime(2026, 11, 28, 10, 0), False),   # Saturday
    (datetime(2026, 12, 25, 10, 0), False),   # Christmas Day, a Friday
    (datetime(2026, 5, 14, 10, 0), False),    # Ascension Day
])
def test_is_open(moment, expected):
    assert is_open(HOURS, moment.replace(tzinfo=OSLO)) is expected


def test_utc_time_is_read_in_oslo():
    from zoneinfo import ZoneInfo
    assert is_open(HOURS, datetime(2026, 11, 23, 8, 45, tzinfo=ZoneInfo("UTC")))  # 09:45 in Oslo


def test_next_opening_skips_weekend_and_holidays():
    assert next_opening(HOURS, datetime(2026, 11, 27, 14, 0, tzinfo=OSLO)) == datetime(2026, 11, 30, 9, 30, tzinfo=OSLO)
    assert next_opening(HOURS, datetime(2026, 12, 24, 14, 0, tzinfo=OSLO)).date() == date(2026, 12, 28)
    assert next_opening([], datetime(2026, 1, 1, tzinfo=OSLO)) is None


def test_easter_and_holidays():
    assert easter_sunday(2026) == date(2026, 4, 5) and easter_sunday(2027) == date(2027, 3, 28)
    assert {date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 17)} <= public_holidays(2026)


@pytest.mark.parametrize("language,expected", [
    ("nb", "mandag–fredag 09:30–11:00 og 12:00–13:30"),
    ("en", "Monday–Friday 09:30–11:00 and 12:00–13:30"),
])
def test_describe_hours(language, expected):
    assert describe_hours(HOURS, language) == expected


@pytest.mark.parametrize("language,weekday", [("ar", "الاثنين"), ("ti", "ሰኑይ")])
def test_describe_hours_in_arabic_and_tigrinya(language, weekday):
    text = describe_hours(HOURS, language)
    assert weekday in text and "09" in text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
