"""Cooperatives' year's reports: the live figures of a class's year, its submission to the federation, and a
school's classes side by side."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.domain import year_report
from app.domain.year_report import Activity, YearReport, YearReportError
from app.extensions import db
from app.models import Assembly, Cooperative, Decision, School, User, YearReportSubmission
from app.services import treasury


def activity_of(cooperative: Cooperative) -> Activity:
    councils = select(func.count()).where(Assembly.cooperative_id == cooperative.id, Assembly.status == "closed")
    decisions = select(Decision.method, Decision.status, func.count()).where(
        Decision.cooperative_id == cooperative.id).group_by(Decision.method, Decision.status)
    counts = db.session.execute(decisions).all()
    return Activity(
        councils_held=db.session.scalar(councils),
        decisions_taken=sum(count for _method, status, count in counts if status != "dropped"),
        decisions_done=sum(count for _method, status, count in counts if status == "done"),
        elections=sum(count for method, _status, count in counts if method == "election"),
    )


def live_report(cooperative: Cooperative) -> YearReport:
    """The year as recorded today."""
    money = treasury.year_report(cooperative, treasury.entries_of(cooperative))
    return year_report.build(money, activity_of(cooperative))


def submission_of(cooperative: Cooperative) -> YearReportSubmission | None:
    return db.session.scalar(select(YearReportSubmission).where(YearReportSubmission.cooperative_id == cooperative.id))


def submit(cooperative: Cooperative, by: User, now) -> YearReportSubmission:
    """Keeps today's figures as the class's report to the federation; once only, within the window."""
    today = treasury.school_today(cooperative, now)
    year_report.check_submission(cooperative.school_year, today, submission_of(cooperative) is not None)
    figures = year_report.to_json(live_report(cooperative))
    submission = YearReportSubmission(cooperative=cooperative, school_year=cooperative.school_year, submitted_at=now,
                                      submitted_by=by.display_name, figures=figures)
    db.session.add(submission)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same report sent twice at once: the other one is kept
        db.session.rollback()
        raise YearReportError("already_submitted") from error
    return submission


@dataclass(frozen=True)
class ClassYear:
    cooperative: Cooperative
    report: YearReport  # as submitted, or as recorded today when not yet submitted
    submission: YearReportSubmission | None


def class_year(cooperative: Cooperative) -> ClassYear:
    submission = submission_of(cooperative)
    report = year_report.from_json(submission.figures) if submission else live_report(cooperative)
    return ClassYear(cooperative, report, submission)


def school_years(school: School) -> list[int]:
    """The school years the school has classes in, the latest first."""
    return sorted({cooperative.school_year for cooperative in school.cooperatives}, reverse=True)


def school_year_reports(school: School, school_year: int) -> list[ClassYear]:
    return [class_year(cooperative) for cooperative in school.cooperatives if cooperative.school_year == school_year]
