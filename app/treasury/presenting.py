"""How the treasury reads on a page and in a spreadsheet: category names, amounts in the page's language."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_currency, format_date, format_decimal
from flask_babel import lazy_gettext as _l

from app.domain.money import to_decimal

CURRENCY = "EUR"
MAX_LABEL = 90

CATEGORY_LABELS = {
    "donation": _l("Donations"),
    "fundraising": _l("Fundraising (fairs, sales, shows)"),
    "grant": _l("Grants and subsidies"),
    "other_income": _l("Other income"),
    "programmes_events": _l("Educational programmes and events"),
    "training_resources": _l("Training and resources"),
    "pupil_initiatives": _l("Pupil-led initiatives"),
    "other_expense": _l("Other expenses"),
}
KIND_LABELS = {"income": _l("Money in"), "expense": _l("Money out")}


def format_money(cents: int) -> str:
    """12,50 € in French, €12.50 in English."""
    return format_currency(to_decimal(cents), CURRENCY)


def spreadsheet_amount(cents: int) -> str:
    """12,50 in French, 12.50 in English: no currency sign and no thousands separator, so spreadsheets read a
    number."""
    return format_decimal(to_decimal(cents), format="0.00")


def school_day(moment: datetime, school) -> date:
    """The day a UTC moment falls on, on the school's clock."""
    return moment.astimezone(ZoneInfo(school.timezone)).date()


def decision_label(decision) -> str:
    """A decision as an expense cites it: the day (on the school's clock) and its text, shortened."""
    day = school_day(decision.decided_at, decision.cooperative.school)
    text = decision.text if len(decision.text) <= MAX_LABEL else decision.text[:MAX_LABEL - 1] + "…"
    return f"{format_date(day, 'medium')} — {text}"


def treasury_labels() -> dict:
    return {"category_labels": CATEGORY_LABELS, "kind_labels": KIND_LABELS, "decision_label": decision_label,
            "school_day": school_day}
