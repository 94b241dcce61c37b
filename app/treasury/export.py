"""The treasury as a CSV file a spreadsheet opens as it is: UTF-8 with a byte-order mark (accents), amounts in the
page's language ("12,50" in French) and, where the comma is the decimal sign, semicolons between columns."""

import csv
import io

from babel.numbers import get_decimal_symbol
from flask import Response
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from app.models import Cooperative, TreasuryEntry
from app.treasury.presenting import CATEGORY_LABELS, decision_label, school_day, spreadsheet_amount

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Free text never starts a spreadsheet formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cancellation(entry: TreasuryEntry) -> str:
    if not entry.is_cancelled:
        return ""
    day = format_date(school_day(entry.cancelled_at, entry.cooperative.school), "medium")
    return _("Cancelled on %(day)s by %(name)s: %(reason)s", day=day, name=entry.cancelled_by,
             reason=entry.cancel_reason)


def _row(entry: TreasuryEntry) -> list[str]:
    amount = spreadsheet_amount(entry.amount_cents)
    counted = "" if entry.is_cancelled else amount
    return [
        entry.occurred_on.isoformat(),
        counted if entry.kind == "income" else "",
        counted if entry.kind == "expense" else "",
        str(CATEGORY_LABELS[entry.category]),
        _text(entry.description),
        _text(decision_label(entry.decision)) if entry.decision else "",
        amount if entry.is_cancelled else "",
        _text(_cancellation(entry)),
        _text(entry.recorded_by),
    ]


def _header() -> list[str]:
    return [_("Date"), _("Money in"), _("Money out"), _("Category"), _("Description"), _("Decision"),
            _("Cancelled amount"), _("Cancellation"), _("Recorded by")]


def treasury_csv(cooperative: Cooperative, entries: list[TreasuryEntry]) -> Response:
    buffer = io.StringIO()
    delimiter = ";" if get_decimal_symbol(get_locale()) == "," else ","
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(_header())
    writer.writerows(_row(entry) for entry in entries)
    filename = f"treasury-{cooperative.id}-{cooperative.school_year}.csv"
    response = Response(buffer.getvalue().encode("utf-8-sig"), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
