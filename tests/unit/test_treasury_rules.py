"""The treasury's rules without a database: totals, balance, the school year's edges."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import treasury
from app.domain.treasury import (
    CATEGORIES,
    EXPENSE,
    EXPENSE_CATEGORIES,
    INCOME,
    INCOME_CATEGORIES,
    Draft,
    TreasuryError,
    balance,
    check_draft,
    totals_by_category,
    year_report,
)
from app.services.treasury import school_today

YEAR = 2025


@dataclass
class Entry:
    kind: str
    category: str
    amount_cents: int
    occurred_on: date = date(2025, 10, 1)
    is_cancelled: bool = False
    is_confirmed: bool = True


def draft(**fields) -> Draft:
    values = {"kind": INCOME, "category": "donation", "occurred_on": date(2025, 10, 1), "amount_cents": 1250,
              "description": "Gift", "decision_id": None, **fields}
    return Draft(**values)


TODAY = date(2026, 3, 1)


def test_a_good_draft_passes():
    check_draft(draft(), YEAR, TODAY)
    check_draft(draft(kind=EXPENSE, category="programmes_events", decision_id=3), YEAR, TODAY)


@pytest.mark.parametrize(("day", "allowed"), [
    (date(2025, 8, 31), False), (date(2025, 9, 1), True), (date(2026, 8, 31), True), (date(2026, 9, 1), False),
])
def test_the_school_year_runs_from_1_september_to_31_august(day, allowed):
    today = date(2027, 1, 1)
    if allowed:
        check_draft(draft(occurred_on=day), YEAR, today)
    else:
        with pytest.raises(TreasuryError) as refused:
            check_draft(draft(occurred_on=day), YEAR, today)
        assert (refused.value.code, refused.value.field) == ("outside_year", "occurred_on")


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"occurred_on": date(2026, 3, 2)}, "future", "occurred_on"),
    ({"category": "programmes_events"}, "bad_category", "category"),
    ({"kind": "gift"}, "bad_category", "category"),
    ({"description": "   "}, "bad_description", "description"),
    ({"description": "x" * 201}, "bad_description", "description"),
    ({"kind": EXPENSE, "category": "other_expense"}, "decision_required", "decision"),
    ({"decision_id": 4}, "decision_not_for_income", "decision"),
])
def test_drafts_the_rules_refuse(fields, code, field):
    with pytest.raises(TreasuryError) as refused:
        check_draft(draft(**fields), YEAR, TODAY)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_totals_by_category_leave_cancelled_entries_out():
    entries = [Entry(INCOME, "donation", 1000), Entry(INCOME, "donation", 250), Entry(INCOME, "grant", 5000),
               Entry(EXPENSE, "pupil_initiatives", 800), Entry(INCOME, "donation", 99999, is_cancelled=True)]
    totals = totals_by_category(entries)
    assert totals[INCOME, "donation"] == 1250 and totals[INCOME, "grant"] == 5000
    assert totals[EXPENSE, "pupil_initiatives"] == 800 and totals[EXPENSE, "other_expense"] == 0
    assert len(totals) == len(INCOME_CATEGORIES) + len(EXPENSE_CATEGORIES)
    assert balance(entries) == 1250 + 5000 - 800


def test_a_balance_can_go_below_zero():
    assert balance([Entry(INCOME, "donation", 100), Entry(EXPENSE, "other_expense", 350)]) == -250


def test_the_year_report_keeps_only_that_school_year():
    entries = [Entry(INCOME, "grant", 100, date(2025, 8, 31)), Entry(INCOME, "grant", 200, date(2025, 9, 1)),
               Entry(EXPENSE, "training_resources", 50, date(2026, 8, 31)),
               Entry(EXPENSE, "training_resources", 70, date(2026, 9, 1))]
    report = year_report(entries, YEAR)
    assert report.income["grant"] == 200 and report.expense["training_resources"] == 50
    assert (report.total_income, report.total_expense, report.balance) == (200, 50, 150)
    assert (report.starts_on, report.ends_on) == (date(2025, 9, 1), date(2026, 8, 31))
    assert list(report.income) == list(INCOME_CATEGORIES) and list(report.expense) == list(EXPENSE_CATEGORIES)


entry_strategy = st.builds(
    lambda kind, index, cents, cancelled: Entry(kind, CATEGORIES[kind][index], cents, is_cancelled=cancelled),
    st.sampled_from((INCOME, EXPENSE)), st.integers(0, 3), st.integers(1, 10_000_000), st.booleans(),
)


@given(st.lists(entry_strategy, max_size=40))
def test_the_report_adds_up_and_order_does_not_matter(entries):
    report = year_report(entries, YEAR)
    assert report.balance == balance(entries)
    assert sum(report.income.values()) + sum(report.expense.values()) == sum(
        entry.amount_cents for entry in entries if not entry.is_cancelled)
    assert year_report(list(reversed(entries)), YEAR) == report
    assert all(isinstance(total, int) for total in (*report.income.values(), *report.expense.values()))


@pytest.mark.parametrize(("moment", "expected"), [
    (datetime(2025, 8, 31, 21, 59, tzinfo=UTC), date(2025, 8, 31)),  # 23:59 in Paris
    (datetime(2025, 8, 31, 22, 30, tzinfo=UTC), date(2025, 9, 1)),  # 00:30 in Paris: the new year has begun
])
def test_today_is_taken_on_the_school_clock(moment, expected):
    cooperative = SimpleNamespace(school=SimpleNamespace(timezone="Europe/Paris"))
    assert school_today(cooperative, moment) == expected


def test_first_and_last_day():
    assert (treasury.first_day(2030), treasury.last_day(2030)) == (date(2030, 9, 1), date(2031, 8, 31))
