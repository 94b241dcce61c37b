"""Dates as a school reads them: one style, the school's country and clock, "1er" for the first of a month."""

import pathlib
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from app.domain.school_dates import clock_text, day_text, school_day, school_locale

PARIS = "Europe/Paris"
FRENCH = school_locale("fr", PARIS)
ENGLISH_IN_FRANCE = school_locale("en", PARIS)


def test_french_writes_the_first_of_the_month_as_an_ordinal():
    assert day_text(date(2026, 9, 1), FRENCH) == "1er septembre 2026"
    assert day_text(date(2026, 9, 2), FRENCH) == "2 septembre 2026"
    assert day_text(date(2026, 12, 3), FRENCH) == "3 décembre 2026"


def test_english_for_a_school_in_france_puts_the_day_first_and_no_ordinal():
    assert day_text(date(2026, 9, 1), ENGLISH_IN_FRANCE) == "1 September 2026"
    assert day_text(date(2026, 12, 3), ENGLISH_IN_FRANCE) == "3 December 2026"


def test_the_clock_is_the_schools_and_has_24_hours_in_both_languages():
    evening = datetime(2026, 12, 3, 18, 5, tzinfo=UTC)  # 19:05 in Paris in winter
    assert clock_text(evening, PARIS, FRENCH) == "19:05"
    assert clock_text(evening, PARIS, ENGLISH_IN_FRANCE) == "19:05"
    assert clock_text(datetime(2026, 7, 1, 5, 43, tzinfo=UTC), PARIS, ENGLISH_IN_FRANCE) == "07:43"  # summer time


def test_a_late_evening_in_utc_is_already_the_next_day_at_school():
    assert school_day(datetime(2026, 8, 31, 22, 30, tzinfo=UTC), PARIS) == date(2026, 9, 1)


def test_a_zone_without_a_country_or_an_unknown_pair_keeps_the_language_alone():
    assert str(school_locale("en", "Etc/UTC")) == "en"
    assert str(school_locale("fr", "America/Toronto")) == "fr_CA"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_only_the_first_day_of_a_month_gets_the_ordinal(day):
    text = day_text(day, FRENCH)
    assert text.startswith("1er ") == (day.day == 1)
    assert text.endswith(str(day.year))
    assert "/" not in text and "." not in text


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)))
def test_the_clock_is_always_the_schools_hours_and_minutes_on_two_digits(moment):
    local = moment.astimezone(ZoneInfo(PARIS))
    assert clock_text(moment, PARIS, ENGLISH_IN_FRANCE) == f"{local.hour:02d}:{local.minute:02d}"


def test_no_template_writes_a_date_in_another_style():
    """Flask-Babel's own filters pick a style per call; every page goes through day, clock and moment instead."""
    templates = pathlib.Path(__file__).parents[2] / "templates"
    other_styles = re.compile(r"\|\s*(dateformat|datetimeformat|timeformat)\b")
    assert [str(path) for path in templates.rglob("*.html") if other_styles.search(path.read_text())] == []
