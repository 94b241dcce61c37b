"""The four public money figures: every treasury category is placed on purpose, and each figure is exactly the sum
of the categories placed in it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.public_figures import (
    FIGURE_KIND,
    FIGURE_OF,
    FIGURES,
    INITIATIVE_DONATIONS,
    NO_FIGURE,
    PROGRAMMES_EXPENSES,
    PROGRAMMES_FUNDS,
    TRAINING_RESOURCES,
    categories_feeding,
    public_figures,
)
from app.domain.treasury import CATEGORIES, EXPENSE, INCOME, KINDS

EVERY_CATEGORY = [(kind, category) for kind in KINDS for category in CATEGORIES[kind]]
cents = st.integers(min_value=0, max_value=10**9)
totals_per_category = st.fixed_dictionaries({source: cents for source in EVERY_CATEGORY})


def test_every_category_of_the_treasury_is_placed_and_nothing_else():
    assert sorted(FIGURE_OF) == sorted(EVERY_CATEGORY)


def test_every_figure_is_fed_and_only_by_money_of_its_own_kind():
    for figure in FIGURES:
        assert categories_feeding(figure), figure
    for (kind, category), figure in FIGURE_OF.items():
        assert figure is NO_FIGURE or FIGURE_KIND[figure] == kind, category


@pytest.mark.parametrize(("source", "figure"), [
    ((INCOME, "donation"), PROGRAMMES_FUNDS),  # a gift to the cooperative is not earmarked for the pupils' project
    ((INCOME, "initiative_donation"), INITIATIVE_DONATIONS),
    ((INCOME, "fundraising"), PROGRAMMES_FUNDS),
    ((INCOME, "grant"), PROGRAMMES_FUNDS),
    ((EXPENSE, "programmes_events"), PROGRAMMES_EXPENSES),
    ((EXPENSE, "pupil_initiatives"), PROGRAMMES_EXPENSES),
    ((EXPENSE, "training_resources"), TRAINING_RESOURCES),
    ((INCOME, "other_income"), NO_FIGURE),
    ((EXPENSE, "other_expense"), NO_FIGURE),
])
def test_one_euro_in_a_category_moves_only_its_figure(source, figure):
    expected = dict.fromkeys(FIGURES, 0) | ({figure: 100} if figure is not NO_FIGURE else {})
    assert public_figures({source: 100}) == expected


@given(totals_per_category)
def test_each_figure_is_the_sum_of_its_categories(totals):
    figures = public_figures(totals)
    for figure in FIGURES:
        assert figures[figure] == sum(totals[source] for source in EVERY_CATEGORY if FIGURE_OF[source] == figure)


@given(totals_per_category)
def test_no_money_is_lost_or_counted_twice(totals):
    left_out = sum(totals[source] for source in EVERY_CATEGORY if FIGURE_OF[source] is NO_FIGURE)
    assert sum(public_figures(totals).values()) + left_out == sum(totals.values())


def test_the_figures_come_in_the_order_of_the_organisation_and_start_at_zero():
    assert list(public_figures({})) == list(FIGURES)
    assert public_figures({}) == dict.fromkeys(FIGURES, 0)


def test_a_category_nobody_placed_is_refused_rather_than_left_out():
    with pytest.raises(KeyError):
        public_figures({(INCOME, "raffle"): 500})
