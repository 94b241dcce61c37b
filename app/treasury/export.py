"""The treasury as a CSV file a spreadsheet opens as it is: amounts in the page's language ("12,50" in French)
that the spreadsheet adds up, cancelled entries kept apart so its sums match the page. Only the class's book is
exported: what the pupils' treasurer recorded appears once the educator has confirmed it, with both names."""

from flask import Response
from flask_babel import gettext as _

from app import dates
from app.domain.treasury import counts
from app.downloads import Cell, Number, csv_download
from app.models import Cooperative, TreasuryEntry
from app.treasury.presenting import CATEGORY_LABELS, decision_label, spreadsheet_amount


def _cancellation(entry: TreasuryEntry) -> str:
    if not entry.is_cancelled:
        return ""
    day = dates.day(entry.cancelled_at, entry.cooperative.school)
    return _("Cancelled on %(day)s by %(name)s: %(reason)s", day=day, name=entry.cancelled_by,
             reason=entry.cancel_reason)


def _row(entry: TreasuryEntry) -> list[Cell]:
    amount = Number(spreadsheet_amount(entry.amount_cents))
    counted = amount if counts(entry) else ""
    return [
        entry.occurred_on.isoformat(),
        counted if entry.kind == "income" else "",
        counted if entry.kind == "expense" else "",
        str(CATEGORY_LABELS[entry.category]),
        entry.description,
        decision_label(entry.decision) if entry.decision else "",
        amount if entry.is_cancelled else "",
        _cancellation(entry),
        entry.recorded_by,
        entry.confirmed_by or "",
    ]


def _header() -> list[str]:
    return [_("Date"), _("Money in"), _("Money out"), _("Category"), _("Description"), _("Decision"),
            _("Cancelled amount"), _("Cancellation"), _("Recorded by"),
            _("Confirmed by")]


def treasury_csv(cooperative: Cooperative, entries: list[TreasuryEntry]) -> Response:
    filename = f"treasury-{cooperative.id}-{cooperative.school_year}.csv"
    return csv_download(_header(), (_row(entry) for entry in entries), filename)
