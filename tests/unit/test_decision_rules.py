"""What a decision may say: a wording that is neither empty nor too long, and a due date the class can keep."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.decisions import MAX_TEXT, day_decided, due_date_problem, latest_due_date, wording_problem


def test_a_wording_is_not_empty_nor_longer_than_the_register_keeps():
    assert wording_problem("Nous irons au musée en mai") is None
    assert wording_problem("  \n ") == "empty_text"
    assert wording_problem("x" * MAX_TEXT) is None
    assert wording_problem("x" * (MAX_TEXT + 1)) == "text_too_long"
    assert wording_problem(f"  {'x' * MAX_TEXT}  ") is None, "spaces around it are not kept"


def test_a_due_date_comes_on_or_after_the_decision_and_within_five_years():
    decided = date(2026, 10, 6)
    assert due_date_problem(decided, None) is None
    assert due_date_problem(decided, decided) is None
    assert due_date_problem(decided, decided - timedelta(days=1)) == "due_before_decision"
    assert due_date_problem(decided, date(2031, 10, 6)) is None
    assert due_date_problem(decided, date(2031, 10, 7)) == "due_too_far"
    assert due_date_problem(decided, date(3000, 1, 1)) == "due_too_far"


def test_five_years_after_a_29_february_is_the_28th():
    assert latest_due_date(date(2028, 2, 29)) == date(2033, 2, 28)


def test_the_day_of_a_decision_is_the_school_s_day():
    late_evening_utc = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert day_decided(late_evening_utc, "Europe/Paris") == date(2027, 1, 1)
    assert day_decided(late_evening_utc, "America/Cayenne") == date(2026, 12, 31)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2190, 12, 31)), st.integers(-4000, 4000))
def test_a_due_date_is_refused_exactly_outside_its_window(decided, days):
    due = decided + timedelta(days=days)
    inside = decided <= due <= latest_due_date(decided)
    assert (due_date_problem(decided, due) is None) == inside
