"""A decision taken by a vote gets its wording, its responsible pupils and a due date, as a correction entry of the
register: the chain still holds, the first wording stays in the history, and nothing is half-written on a refusal."""

import csv
import html
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from app.domain.decisions import day_decided
from app.extensions import db
from app.models import Decision
from app.models.types import utcnow
from app.services import classes, register
from tests.http.test_minutes import council_in_session, minutes_page, vote_on_the_proposal
from tests.http.test_polls import create_motion, open_election, open_motion, vote

PROPOSED = "Je propose qu'on fasse une sortie au musée"
DECIDED = "Nous irons au musée en mai"


def voted_by_secret_ballot(world, educator, tablet, question: str = PROPOSED) -> Decision:
    """The class votes the proposal on the tablet (4 for, 1 against), the educator counts and announces it."""
    poll, _response = open_motion(educator, world, question=question)
    for pupil, choice in zip(world.pupils[:5], ["for"] * 4 + ["against"], strict=True):
        vote(tablet, pupil, poll, choice=choice)
    assert educator.client.post(f"/polls/{poll.id}/close").status_code == 302
    assert educator.client.post(f"/polls/{poll.id}/publish").status_code == 302
    return db.session.scalars(select(Decision).where(Decision.poll_id == poll.id)).one()


def voted_by_hands(world, educator, question: str = PROPOSED) -> Decision:
    poll = create_motion(educator, world, question=question)
    response = educator.client.post(f"/polls/{poll.id}/show-of-hands",
                                    data={"votes_for": 5, "votes_against": 1, "votes_abstain": 0})
    assert response.status_code == 302
    return db.session.scalars(select(Decision).where(Decision.poll_id == poll.id)).one()


@pytest.fixture
def decision(world, educator) -> Decision:
    return voted_by_hands(world, educator)


def decided_on(decision: Decision) -> date:
    return day_decided(decision.decided_at, decision.cooperative.school.timezone)


def latest_position(decision: Decision) -> int:
    db.session.expire_all()
    return db.session.get(Decision, decision.id).entries[-1].position


def word(client, decision: Decision, **fields):
    """Sends the wording form as the decision's page shows it now, with some fields changed."""
    data = {"text": decision.text, "responsible": [pupil.id for pupil in decision.responsible],
            "due_on": decision.due_on.isoformat() if decision.due_on else "", "reason": "",
            "last_entry": latest_position(decision), **fields}
    return client.post(f"/register/decisions/{decision.id}/correct", data=data)


