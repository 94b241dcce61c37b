"""The federation's four public money figures (SPEC §9): which figure every treasury category feeds, or why it
feeds none, and the figures summed from that mapping alone."""

from collections.abc import Mapping

from app.domain.treasury import EXPENSE, INCOME

PROGRAMMES_FUNDS = "programmes_funds"  # funds raised for educational programmes
INITIATIVE_DONATIONS = "initiative_donations"  # donations received for pupil-led initiatives
TRAINING_RESOURCES = "training_resources"  # funds allocated to training and resources
PROGRAMMES_EXPENSES = "programmes_expenses"  # expenses for programmes and events
FIGURES = (PROGRAMMES_FUNDS, INITIATIVE_DONATIONS, TRAINING_RESOURCES, PROGRAMMES_EXPENSES)
FIGURE_KIND = {PROGRAMMES_FUNDS: INCOME, INITIATIVE_DONATIONS: INCOME,
               TRAINING_RESOURCES: EXPENSE, PROGRAMMES_EXPENSES: EXPENSE}
NO_FIGURE = None

# Every (kind, category) of the treasury, placed on purpose: a category missing here fails the tests.
FIGURE_OF: dict[tuple[str, str], str | None] = {
    (INCOME, "donation"): PROGRAMMES_FUNDS,  # given to the cooperative, not to an initiative of the pupils
    (INCOME, "initiative_donation"): INITIATIVE_DONATIONS,
    (INCOME, "fundraising"): PROGRAMMES_FUNDS,
    (INCOME, "grant"): PROGRAMMES_FUNDS,
    # Whatever a class could not file elsewhere (a refund, bank interest…) was neither raised nor given for a
    # programme: the public figures count only what they can name.
    (INCOME, "other_income"): NO_FIGURE,
    (EXPENSE, "programmes_events"): PROGRAMMES_EXPENSES,
    (EXPENSE, "training_resources"): TRAINING_RESOURCES,
    # An initiative the pupils lead (a garden, a trip, a show) is one of the class's educational programmes.
    (EXPENSE, "pupil_initiatives"): PROGRAMMES_EXPENSES,
    # Bank charges, insurance, a refund: spent on no programme, training or resource.
    (EXPENSE, "other_expense"): NO_FIGURE,
}


def categories_feeding(figure: str | None) -> list[str]:
    """The categories that feed a figure (NO_FIGURE: those that feed none), in the mapping's order."""
    return [category for (_kind, category), fed in FIGURE_OF.items() if fed == figure]


def public_figures(totals: Mapping[tuple[str, str], int]) -> dict[str, int]:
    """Cents per figure, in FIGURES order, from totals per (kind, category); an unmapped category raises KeyError
    rather than vanish from every figure."""
    figures = dict.fromkeys(FIGURES, 0)
    for source, cents in totals.items():
        figure = FIGURE_OF[source]
        if figure is not NO_FIGURE:
            figures[figure] += cents
    return figures
