"""The year's report: when it may be submitted, and the school's sum of its classes' reports."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import year_report
from app.domain.treasury import EXPENSE_CATEGORIES, INCOME_CATEGORIES
from app.domain.year_report import Activity, YearReport, YearReportError

cents = st.integers(min_value=0, max_value=100_000)
reports = st.builds(
    YearReport, st.just(2026),
    st.builds(Activity, *(st.integers(0, 50) for _ in range(4))),
    cents,
    st.fixed_dictionaries({category: cents for category in INCOME_CATEGORIES}),
    st.fixed_dictionaries({category: cents for category in EXPENSE_CATEGORIES}),
)


def test_a_report_is_submitted_from_june_to_october_after_its_year():
    assert year_report.submission_window(2026) == (date(2027, 6, 1), date(2027, 10, 31))


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)), st.booleans())
def test_the_submission_is_refused_outside_its_window_or_the_second_time(today, already):
    opens, closes = year_report.submission_window(2026)
    expected = ("already_submitted" if already else "too_early" if today < opens
                else "too_late" if today > closes else None)
    if expected is None:
        year_report.check_submission(2026, today, already)
    else:
        with pytest.raises(YearReportError, match=expected):
            year_report.check_submission(2026, today, already)


def test_the_last_day_is_still_on_time_and_the_next_is_late():
    _opens, closes = year_report.submission_window(2026)
    year_report.check_submission(2026, closes, False)
    with pytest.raises(YearReportError, match="too_late"):
        year_report.check_submission(2026, closes + timedelta(days=1), False)


@given(st.lists(reports, max_size=4))
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a busy machine draws slowly
def test_the_schools_sum_adds_up_every_figure_of_its_classes(classes):
    summary = year_report.school_summary(2026, classes)
    assert summary.closing_balance == sum(report.closing_balance for report in classes)
    assert summary.total_income == sum(report.total_income for report in classes)
    assert summary.activity.decisions_taken == sum(report.activity.decisions_taken for report in classes)
    assert summary.activity.councils_held == sum(report.activity.councils_held for report in classes)


@given(reports)
def test_the_submitted_figures_read_back_as_they_were(report):
    assert year_report.from_json(year_report.to_json(report)) == report
