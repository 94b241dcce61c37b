"""The rules of a class cooperative's treasury: categories, which dates an entry may carry, which entries count,
totals and the year report. Plain Python over anything with the entry's fields; the public figures are in
public_figures.py.

An entry counts once an adult has confirmed it and until it is cancelled. An educator's own entries are confirmed
as they are recorded; those the pupils' treasurer records on the class tablet wait for the educator, who confirms
or refuses them: until then they change no total, balance or report.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

INCOME = "income"
EXPENSE = "expense"
KINDS = (INCOME, EXPENSE)
INCOME_CATEGORIES = ("donation", "initiative_donation", "fundraising", "grant", "other_income")
EXPENSE_CATEGORIES = ("programmes_events", "training_resources", "pupil_initiatives", "other_expense")
CATEGORIES = {INCOME: INCOME_CATEGORIES, EXPENSE: EXPENSE_CATEGORIES}
MAX_DESCRIPTION = 200
MAX_REASON = 200


class TreasuryError(ValueError):
    """An entry the rules refuse; code says why and field which part of the form it concerns."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


class Entry(Protocol):
    kind: str
    category: str
    amount_cents: int
    occurred_on: date

    @property
    def is_cancelled(self) -> bool: ...

    @property
    def is_confirmed(self) -> bool: ...


@dataclass(frozen=True)
class Draft:
    """An entry as typed, before it is recorded."""

    kind: str
    category: str
    occurred_on: date
    amount_cents: int
    description: str
    decision_id: int | None = None


def first_day(school_year: int) -> date:
    return date(school_year, 9, 1)


def last_day(school_year: int) -> date:
    return date(school_year + 1, 8, 31)


def check_draft(draft: Draft, school_year: int, today: date) -> None:
    """Refuses a draft the rules forbid; the decision's class is checked where decisions are known."""
    if draft.kind not in KINDS or draft.category not in CATEGORIES[draft.kind]:
        raise TreasuryError("bad_category", "category")
    if not first_day(school_year) <= draft.occurred_on <= last_day(school_year):
        raise TreasuryError("outside_year", "occurred_on")
    if draft.occurred_on > today:
        raise TreasuryError("future", "occurred_on")
    if not draft.description.strip() or len(draft.description) > MAX_DESCRIPTION:
        raise TreasuryError("bad_description", "description")
    if draft.kind == EXPENSE and draft.decision_id is None:
        raise TreasuryError("decision_required", "decision")
    if draft.kind == INCOME and draft.decision_id is not None:
        raise TreasuryError("decision_not_for_income", "decision")


def counts(entry: Entry) -> bool:
    """Confirmed by an adult and not cancelled: an entry waiting for confirmation, or refused, counts nowhere."""
    return entry.is_confirmed and not entry.is_cancelled


def _counted(entries: Iterable[Entry]) -> list[Entry]:
    return [entry for entry in entries if counts(entry)]


def check_waiting(confirmed: bool, refused: bool) -> None:
    """Only an entry still waiting may be confirmed or refused, once: a second tab's answer changes nothing."""
    if refused:
        raise TreasuryError("already_refused", "reason")
    if confirmed:
        raise TreasuryError("already_confirmed", "reason")


def totals_by_category(entries: Iterable[Entry]) -> dict[tuple[str, str], int]:
    """Cents per (kind, category), every category present (0 when nothing), only the entries that count."""
    totals = {(kind, category): 0 for kind in KINDS for category in CATEGORIES[kind]}
    for entry in _counted(entries):
        totals[entry.kind, entry.category] += entry.amount_cents
    return totals


def balance(entries: Iterable[Entry]) -> int:
    """Income minus expenses, in cents (negative when the class spent more than it received)."""
    return sum(entry.amount_cents if entry.kind == INCOME else -entry.amount_cents for entry in _counted(entries))


@dataclass(frozen=True)
class YearReport:
    school_year: int
    income: dict[str, int]
    expense: dict[str, int]

    @property
    def starts_on(self) -> date:
        return first_day(self.school_year)

    @property
    def ends_on(self) -> date:
        return last_day(self.school_year)

    @property
    def total_income(self) -> int:
        return sum(self.income.values())

    @property
    def total_expense(self) -> int:
        return sum(self.expense.values())

    @property
    def balance(self) -> int:
        return self.total_income - self.total_expense


def year_report(entries: Iterable[Entry], school_year: int) -> YearReport:
    """Totals by category of the entries dated from 1 September to 31 August of that school year."""
    within = [entry for entry in entries if first_day(school_year) <= entry.occurred_on <= last_day(school_year)]
    totals = totals_by_category(within)
    return YearReport(
        school_year,
        income={category: totals[INCOME, category] for category in INCOME_CATEGORIES},
        expense={category: totals[EXPENSE, category] for category in EXPENSE_CATEGORIES},
    )

