"""How the treasury reads on a page and in a spreadsheet: category names, the public figure each one feeds,
amounts in the page's language."""


from flask_babel import format_currency, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import dates
from app.domain import public_figures
from app.domain.money import to_decimal
from app.domain.public_figures import (
    INITIATIVE_DONATIONS,
    NO_FIGURE,
    PROGRAMMES_EXPENSES,
    PROGRAMMES_FUNDS,
    TRAINING_RESOURCES,
)

CURRENCY = "EUR"
MAX_LABEL = 90

CATEGORY_LABELS = {
    "donation": _l("Donations to the cooperative in general"),
    "initiative_donation": _l("Donations for a pupil-led initiative"),
    "fundraising": _l("Fundraising (fairs, sales, shows)"),
    "grant": _l("Grants and subsidies"),
    "other_income": _l("Other income"),
    "programmes_events": _l("Educational programmes and events"),
    "training_resources": _l("Training and resources"),
    "pupil_initiatives": _l("Pupil-led initiatives"),
    "other_expense": _l("Other expenses"),
}
KIND_LABELS = {"income": _l("Money in"), "expense": _l("Money out")}
KIND_PICTOS = {"income": "💰", "expense": "🛒"}
# The same categories as the treasurer reads them on the class tablet: common words, each with a pictogram.
PUPIL_CATEGORY_LABELS = {
    "donation": ("🎁", _l("A gift to our class")),
    "initiative_donation": ("🌱", _l("A gift for one of our projects")),
    "fundraising": ("🎪", _l("Money we raised: a fair, a sale, a show")),
    "grant": ("🏛️", _l("Money from the town or the school")),
    "other_income": ("➕", _l("Other money in")),
    "programmes_events": ("🎭", _l("An outing, a show or a class event")),
    "training_resources": ("📚", _l("Books, games and things to learn with")),
    "pupil_initiatives": ("🌱", _l("One of our projects")),
    "other_expense": ("➖", _l("Other money out")),
}
FIGURE_LABELS = {
    PROGRAMMES_FUNDS: _l("funds raised for educational programmes"),
    INITIATIVE_DONATIONS: _l("donations received for pupil-led initiatives"),
    TRAINING_RESOURCES: _l("funds allocated to training and resources"),
    PROGRAMMES_EXPENSES: _l("expenses for programmes and events"),
}


def format_money(cents: int) -> str:
    """12,50 € in French, €12.50 in English."""
    return format_currency(to_decimal(cents), CURRENCY)


def spreadsheet_amount(cents: int) -> str:
    """12,50 in French, 12.50 in English: no currency sign and no thousands separator, so spreadsheets read a
    number."""
    return format_decimal(to_decimal(cents), format="0.00")


def decision_label(decision) -> str:
    """A decision as an expense cites it: the day (on the school's clock) and its text, shortened."""
    text = decision.text if len(decision.text) <= MAX_LABEL else decision.text[:MAX_LABEL - 1] + "…"
    return f"{dates.day(decision.decided_at, decision.cooperative.school)} — {text}"


def public_figure_note(kind: str, category: str) -> str:
    """Where the federation's home page counts a category, for the educator who files an entry under it."""
    figure = public_figures.FIGURE_OF[kind, category]
    if figure is NO_FIGURE:
        return _("Not counted on the federation's home page")
    return _("On the federation's home page, counted in: %(figure)s", figure=FIGURE_LABELS[figure])


def treasury_labels() -> dict:
    return {"category_labels": CATEGORY_LABELS, "kind_labels": KIND_LABELS, "decision_label": decision_label,
            "kind_pictos": KIND_PICTOS, "pupil_category_labels": PUPIL_CATEGORY_LABELS,
            "figure_labels": FIGURE_LABELS, "public_figure_note": public_figure_note,
            "categories_feeding": public_figures.categories_feeding}
