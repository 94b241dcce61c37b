"""A cooperative's year's report: the class's activity and money from 1 September to 31 August, printable and as
CSV, submitted once to the federation within its window and kept as it was; the head reads every class's report
and the school's sum."""

import html
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.treasury import Draft, first_day
from app.extensions import db
from app.models import YearReportSubmission
from app.models.types import utcnow
from app.services import assemblies, register, treasury

IN_JUNE = datetime(2027, 6, 15, 10, tzinfo=UTC)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def lived_year(world):
    """One council held, three decisions (one done, one an election, one dropped), 40 € in and 25.50 € out."""
    cooperative, now = world.cooperative, utcnow()
    council = assemblies.plan_assembly(cooperative, now - timedelta(hours=2), "Our classroom", now - timedelta(days=1))
    assemblies.open_assembly(council, now - timedelta(hours=2))
    assemblies.close_assembly(council, now - timedelta(hours=1))
    garden = register.record_decision(cooperative, register.NewDecision("We plant a garden", "consensus"), "Teacher A")
    register.follow_up(garden, "done", "Planted", "Teacher A")
    register.record_decision(cooperative, register.NewDecision("Delegates — Léa M., Hugo B.", "election"), "Teacher A")
    trip = register.NewDecision("A trip to the moon", "consensus")
    dropped = register.record_decision(cooperative, trip, "Teacher A")
    register.follow_up(dropped, "dropped", "Too far", "Teacher A")
    day = first_day(cooperative.school_year)
    treasury.record_entry(cooperative, Draft("income", "donation", day, 40_00, "Parents' gift"), world.educator, now)
    treasury.record_entry(cooperative, Draft("expense", "pupil_initiatives", day, 25_50, "Seeds", garden.id),
                          world.educator, now)
    db.session.commit()
    return cooperative


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr("app.reports.routes.utcnow", lambda: moment)


def submissions() -> int:
    return db.session.scalar(select(func.count()).select_from(YearReportSubmission))


def test_the_report_tells_the_years_activity_and_money(educator, lived_year):
    text = page(educator.client, f"/reports/classes/{lived_year.id}")
    for figure in ("Councils held</th><td class=\"amount\">1<", "Decisions taken</th><td class=\"amount\">2<",
                   "Decisions done</th><td class=\"amount\">1<", "Elections</th><td class=\"amount\">1<"):
        assert figure in text
    assert "€40.00" in text and "€25.50" in text and "€14.50" in text
    assert "Not submitted yet" in text


def test_the_csv_is_in_the_readers_language_with_figures_a_spreadsheet_adds_up(educator, lived_year):
    educator.client.post("/language", data={"language": "fr"})
    response = educator.client.get(f"/reports/classes/{lived_year.id}/csv")
    body = response.get_data().decode("utf-8-sig")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "Activité;Conseils tenus;1" in body
    assert "Argent;Solde de fin d’année;14,50" in body


def test_submitting_in_june_keeps_that_days_figures(monkeypatch, educator, world, lived_year):
    at(monkeypatch, IN_JUNE.replace(year=lived_year.school_year + 1))
    response = educator.client.post(f"/reports/classes/{lived_year.id}/submit")
    assert response.status_code == 302
    treasury.record_entry(lived_year, Draft("income", "grant", first_day(lived_year.school_year), 100_00, "Town hall"),
                          world.educator, utcnow())
    db.session.commit()
    text = page(educator.client, f"/reports/classes/{lived_year.id}")
    assert "Submitted to the federation on" in text and "by Teacher A" in text
    assert "€14.50" in text and "€114.50" not in text  # the figures of the day it was submitted

    again = educator.client.post(f"/reports/classes/{lived_year.id}/submit")
    assert again.status_code == 409 and "already submitted" in again.get_data(as_text=True)
    assert submissions() == 1


@pytest.mark.parametrize(("moment", "said"), [
    (lambda year: datetime(year + 1, 5, 31, 12, tzinfo=UTC), "The year is not over yet"),
    (lambda year: datetime(year + 1, 11, 1, 12, tzinfo=UTC), "The last day to submit this report was"),
])
def test_a_report_outside_its_window_is_refused_and_nothing_is_kept(monkeypatch, educator, lived_year, moment, said):
    at(monkeypatch, moment(lived_year.school_year))
    response = educator.client.post(f"/reports/classes/{lived_year.id}/submit")
    assert response.status_code == 409 and said in html.unescape(response.get_data(as_text=True))
    assert submissions() == 0


def test_who_may_read_and_who_may_submit(monkeypatch, world, make_client, head, lived_year):
    at(monkeypatch, IN_JUNE.replace(year=lived_year.school_year + 1))
    assert head.client.get(f"/reports/classes/{lived_year.id}").status_code == 200
    assert head.client.post(f"/reports/classes/{lived_year.id}/submit").status_code == 403
    other = make_client()
    other.sign_in(world.other_educator.email)
    assert other.client.get(f"/reports/classes/{lived_year.id}").status_code == 403
    assert other.client.post(f"/reports/classes/{lived_year.id}/submit").status_code == 403
    assert submissions() == 0


def test_the_head_reads_every_classs_report_and_the_schools_sum(monkeypatch, world, educator, head, lived_year):
    at(monkeypatch, IN_JUNE.replace(year=lived_year.school_year + 1))
    educator.client.post(f"/reports/classes/{lived_year.id}/submit")
    text = page(head.client, f"/reports/schools/{world.school.id}")
    assert "CM1 A" in text and "Submitted on" in text
    assert "The whole school" in text and "€14.50" in text


def test_the_school_reports_refuse_a_year_without_classes_and_other_schools(world, head, make_client):
    assert head.client.get(f"/reports/schools/{world.school.id}?year=1999").status_code == 404
    assert head.client.get(f"/reports/schools/{world.other_school.id}").status_code == 403
    teacher = make_client()
    teacher.sign_in(world.educator.email)
    assert teacher.client.get(f"/reports/schools/{world.school.id}").status_code == 403
