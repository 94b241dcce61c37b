"""Dates and clock times as a school reads them: on the school's clock, in the conventions of its country, in the
page's language, and in one style everywhere ("1er septembre 2026", "3 December 2026", "07:43").

An English page for a school in Paris uses British-style English as spoken in France (day before month, 24-hour
clock): the school's country decides the conventions, the page's language only the words.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale, localedata
from babel.core import get_global
from babel.dates import format_date, format_time

DAY_PATTERN = "d MMMM y"
FIRST_OF_MONTH_PATTERNS = {"fr": "d'er' MMMM y"}  # "1er septembre": French writes the first day as an ordinal
CLOCK_PATTERN = "HH:mm"


def school_locale(language: str, timezone: str) -> Locale:
    """The page's language with the country of the school's time zone, when the data knows that pair."""
    name = f"{language}_{get_global('zone_territories').get(timezone, '')}"
    return Locale.parse(name if localedata.exists(name) else language)


def school_day(moment: datetime, timezone: str) -> date:
    """The day a UTC moment falls on, on the school's clock."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def day_text(day: date, locale: Locale) -> str:
    pattern = FIRST_OF_MONTH_PATTERNS.get(locale.language, DAY_PATTERN) if day.day == 1 else DAY_PATTERN
    return format_date(day, pattern, locale=locale)


def clock_text(moment: datetime, timezone: str, locale: Locale) -> str:
    """Hours and minutes on the school's clock, always on 24 hours: a class's timetable never says "p.m."."""
    return format_time(moment.astimezone(ZoneInfo(timezone)), CLOCK_PATTERN, locale=locale)
