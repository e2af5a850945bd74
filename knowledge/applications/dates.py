"""Dates the way families type them, in every language of the chat: 14.03.2018, 14/3/18,
2018-03-14, 14. mars 2018, March 14, 2018, ١٤ آذار ٢٠١٨, 14 መጋቢት 2018.

Month names come from Babel's CLDR data for the chat's languages and for the Arabic regional
calendars families use (كانون الثاني and آذار in the Levant and Iraq, جانفي in the Maghreb), not
from lists kept here. Day and month in figures are read day first, as in Norway, unless only the
other order makes a date (3/14/2018).
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from babel.dates import get_month_names

from knowledge.text import fold_arabic

MONTH_LOCALES = ("nb", "nn", "en", "ar", "ar_SY", "ar_IQ", "ar_LB", "ar_MA", "ar_TN", "ar_DZ", "ti", "ti_ER")


def _fold(word: str) -> str:
    return fold_arabic(word.casefold()).strip(".")


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Every month name and abbreviation (three letters or more) in MONTH_LOCALES → 1–12."""
    names: dict[str, int] = {}
    for locale in MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    for word in (name, name.replace(" ", "")):
                        key = _fold(word)
                        if len(key) >= 3 or any("\u1200" <= ch <= "\u139f" for ch in key):
                            names.setdefault(key, number)
    return names


@lru_cache(maxsize=1)
def _month_patterns() -> tuple[tuple[re.Pattern[str], int], ...]:
    """Each month name as a whole word, longest first (so كانون الثاني wins over shorter names)."""
    return tuple((re.compile(rf"(?<![^\W\d_]){re.escape(name)}\.?(?![^\W\d_])"), number)
                 for name, number in sorted(month_numbers().items(), key=lambda item: len(item[0]), reverse=True))


def _month_in(text: str) -> tuple[int, str] | None:
    """The month named in ``text`` and the text without it."""
    folded = _fold(text)
    for pattern, number in _month_patterns():
        if pattern.search(folded):
            return number, pattern.sub(" ", folded, count=1)
    return None


def _year(value: int, today: date) -> int:
    if value >= 100:
        return value
    return 2000 + value if 2000 + value <= today.year else 1900 + value


def parse_date(text: str, today: date | None = None) -> date | None:
    """The date ``text`` names, or None when it names none (or an impossible one such as 31.02)."""
    today = today or date.today()
    folded = fold_arabic(text.strip())
    named = _month_in(folded)
    rest = named[1] if named else folded
    numbers = [int(figures) for figures in re.findall(r"\d+", rest)]  # "14th", "14." and "14" alike
    try:
        if named:
            if len(numbers) != 2:
                return None
            first, second = numbers
            day, year = (second, first) if first >= 100 else (first, second)
            return date(_year(year, today), named[0], day)
        if len(numbers) != 3:
            return None
        first, second, third = numbers
        if first >= 100:  # 2018-03-14
            return date(first, second, third)
        if second > 12 >= first:  # 3/14/2018: only month-first makes a date
            first, second = second, first
        return date(_year(third, today), second, first)
    except ValueError:
        return None


def mentions_a_date(text: str) -> bool:
    """Looks like an attempt at a date (figures or a month name), even one that cannot be read."""
    folded = fold_arabic(text)
    return len(re.findall(r"\d", folded)) >= 4 or _month_in(folded) is not None
