"""Which entries count: only those an adult confirmed and nobody cancelled. Whatever the pupils' treasurer records
and the educator has not confirmed (waiting, or refused) changes no total, balance or report, and no public figure."""

from dataclasses import dataclass, replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.public_figures import public_figures
from app.domain.treasury import (
    CATEGORIES,
    EXPENSE,
    INCOME,
    TreasuryError,
    balance,
    check_waiting,
    counts,
    totals_by_category,
    year_report,
)

YEAR = 2025


@dataclass(frozen=True)
class Entry:
    kind: str
    category: str
    amount_cents: int
    occurred_on: date = date(2025, 10, 1)
    is_cancelled: bool = False
    is_confirmed: bool = True


def an_entry(confirmed: st.SearchStrategy[bool]) -> st.SearchStrategy[Entry]:
    return st.builds(
        lambda kind, index, cents, day, cancelled, is_confirmed: Entry(
            kind, CATEGORIES[kind][index % len(CATEGORIES[kind])], cents, day, cancelled and is_confirmed,
            is_confirmed),
        st.sampled_from((INCOME, EXPENSE)), st.integers(0, 4), st.integers(1, 10_000_000),
        st.dates(date(2025, 8, 1), date(2026, 9, 30)), st.booleans(), confirmed,
    )


confirmed_entries = st.lists(an_entry(st.just(True)), max_size=30)
unconfirmed_entries = st.lists(an_entry(st.just(False)), min_size=1, max_size=30)


def everything(entries) -> tuple:
    """Every figure the treasury computes from a list of entries."""
    totals = totals_by_category(entries)
    return totals, balance(entries), year_report(entries, YEAR), public_figures(totals)


@given(confirmed_entries, unconfirmed_entries, st.randoms())
def test_unconfirmed_entries_never_change_any_total(book, waiting, random):
    mixed = book + waiting
    random.shuffle(mixed)
    assert everything(mixed) == everything(book)


@given(confirmed_entries, an_entry(st.just(False)))
def test_confirming_an_entry_adds_exactly_its_amount(book, waiting):
    before, after = balance([*book, waiting]), balance([*book, replace(waiting, is_confirmed=True)])
    assert after - before == (waiting.amount_cents if waiting.kind == INCOME else -waiting.amount_cents)


def test_an_entry_counts_once_confirmed_and_until_cancelled():
    entry = Entry(INCOME, "donation", 500, is_confirmed=False)
    assert not counts(entry)
    assert counts(replace(entry, is_confirmed=True))
    assert not counts(replace(entry, is_confirmed=True, is_cancelled=True))


def test_only_a_waiting_entry_is_confirmed_or_refused():
    check_waiting(confirmed=False, refused=False)
    for confirmed, refused, code in ((True, False, "already_confirmed"), (False, True, "already_refused")):
        with pytest.raises(TreasuryError) as refusal:
            check_waiting(confirmed, refused)
        assert refusal.value.code == code


def test_a_report_of_waiting_entries_only_is_empty():
    waiting = [Entry(INCOME, "grant", 10_000, is_confirmed=False), Entry(EXPENSE, "other_expense", 50,
                                                                         is_confirmed=False)]
    report = year_report(waiting, YEAR)
    assert (report.total_income, report.total_expense, report.balance) == (0, 0, 0)
    assert set(public_figures(totals_by_category(waiting)).values()) == {0}
