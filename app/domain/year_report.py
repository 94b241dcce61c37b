"""A cooperative's report of its school year (1 September → 31 August): what the class did and what its money did,
as the educator submits it to the federation. Plain Python: the figures, the submission window and the school's sum.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain import treasury
from app.domain.treasury import EXPENSE_CATEGORIES, INCOME_CATEGORIES

OPENS = (6, 1)  # a report may be submitted from 1 June of the year's end, when the councils are over
DEADLINE = (10, 31)  # and until 31 October after it, once the summer's accounts are closed


class YearReportError(ValueError):
    """A submission the rules refuse; the code says why."""


@dataclass(frozen=True)
class Activity:
    councils_held: int
    decisions_taken: int
    decisions_done: int
    elections: int


@dataclass(frozen=True)
class YearReport:
    school_year: int
    activity: Activity
    opening_balance: int  # cents carried from the year before (0 for a cooperative's first year)
    income: dict[str, int]
    expense: dict[str, int]

    @property
    def total_income(self) -> int:
        return sum(self.income.values())

    @property
    def total_expense(self) -> int:
        return sum(self.expense.values())

    @property
    def closing_balance(self) -> int:
        return self.opening_balance + self.total_income - self.total_expense

    @property
    def starts_on(self) -> date:
        return treasury.first_day(self.school_year)

    @property
    def ends_on(self) -> date:
        return treasury.last_day(self.school_year)


def build(money: treasury.YearReport, activity: Activity, opening_balance: int = 0) -> YearReport:
    return YearReport(money.school_year, activity, opening_balance, dict(money.income), dict(money.expense))


def submission_window(school_year: int) -> tuple[date, date]:
    end = school_year + 1
    return date(end, *OPENS), date(end, *DEADLINE)


def check_submission(school_year: int, today: date, already_submitted: bool) -> None:
    opens, closes = submission_window(school_year)
    if already_submitted:
        raise YearReportError("already_submitted")
    if today < opens:
        raise YearReportError("too_early")
    if today > closes:
        raise YearReportError("too_late")


def to_json(report: YearReport) -> str:
    """The figures as submitted: what the federation keeps, whatever is recorded afterwards."""
    return json.dumps({
        "school_year": report.school_year, "activity": report.activity.__dict__,
        "opening_balance": report.opening_balance, "income": report.income, "expense": report.expense,
    }, sort_keys=True)


def from_json(text: str) -> YearReport:
    figures = json.loads(text)
    return YearReport(figures["school_year"], Activity(**figures["activity"]), figures["opening_balance"],
                      figures["income"], figures["expense"])


def school_summary(school_year: int, reports: Iterable[YearReport]) -> YearReport:
    """Every class's report added up: the school's year."""
    reports = list(reports)
    activity = Activity(*(sum(getattr(report.activity, name) for report in reports)
                          for name in Activity.__dataclass_fields__))
    return YearReport(
        school_year, activity, sum(report.opening_balance for report in reports),
        {category: sum(report.income.get(category, 0) for report in reports) for category in INCOME_CATEGORIES},
        {category: sum(report.expense.get(category, 0) for report in reports) for category in EXPENSE_CATEGORIES},
    )
