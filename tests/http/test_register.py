"""The register: decisions from votes, follow-up, corrections, search, exports and tamper evidence."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text, update

from app.extensions import db
from app.models import Decision, RegisterEntry
from app.models.types import utcnow
from app.services import register
from tests.conftest import PASSWORD


def decide(cooperative, words: str, method: str = "consensus", **fields) -> Decision:
    decision = register.record_decision(cooperative, register.NewDecision(words, method, **fields), "Teacher A")
    db.session.commit()
    return decision


def test_an_adopted_motion_becomes_a_decision_and_a_rejected_one_does_not(world, educator):
    for question, votes_for in (("Plant a garden", 4), ("Paint the door red", 1)):
        response = educator.client.post(f"/polls/classes/{world.cooperative.id}/motions",
                                        data={"question": question, "rule": "simple"})
        poll_id = response.location.rsplit("/", 1)[1]
        educator.client.post(f"/polls/{poll_id}/show-of-hands",
                             data={"votes_for": votes_for, "votes_against": 2, "votes_abstain": 0})
    decisions = db.session.scalars(select(Decision)).all()
    assert [decision.text for decision in decisions] == ["Plant a garden"]
    assert decisions[0].method == "show_of_hands" and '"for":4' in decisions[0].figures


def test_a_consensus_is_recorded_with_responsible_pupils_and_a_due_date(world, educator):
    pupil, due = world.pupils[1], date.today() + timedelta(days=40)
    response = educator.client.post(f"/register/classes/{world.cooperative.id}/decisions", data={
        "text": "Tidy the library every Friday", "responsible": [pupil.id], "due_on": due.isoformat()})
    decision = db.session.scalars(select(Decision)).one()
    assert response.location.endswith(f"/register/decisions/{decision.id}")
    assert decision.responsible == [pupil] and decision.due_on == due
    page = educator.client.get(response.location).get_data(as_text=True)
    assert "Tidy the library every Friday" in page and pupil.display_name in page


def test_a_pupil_of_another_class_cannot_be_made_responsible(world, educator):
    response = educator.client.post(f"/register/classes/{world.cooperative.id}/decisions", data={
        "text": "X", "responsible": [world.other_pupils[0].id]})
    assert response.status_code == 400 and db.session.scalars(select(Decision)).all() == []


def test_a_consensus_is_refused_a_departed_pupil_or_a_due_date_already_past(world, educator):
    world.pupils[5].closed_at = utcnow()
    db.session.commit()
    url = f"/register/classes/{world.cooperative.id}/decisions"
    for fields, sentence in (({"responsible": [world.pupils[5].id]}, "has left the class"),
                             ({"due_on": (date.today() - timedelta(days=3)).isoformat()}, "before the decision")):
        response = educator.client.post(url, data={"text": "Tidy up", **fields})
        assert response.status_code == 400 and sentence in response.get_data(as_text=True)
    assert db.session.scalars(select(Decision)).all() == []


def test_follow_up_and_correction_are_new_entries_never_edits(world, educator):
    decision = decide(world.cooperative, "Buy a ball")
    educator.client.post(f"/register/decisions/{decision.id}/follow-up",
                         data={"status": "in_progress", "note": "Ordered"})
    educator.client.post(f"/register/decisions/{decision.id}/correct",
                         data={"text": "Buy two balls", "reason": "The class said two", "last_entry": 2})
    db.session.refresh(decision)
    assert decision.status == "in_progress" and decision.text == "Buy two balls"
    kinds = [entry.kind for entry in decision.entries]
    assert kinds == ["decision", "follow_up", "correction"]
    assert register.entry_fields(decision.entries[0])["text"] == "Buy a ball"
    assert register.verify(world.cooperative.id).ok


def test_open_decisions_come_back_until_done_or_dropped(world):
    kept = decide(world.cooperative, "Water the plants")
    finished = decide(world.cooperative, "Write to the mayor")
    register.follow_up(finished, "done", "Sent", "Teacher A")
    db.session.commit()
    assert register.open_decisions(world.cooperative) == [kept]


def test_the_chain_catches_an_edited_row(world, runner):
    decide(world.cooperative, "Keep the class tidy")
    second = decide(world.cooperative, "Hold a bake sale")
    decide(world.cooperative, "Visit the museum")
    db.session.execute(update(RegisterEntry).where(RegisterEntry.decision_id == second.id)
                       .values(content=RegisterEntry.content + " "))
    db.session.commit()
    report = register.verify(world.cooperative.id)
    assert not report.ok and report.first_broken_position == 2
    result = runner.invoke(args=["register", "verify"])
    assert result.exit_code == 1 and "BROKEN" in result.output and "entry 2" in result.output


def test_the_chain_catches_a_quietly_rewritten_decision(world, runner):
    decision = decide(world.cooperative, "Plant tulips")
    db.session.execute(update(Decision).where(Decision.id == decision.id).values(text="Plant roses"))
    db.session.commit()
    assert register.verify(world.cooperative.id).reason == "decision_differs"


def test_the_chain_catches_a_deleted_entry(world):
    decisions = [decide(world.cooperative, f"Decision {n}") for n in range(3)]
    db.session.execute(text("DELETE FROM register_entry WHERE decision_id = :id"), {"id": decisions[1].id})
    db.session.commit()
    report = register.verify(world.cooperative.id)
    assert not report.ok and report.first_broken_position == 3


def test_the_verify_command_says_ok_for_intact_registers(world, runner):
    decide(world.cooperative, "Plant a tree")
    result = runner.invoke(args=["register", "verify"])
    assert result.exit_code == 0 and "ok" in result.output


def test_the_register_page_shows_that_the_chain_holds(world, educator):
    decide(world.cooperative, "Plant a tree")
    page = educator.client.get(f"/register/classes/{world.cooperative.id}").get_data(as_text=True)
    assert "The register is intact" in page


@pytest.mark.parametrize(("words", "expected"), [
    ("ecole", ["Repeindre le mur de l’école"]),
    ("ÉCOLE", ["Repeindre le mur de l’école"]),
    ("jardins", ["Créer un jardin potager"]),
    ("potager jardin", ["Créer un jardin potager"]),
    ('"unclosed AND OR NOT (', []),
    ("*", ["Créer un jardin potager", "Repeindre le mur de l’école"]),
])
def test_search_ignores_case_and_accents_and_never_breaks(world, educator, words, expected):
    decide(world.cooperative, "Créer un jardin potager")
    decide(world.cooperative, "Repeindre le mur de l’école")
    response = educator.client.get(f"/register/classes/{world.cooperative.id}", query_string={"q": words})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text_ in ("Créer un jardin potager", "Repeindre le mur de l’école"):
        assert (text_ in page) == (text_ in expected), (words, text_)


def test_bad_filters_and_pages_get_a_clear_4xx(world, educator):
    url = f"/register/classes/{world.cooperative.id}"
    for args, status in (({"status": "lost"}, 400), ({"method": "dice"}, 400), ({"year": "soon"}, 400),
                         ({"q": "x" * 201}, 400), ({"page": "9"}, 404), ({"page": "-1"}, 400),
                         ({"cooperative": str(world.other_cooperative.id)}, 400)):
        response = educator.client.get(url, query_string=args)
        assert response.status_code == status, args
        assert "search" in response.get_data(as_text=True).lower() or status == 404


def test_filters_and_pages(world, educator):
    for number in range(30):
        decide(world.cooperative, f"Decision number {number}")
    register.follow_up(db.session.scalars(select(Decision)).first(), "done", "", "T")
    db.session.commit()
    url = f"/register/classes/{world.cooperative.id}"
    first = educator.client.get(url).get_data(as_text=True)
    assert "30 decisions" in first and "Page 1 of 2" in first
    done = educator.client.get(url, query_string={"status": "done"}).get_data(as_text=True)
    assert "1 decision" in done
    second = educator.client.get(url, query_string={"page": 2, "sort": "oldest"}).get_data(as_text=True)
    assert "Decision number 29" in second and "Decision number 0<" not in second


def test_the_csv_export_opens_with_accents_in_a_spreadsheet(world, educator):
    decide(world.cooperative, "Créer un jardin potager")
    decide(world.cooperative, "Acheter des ballons")
    response = educator.client.get(f"/register/classes/{world.cooperative.id}/register.csv",
                                   query_string={"q": "jardin"})
    assert response.mimetype == "text/csv" and response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][4] == "Decision" and [row[4] for row in rows[1:]] == ["Créer un jardin potager"]


def test_the_head_searches_every_class_of_the_school(world, head, make_client):
    decide(world.cooperative, "Créer un jardin potager")
    page = head.client.get(f"/register/schools/{world.school.id}", query_string={"q": "jardin"}).get_data(
        as_text=True)
    assert "Créer un jardin potager" in page and world.cooperative.name in page
    csv_export = head.client.get(f"/register/schools/{world.school.id}/register.csv")
    assert "Créer un jardin potager" in csv_export.data.decode("utf-8-sig")
    assert head.client.get(f"/register/schools/{world.other_school.id}").status_code == 403


def test_the_school_view_searches_only_its_school_newest_first(world, head):
    decide(world.cooperative, "Planter un jardin")
    decide(world.other_cooperative, "Planter un jardin ailleurs")
    decide(world.cooperative, "Agrandir le jardin")
    page = head.client.get(f"/register/schools/{world.school.id}", query_string={"q": "jardins"}).get_data(
        as_text=True)
    assert "2 decisions" in page and "ailleurs" not in page
    assert page.index("Agrandir le jardin") < page.index("Planter un jardin")
    oldest = head.client.get(f"/register/schools/{world.school.id}",
                             query_string={"q": "jardin", "sort": "oldest"}).get_data(as_text=True)
    assert oldest.index("Planter un jardin") < oldest.index("Agrandir le jardin")


@pytest.mark.parametrize("words", ["", "jardin"])
def test_the_school_year_filter_keeps_decisions_taken_during_that_year(world, head, words):
    paris = ZoneInfo("Europe/Paris")
    for day, text_ in ((datetime(2023, 8, 31, 23, 30, tzinfo=paris), "Jardin de fin d’année 2022"),
                       (datetime(2023, 9, 1, 0, 30, tzinfo=paris), "Jardin de rentrée 2023"),
                       (datetime(2024, 6, 1, 12, tzinfo=paris), "Jardin de juin 2024"),
                       (datetime(2024, 9, 2, 8, tzinfo=paris), "Jardin de rentrée 2024")):
        register.record_decision(world.cooperative, register.NewDecision(text_, "consensus"), "T", day)
    db.session.commit()
    page = head.client.get(f"/register/schools/{world.school.id}", query_string={"q": words, "year": 2023}).get_data(
        as_text=True)
    assert "2 decisions" in page and "rentrée 2023" in page and "juin 2024" in page
    assert "2022" not in page and "rentrée 2024" not in page
    empty = head.client.get(f"/register/schools/{world.school.id}", query_string={"q": words, "year": 2030})
    assert "0 decisions" in empty.get_data(as_text=True)


@pytest.mark.parametrize("words", ["", "jardin"])
def test_counting_stops_past_the_limit_and_says_so(world, head, monkeypatch, words):
    monkeypatch.setattr("app.register.routes.COUNT_LIMIT", 30)
    for number in range(32):
        decide(world.cooperative, f"Jardin numéro {number}")
    url = f"/register/schools/{world.school.id}"
    page = head.client.get(url, query_string={"q": words}).get_data(as_text=True)
    assert "More than 30 decisions" in page and "Page 1 of 2" in page and "Jardin numéro 31<" in page
    assert head.client.get(url, query_string={"q": words, "page": 3}).status_code == 404
    last = head.client.get(url, query_string={"q": words, "page": 2}).get_data(as_text=True)
    assert "Jardin numéro 6<" in last and "Jardin numéro 7<" not in last
    exported = head.client.get(f"{url}/register.csv", query_string={"q": words}).data.decode("utf-8-sig")
    assert exported.count("Jardin numéro") == 32


def test_a_decision_has_a_permanent_url_that_only_its_readers_open(world, educator, make_client):
    decision = decide(world.cooperative, "Créer un jardin potager")
    assert educator.client.get(f"/register/decisions/{decision.id}").status_code == 200
    other = make_client()
    other.sign_in(world.other_educator.email, PASSWORD)
    assert other.client.get(f"/register/decisions/{decision.id}").status_code == 403
    assert educator.client.get("/register/decisions/99999").status_code == 404


def test_html_in_a_decision_is_shown_as_text(world, educator):
    decision = decide(world.cooperative, "<script>alert(1)</script> garden")
    page = educator.client.get(f"/register/decisions/{decision.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_recorded_time_is_kept_in_utc(world):
    decision = decide(world.cooperative, "UTC")
    assert decision.decided_at.utcoffset().total_seconds() == 0 and decision.decided_at <= utcnow()


def test_a_decision_taken_during_an_assembly_belongs_to_it(world, educator):
    from app.services import assemblies

    assembly = assemblies.plan_assembly(world.cooperative, utcnow(), "Classroom", utcnow())
    assemblies.open_assembly(assembly, utcnow())
    db.session.commit()
    decision = decide(world.cooperative, "Go to the museum")
    assert decision.assembly_id == assembly.id
    page = educator.client.get(f"/register/decisions/{decision.id}").get_data(as_text=True)
    assert f"/assemblies/{assembly.id}" in page
