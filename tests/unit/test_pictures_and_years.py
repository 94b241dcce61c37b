"""Picture codes, avatars and school years."""

import random
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from app.domain import pictures
from app.domain.school_year import school_year_end, school_year_of, school_year_start


@given(st.integers(0, 60), st.integers(0, 2**32))
def test_new_codes_are_unique_in_the_class(count, seed):
    rng = random.Random(seed)
    taken = pictures.new_picture_codes([], 20, rng)
    fresh = pictures.new_picture_codes(taken, count, rng)
    assert len(set(fresh)) == count and not set(fresh) & set(taken)
    assert all(len(pictures.code_pictures(code)) == pictures.CODE_LENGTH for code in fresh)


def test_a_class_cannot_exhaust_the_codes():
    try:
        pictures.new_picture_codes([], 5000, random.Random(1))
    except ValueError:
        return
    raise AssertionError("expected a refusal")


def test_avatars_repeat_only_when_every_one_is_taken():
    first = pictures.new_avatars([], len(pictures.AVATARS), random.Random(2))
    assert sorted(first) == sorted(pictures.AVATARS)
    assert len(pictures.new_avatars(first, 5, random.Random(3))) == 5


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2150, 12, 31)))
def test_every_day_belongs_to_the_school_year_around_it(day):
    year = school_year_of(day)
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    assert school_year_start(year, "Europe/Paris") <= moment < school_year_end(year, "Europe/Paris")


def test_the_school_year_turns_on_the_first_of_september():
    assert school_year_of(date(2026, 8, 31)) == 2025
    assert school_year_of(date(2026, 9, 1)) == 2026
    assert school_year_end(2025, "Europe/Paris") == datetime(2026, 8, 31, 22, tzinfo=UTC)
    assert school_year_end(2025, "Indian/Reunion") == datetime(2026, 8, 31, 20, tzinfo=UTC)