def page_of(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def entries_of(decision: Decision) -> list[str]:
    db.session.expire_all()
    return [entry.kind for entry in db.session.get(Decision, decision.id).entries]


def test_the_educator_words_a_voted_decision_names_who_and_sets_a_date_where_the_result_is_announced(
        world, educator, tablet, runner):
    decision = voted_by_secret_ballot(world, educator, tablet)
    assert decision.text == PROPOSED and decision.responsible == [] and decision.due_on is None
    poll_page = page_of(educator.client, f"/polls/{decision.poll_id}")
    assert f'action="/register/decisions/{decision.id}/correct"' in poll_page and "<details" in poll_page

    due = decided_on(decision) + timedelta(days=150)
    helpers = [world.pupils[2], world.pupils[4]]
    response = word(educator.client, decision, text=DECIDED, responsible=[p.id for p in helpers],
                    due_on=due.isoformat(), back="poll")

    assert response.status_code == 302 and response.location == f"/polls/{decision.poll_id}#decision"
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    assert decision.text == DECIDED and decision.due_on == due
    assert sorted(p.id for p in decision.responsible) == sorted(p.id for p in helpers)
    first, correction = decision.entries
    assert (first.kind, correction.kind, correction.corrects_id) == ("decision", "correction", first.id)
    assert register.entry_fields(first)["text"] == PROPOSED, "the first entry is never edited"
    said = register.entry_fields(correction)
    assert (said["text"], said["due_on"], said["responsible"]) == (DECIDED, due.isoformat(),
                                                                    sorted(p.id for p in helpers))
    assert register.verify(world.cooperative.id).ok
    assert runner.invoke(args=["register", "verify"]).exit_code == 0

    page = page_of(educator.client, f"/register/decisions/{decision.id}")
    assert f"<h1>{DECIDED} <small>" in page and f"First recorded as “{PROPOSED}”." in page
    history = page[page.index("History in the register"):]
    assert history.index(PROPOSED) < history.index(DECIDED)
    assert all(pupil.display_name in history for pupil in helpers)


def test_a_change_records_only_what_changes_and_can_clear_the_date(world, educator, decision):
    due = decided_on(decision) + timedelta(days=30)
    assert word(educator.client, decision, due_on=due.isoformat(), responsible=[world.pupils[0].id]).status_code == 302
    assert word(educator.client, decision, due_on="", responsible=[world.pupils[0].id]).status_code == 302
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    assert decision.due_on is None and decision.text == PROPOSED
    said = [register.entry_fields(entry) for entry in decision.entries[1:]]
    assert said[0].keys() - {"kind", "decision", "recorded_at", "recorded_by", "corrects"} == {
        "due_on", "responsible", "reason"}
    assert said[1]["due_on"] is None and "text" not in said[1] and "responsible" not in said[1]
    page = page_of(educator.client, f"/register/decisions/{decision.id}")
    assert "To be done by: no date" in page and "First recorded as" not in page
    assert register.verify(world.cooperative.id).ok


def test_the_register_search_the_csv_export_and_the_tablet_show_the_new_wording(world, educator, decision, tablet):
    due = decided_on(decision) + timedelta(days=20)
    word(educator.client, decision, text=DECIDED, responsible=[world.pupils[1].id], due_on=due.isoformat())
    url = f"/register/classes/{world.cooperative.id}"
    assert DECIDED in page_of(educator.client, f"{url}?q=musees+mai")
    assert "1 decision" not in page_of(educator.client, f"{url}?q=sortie") and DECIDED not in page_of(
        educator.client, f"{url}?q=sortie")
    rows = list(csv.reader(io.StringIO(educator.client.get(f"{url}/register.csv").data.decode("utf-8-sig"))))
    assert [(row[4], row[8], row[9]) for row in rows[1:]] == [(DECIDED, world.pupils[1].display_name,
                                                               due.isoformat())]
    tablet.sign_in_pupil(world.pupils[3])
    home = page_of(tablet.client, "/tablet/me")
    assert DECIDED in home and world.pupils[1].display_name in home


def test_the_minutes_show_the_wording_who_and_by_when_under_the_vote_and_among_the_decisions(
        world, educator, tablet):
    assembly = council_in_session(world, educator)
    poll = vote_on_the_proposal(world, educator, tablet, assembly)
    educator.client.post(f"/polls/{poll.id}/publish")
    decision = db.session.scalars(select(Decision).where(Decision.poll_id == poll.id)).one()
    due = decided_on(decision) + timedelta(days=40)
    helper = world.pupils[2]
    assert word(educator.client, decision, text=DECIDED, responsible=[helper.id], due_on=due.isoformat(),
                back="poll").status_code == 302

    page = minutes_page(educator.client, assembly)
    agenda = page[page.index("Agenda and outcomes"):page.index("Who spoke")]
    decisions = page[page.index(">Decisions</h2>"):page.index(">Signatures</h2>")]
    for part in (agenda, decisions):
        assert DECIDED in part and f"Responsible: {helper.display_name}" in part
        assert f"To be done by {due.day} {due.strftime('%B')} {due.year}" in part
    assert f"Decision: {DECIDED}" in agenda


def test_a_pupil_already_responsible_who_left_may_stay_named(world, educator, decision):
    leaving = world.pupils[5]
    assert word(educator.client, decision, responsible=[leaving.id]).status_code == 302
    classes.remove_pupil(leaving, utcnow())
    db.session.commit()
    assert leaving.closed_at is not None, "a pupil responsible for a decision is closed, never deleted"
    decision = db.session.get(Decision, decision.id)
    assert word(educator.client, decision, text=DECIDED).status_code == 302
    assert register.verify(world.cooperative.id).ok


def _refusals(world, decision: Decision) -> list[tuple[dict, int, str]]:
    day = decided_on(decision)
    world.pupils[5].closed_at = utcnow()
    db.session.commit()
    return [
        ({"text": ""}, 422, "Write the decision."),
        ({"text": "   "}, 422, "Write the decision."),
        ({"text": "x" * 1001}, 422, "Field cannot be longer than 1000 characters."),
        ({"due_on": (day - timedelta(days=1)).isoformat()}, 422, "before the decision was taken"),
        ({"due_on": "3000-01-01"}, 422, "Choose a day between the years 2000 and 2200."),
        ({"due_on": (day + timedelta(days=6 * 366)).isoformat()}, 422, "at the latest: five years after"),
        ({"due_on": "31/05/2027"}, 422, "Choose a day in the calendar"),
        ({"responsible": [world.other_pupils[0].id]}, 422, "A responsible pupil must be a member of the class."),
        ({"responsible": [999_999]}, 422, "A responsible pupil must be a member of the class."),
        ({"responsible": ["Léa"]}, 422, "A responsible pupil must be a member of the class."),
        ({"responsible": [world.pupils[5].id]}, 422, "has left the class"),
        ({"reason": "y" * 301}, 422, "Field cannot be longer than 300 characters."),
        ({"last_entry": ""}, 422, "reload the page"),
        ({"last_entry": "-3"}, 422, "Reload the page"),
        ({"back": "https://evil.example.org"}, 422, "This form is out of date: reload the page and try again."),
        ({}, 422, "Nothing is changed"),
    ]


def test_bad_inputs_get_a_clear_sentence_and_write_nothing(world, educator, decision):
    for fields, status, sentence in _refusals(world, decision):
        before = (decision.text, decision.due_on, list(decision.responsible))
        response = word(educator.client, decision, **fields)
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == status, (fields, response.status_code)
        assert sentence in page and 'class="error' in page, fields
        db.session.expire_all()
        decision = db.session.get(Decision, decision.id)
        assert entries_of(decision) == ["decision"], fields
        assert (decision.text, decision.due_on, list(decision.responsible)) == before, fields
    assert register.verify(world.cooperative.id).ok


def test_a_stale_tab_is_told_the_decision_changed_and_nothing_is_overwritten(world, educator, decision):
    seen = latest_position(decision)
    assert word(educator.client, decision, text="Nous irons au musée", last_entry=seen).status_code == 302
    response = word(educator.client, decision, text="Nous irons au zoo", last_entry=seen)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and "was changed meanwhile" in page and 'role="alert"' in page
    assert "Nous irons au zoo" in page, "what the educator typed is not lost"
    assert f'name="last_entry" value="{latest_position(decision)}"' in page, "saving again is deliberate"
    assert db.session.get(Decision, decision.id).text == "Nous irons au musée"
    assert entries_of(decision) == ["decision", "correction"]


def test_a_follow_up_since_the_page_was_shown_makes_the_tab_stale_too(world, educator, decision):
    seen = latest_position(decision)
    educator.client.post(f"/register/decisions/{decision.id}/follow-up", data={"status": "in_progress"})
    assert word(educator.client, decision, text=DECIDED, last_entry=seen).status_code == 409
    assert entries_of(decision) == ["decision", "follow_up"]


def test_a_double_submission_is_kept_once(world, educator, decision):
    data = {"text": DECIDED, "responsible": [world.pupils[0].id], "last_entry": latest_position(decision)}
    first = word(educator.client, decision, **data)
    second = word(educator.client, decision, **data)
    assert first.status_code == 302 and second.status_code == 409
    assert "already in the register" in html.unescape(second.get_data(as_text=True))
    assert entries_of(decision) == ["decision", "correction"]
    assert register.verify(world.cooperative.id).ok


def test_only_the_class_educator_may_change_a_decision(world, educator, head, make_client, decision):
    other = make_client()
    other.sign_in(world.other_educator.email)
    pupil = make_client()
    pupil.pair_tablet(world.cooperative)
    pupil.sign_in_pupil(world.pupils[0])
    assert word(head.client, decision, text=DECIDED).status_code == 403
    assert word(other.client, decision, text=DECIDED).status_code == 403
    assert word(pupil.client, decision, text=DECIDED).status_code == 403
    assert "Save in the register" not in page_of(head.client, f"/register/decisions/{decision.id}")
    assert "Save in the register" not in page_of(head.client, f"/polls/{decision.poll_id}")
    assert entries_of(decision) == ["decision"]


def test_an_archived_class_keeps_its_decisions_as_they_are(world, educator, decision):
    world.cooperative.archived_at = utcnow()
    db.session.commit()
    assert word(educator.client, decision, text=DECIDED).status_code == 403
    assert "Save in the register" not in page_of(educator.client, f"/register/decisions/{decision.id}")


def test_the_chain_check_catches_pupils_or_a_date_changed_behind_the_register(world, educator, decision):
    word(educator.client, decision, responsible=[world.pupils[0].id],
         due_on=(decided_on(decision) + timedelta(days=9)).isoformat())
    db.session.execute(update(Decision).where(Decision.id == decision.id).values(due_on=date(2099, 1, 1)))
    db.session.commit()
    assert register.verify(world.cooperative.id).reason == "decision_differs"
    db.session.execute(update(Decision).where(Decision.id == decision.id).values(
        due_on=decided_on(decision) + timedelta(days=9)))
    db.session.commit()
    assert register.verify(world.cooperative.id).ok
    decision = db.session.get(Decision, decision.id)
    decision.responsible = [world.pupils[1]]
    db.session.commit()
    assert register.verify(world.cooperative.id).reason == "decision_differs"


def test_an_election_is_worded_as_the_class_says_it(world, educator, tablet):
    candidates = world.pupils[:2]
    poll = open_election(educator, world, candidates, "plurality", "Class delegate")
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, choice=poll.options[0].key)
    educator.client.post(f"/polls/{poll.id}/close")
    educator.client.post(f"/polls/{poll.id}/publish")
    decision = db.session.scalars(select(Decision).where(Decision.poll_id == poll.id)).one()
    assert decision.status == "done" and decision.responsible == [poll.options[0].pupil]
    worded = f"{poll.options[0].pupil.display_name} is our class delegate"
    assert word(educator.client, decision, text=worded).status_code == 302
    assert entries_of(decision) == ["decision", "follow_up", "correction"]
    assert db.session.get(Decision, decision.id).responsible == [poll.options[0].pupil]
    assert register.verify(world.cooperative.id).ok
