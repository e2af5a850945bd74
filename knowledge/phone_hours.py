"""Is the phone open right now, when does it open next, and how do we say the hours.

Times are local to the municipality (Europe/Oslo). The phone follows "weekdays", so Norwegian
public holidays are closed days.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_time, get_day_names
from babel.lists import format_list

from knowledge.i18n import BABEL_LOCALES
from knowledge.queries import OpeningInterval

OSLO = ZoneInfo("Europe/Oslo")


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> set[date]:
    """Norwegian public holidays (helligdager and 1 and 17 May)."""
    easter = easter_sunday(year)
    moving = {easter + timedelta(days=offset) for offset in (-3, -2, 0, 1, 39, 49, 50)}
    fixed = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 17), date(year, 12, 25), date(year, 12, 26)}
    return moving | fixed


def _parse(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def is_open(hours: Iterable[OpeningInterval], now: datetime | None = None) -> bool:
    """Whether the phone is open at ``now`` (default: this moment in Oslo)."""
    local = (now or datetime.now(OSLO)).astimezone(OSLO)
    if local.date() in public_holidays(local.year):
        return False
    return any(
        interval.weekday == local.weekday() and _parse(interval.opens) <= local.time() < _parse(interval.closes)
        for interval in hours
    )


def next_opening(hours: Iterable[OpeningInterval], now: datetime | None = None) -> datetime | None:
    """The next moment the phone opens, looking two weeks ahead; None if it never does."""
    local = (now or datetime.now(OSLO)).astimezone(OSLO)
    intervals = list(hours)
    for offset in range(15):
        day = local.date() + timedelta(days=offset)
        if day in public_holidays(day.year):
            continue
        starts = sorted(_parse(i.opens) for i in intervals if i.weekday == day.weekday())
        for start in starts:
            moment = datetime.combine(day, start, tzinfo=OSLO)
            if moment > local:
                return moment
    return None


def describe_hours(hours: Iterable[OpeningInterval], language: str) -> str:
    """Opening hours in words, grouped by days with the same times: "mandag–fredag 09:30–11:00 og 12:00–13:30"."""
    locale = BABEL_LOCALES.get(language, "nb_NO")
    by_day: dict[int, list[tuple[str, str]]] = {}
    for interval in hours:
        by_day.setdefault(interval.weekday, []).append((interval.opens, interval.closes))
    if not by_day:
        return ""
    day_names = get_day_names("wide", locale=locale)
    groups: list[tuple[list[int], tuple]] = []
    for weekday in sorted(by_day):
        times = tuple(sorted(by_day[weekday]))
        if groups and groups[-1][1] == times and groups[-1][0][-1] == weekday - 1:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], times))
    parts = []
    for days, times in groups:
        span = day_names[days[0]] if len(days) == 1 else f"{day_names[days[0]]}–{day_names[days[-1]]}"
        ranges = [
            f"{format_time(_parse(opens), 'HH:mm', locale=locale)}–{format_time(_parse(closes), 'HH:mm', locale=locale)}"
            for opens, closes in times
        ]
        parts.append(f"{span} {format_list(ranges, locale=locale)}")
    return "; ".join(parts)


def describe_moment(moment: datetime, language: str) -> str:
    """A weekday and time such as "mandag 09:30"."""
    locale = BABEL_LOCALES.get(language, "nb_NO")
    weekday = get_day_names("wide", locale=locale)[moment.weekday()]
    return f"{weekday} {format_time(moment.time(), 'HH:mm', locale=locale)}"
