"""Counting the class's year: roles per pupil, speaking turns, messages per month and column, decisions' standings,
and the geometry of the charts that show them."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.charts import horizontal_bars, nice_ceiling, stacked_columns, ticks
from app.domain.year_figures import (
    MESSAGE_KINDS,
    ROLES,
    STANDINGS,
    count_standings,
    messages_by_month,
    months_of_year,
    never_held,
    roles_by_pupil,
    standing,
    turns_by_pupil,
)

TODAY = date(2027, 2, 10)
pupil_ids = st.lists(st.integers(1, 30), unique=True, max_size=12)
seats = st.lists(st.tuples(st.integers(1, 30), st.sampled_from(ROLES)), max_size=60)
year_days = st.dates(date(2026, 9, 1), date(2027, 8, 31))


def test_roles_are_counted_per_pupil_and_role():
    rows = roles_by_pupil([1, 2, 3], [(1, "chair"), (1, "chair"), (2, "teller"), (1, "secretary")])
    assert rows[0].by_role["chair"] == 2 and rows[0].total == 3
    assert rows[1].by_role == {**dict.fromkeys(ROLES, 0), "teller": 1}
    assert never_held(rows) == [3]


@given(pupil_ids, seats)
def test_every_seat_held_by_a_listed_pupil_is_counted_once(ids, held):
    rows = roles_by_pupil(ids, held)
    assert [row.pupil_id for row in rows] == ids
    assert sum(row.total for row in rows) == len([seat for seat in held if seat[0] in ids])
    assert set(never_held(rows)) == set(ids) - {pupil_id for pupil_id, _role in held}


def test_a_pupil_who_never_spoke_has_zero_turns():
    assert turns_by_pupil([4, 5], {4: 3, 9: 1}) == [(4, 3), (5, 0)]


def test_the_months_run_from_september_to_june():
    assert months_of_year(2026) == [(2026, 9), (2026, 10), (2026, 11), (2026, 12), (2027, 1), (2027, 2), (2027, 3),
                                    (2027, 4), (2027, 5), (2027, 6)]


def test_july_shows_only_when_something_was_posted_then():
    assert months_of_year(2026, [(2027, 7)])[-1] == (2027, 7)
    assert (2027, 8) not in months_of_year(2026, [(2027, 7)])


@given(st.lists(st.tuples(year_days, st.sampled_from(MESSAGE_KINDS)), max_size=80))
def test_every_message_of_the_year_lands_in_its_month_and_column(posted):
    months = messages_by_month(2026, posted)
    assert sum(sum(by_kind.values()) for by_kind in months.values()) == len(posted)
    for day, kind in posted:
        assert months[(day.year, day.month)][kind] >= 1
    assert list(months)[:10] == months_of_year(2026)


def test_standings_of_decisions():
    due = date(2027, 1, 31)
    assert standing("done", due, due, TODAY) == "on_time"
    assert standing("done", due, due + timedelta(days=1), TODAY) == "late"
    assert standing("done", None, TODAY, TODAY) == "on_time"
    assert standing("to_do", due, None, TODAY) == "overdue"
    assert standing("in_progress", TODAY, None, TODAY) == "open"
    assert standing("to_do", None, None, TODAY) == "open"
    assert standing("dropped", due, None, TODAY) == "dropped"


@given(st.lists(st.tuples(st.sampled_from(("to_do", "in_progress", "done", "dropped")),
                          st.none() | year_days, st.none() | year_days)))
def test_every_decision_has_exactly_one_standing(decisions):
    counts = count_standings(standing(status, due, done, TODAY) for status, due, done in decisions)
    assert list(counts) == list(STANDINGS) and sum(counts.values()) == len(decisions)


@given(st.integers(0, 100_000))
def test_a_scale_ends_on_a_nice_number_at_least_the_largest_value(value):
    top = nice_ceiling(value)
    assert top >= value and str(top).strip("0") in ("1", "2", "5")
    assert ticks(top)[0] == 0 and ticks(top)[-1] == top and 2 <= len(ticks(top)) <= 6


@given(st.lists(st.integers(0, 500), max_size=30))
def test_bars_share_one_scale_and_never_leave_the_chart(values):
    chart = horizontal_bars([(str(index), value) for index, value in enumerate(values)])
    lengths = [row.length for row in chart.rows]
    assert all(0 <= row.length <= chart.gridlines[-1][1] - chart.bar_start for row in chart.rows)
    assert sorted(lengths) == [length for _value, length in sorted(zip(values, lengths, strict=True))]


@given(st.dictionaries(st.integers(1, 12), st.dictionaries(st.sampled_from(MESSAGE_KINDS), st.integers(0, 40)),
                       max_size=12))
def test_stacked_segments_add_up_to_their_column_within_the_chart(counts):
    chart = stacked_columns(counts, MESSAGE_KINDS)
    for column in chart.columns:
        assert sum(segment.value for segment in column.segments) == column.total
        assert all(segment.y >= chart.gridlines[-1][1] - 0.5 for segment in column.segments)
        assert abs(sum(segment.height for segment in column.segments)
                   - (chart.baseline - min([segment.y for segment in column.segments], default=chart.baseline))) < 1
