"""A year's report as a CSV table: one figure a line, in the reader's language, amounts a spreadsheet adds up."""

from flask import Response
from flask_babel import gettext as _

from app.domain.year_report import YearReport
from app.downloads import Cell, Number, csv_download
from app.models import Cooperative
from app.treasury.presenting import CATEGORY_LABELS, spreadsheet_amount


def _rows(report: YearReport) -> list[list[Cell]]:
    activity = report.activity
    rows: list[list[Cell]] = [
        [_("Activity"), _("Councils held"), Number(str(activity.councils_held))],
        [_("Activity"), _("Decisions taken"), Number(str(activity.decisions_taken))],
        [_("Activity"), _("Decisions done"), Number(str(activity.decisions_done))],
        [_("Activity"), _("Elections"), Number(str(activity.elections))],
        [_("Money"), _("Opening balance"), Number(spreadsheet_amount(report.opening_balance))],
    ]
    rows += [[_("Money in"), str(CATEGORY_LABELS[category]), Number(spreadsheet_amount(cents))]
             for category, cents in report.income.items()]
    rows += [[_("Money out"), str(CATEGORY_LABELS[category]), Number(spreadsheet_amount(cents))]
             for category, cents in report.expense.items()]
    rows += [[_("Money"), _("Total money in"), Number(spreadsheet_amount(report.total_income))],
             [_("Money"), _("Total money out"), Number(spreadsheet_amount(report.total_expense))],
             [_("Money"), _("Closing balance"), Number(spreadsheet_amount(report.closing_balance))]]
    return rows


def year_report_csv(cooperative: Cooperative, report: YearReport) -> Response:
    filename = f"year-report-{cooperative.id}-{cooperative.school_year}.csv"
    return csv_download([_("Part"), _("Figure"), _("Value")], _rows(report), filename)
