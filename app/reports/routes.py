"""A cooperative's year's report (activity and money, 1 September → 31 August), printable and as CSV; the
educator submits it to the federation; a school head reads every class's report and the school's sum."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import dates
from app.authz import by_id, require
from app.domain import year_report
from app.domain.year_report import YearReportError
from app.errors import abort_with
from app.extensions import db
from app.forms import ButtonForm
from app.models import Cooperative, School
from app.models.types import utcnow
from app.reports.export import year_report_csv
from app.services import treasury, year_reports

blueprint = Blueprint("reports", __name__, url_prefix="/reports")
load_cooperative = by_id(Cooperative, "cooperative_id", "cooperative")


def _window(cooperative: Cooperative) -> dict:
    opens, closes = year_report.submission_window(cooperative.school_year)
    return {"opens": dates.day(opens, cooperative.school), "closes": dates.day(closes, cooperative.school)}


def refusal(error: YearReportError, cooperative: Cooperative) -> str:
    return {
        "already_submitted": _("This report was already submitted. The federation keeps the figures of that day."),
        "too_early": _("The year is not over yet: the report can be submitted from %(opens)s.", **_window(cooperative)),
        "too_late": _("The last day to submit this report was %(closes)s. Ask your departmental association to "
                      "accept it late.", **_window(cooperative)),
    }[str(error)]


@blueprint.get("/classes/<int:cooperative_id>")
@require("view_year_report", load=load_cooperative)
def class_report(cooperative: Cooperative):
    year = year_reports.class_year(cooperative)
    today = treasury.school_today(cooperative, utcnow())
    opens, closes = year_report.submission_window(cooperative.school_year)
    return render_template("reports/class.html", cooperative=cooperative, year=year, form=ButtonForm(),
                           window_open=opens <= today <= closes, window=_window(cooperative))


@blueprint.get("/classes/<int:cooperative_id>/csv")
@require("view_year_report", load=load_cooperative)
def class_report_download(cooperative: Cooperative):
    return year_report_csv(cooperative, year_reports.class_year(cooperative).report)


@blueprint.post("/classes/<int:cooperative_id>/submit")
@require("submit_year_report", load=load_cooperative)
def submit(cooperative: Cooperative):
    try:
        year_reports.submit(cooperative, current_user, utcnow())
    except YearReportError as error:
        abort_with(409, refusal(error, cooperative))
    db.session.commit()
    flash(_("The year's report is submitted to the federation."), "success")
    return redirect(url_for("reports.class_report", cooperative_id=cooperative.id))


@blueprint.get("/schools/<int:school_id>")
@require("view_school_reports", load=by_id(School, "school_id", "school"))
def school_reports(school: School):
    years = year_reports.school_years(school)
    chosen = request.args.get("year", type=int)
    if chosen is not None and chosen not in years:
        abort_with(404, _("The school has no class in this school year."))
    school_year = chosen if chosen is not None else (years[0] if years else None)
    classes = year_reports.school_year_reports(school, school_year) if school_year is not None else []
    summary = year_report.school_summary(school_year, (row.report for row in classes)) if classes else None
    return render_template("reports/school.html", school=school, years=years, school_year=school_year,
                           classes=classes, summary=summary)
