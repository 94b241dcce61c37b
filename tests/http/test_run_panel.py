"""The educator runs the council's votes from the assembly's run panel (§5, §6): the running item put to the vote (its
proposal, a worded question, or the election of the "Elections" item), its ballot box opened, followed, closed and
counted, its result announced — each step answered with the panel, and double taps and stale tabs refused with a
clear message and nothing half-written."""

import pytest
from sqlalchemy import func, select

from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.models import AgendaItem, Assembly, AuditEvent, Decision, Eligibility, Poll
from app.models.types import utcnow
from app.services import item_votes
from tests.http.test_assemblies import approved, plan
from tests.http.test_polls import vote

HTMX = {"HX-Request": "true"}
PANEL = {"panel": "1"}


def text(response) -> str:
    return response.get_data(as_text=True)


def polls_of(assembly: Assembly) -> list[Poll]:
    db.session.expire_all()
    return list(db.session.scalars(select(Poll).where(Poll.assembly_id == assembly.id).order_by(Poll.id)))


def running(educator, assembly: Assembly, section: str) -> AgendaItem:
    """Moves the assembly in session on to its first item of this section."""
    while assembly.current_item.section != section:
        assert educator.client.post(f"/assemblies/{assembly.id}/next").status_code == 302
        db.session.expire_all()
    return assembly.current_item


@pytest.fixture
def council(world, educator) -> Assembly:
    """An assembly in session whose agenda holds a proposal, a free item and the elections."""
    approved(world, "propose", "We plant a garden")
    assembly = plan(educator, world)
    educator.client.post(f"/assemblies/{assembly.id}/items", data={"title": "The class trip", "minutes": 5})
    assert educator.client.post(f"/assemblies/{assembly.id}/open").status_code == 302
    db.session.expire_all()
    return assembly


def put_question(educator, item: AgendaItem, question: str = "Shall we go to the zoo?", htmx: bool = True):
    return educator.client.post(f"/assemblies/items/{item.id}/question", headers=HTMX if htmx else {},
                                data={"question": question, "rule": "simple", "quorum_percent": ""})


def step(educator, poll: Poll, action: str, htmx: bool = True, **data):
    return educator.client.post(f"/polls/{poll.id}/{action}", data={**PANEL, **data}, headers=HTMX if htmx else {})


def test_a_proposal_is_put_to_the_vote_opened_counted_and_announced_from_the_panel(world, educator, tablet, council):
    item = running(educator, council, "proposals")
    page = text(educator.client.get(f"/assemblies/{council.id}"))
    assert page.count("Put to the vote") == 1 and f'name="message_id" value="{item.message_id}"' in page

    ready = educator.client.post(f"/assemblies/items/{item.id}/put-to-vote", headers=HTMX,
                                 data={"message_id": item.message_id, "rule": "simple"})
    assert ready.status_code == 200 and "HX-Request" in ready.headers["Vary"]
    assert text(ready).startswith('<section class="panel run-panel" id="run-panel"')  # the panel alone
    assert "The vote is ready." in text(ready) and "Open the ballot box" in text(ready)
    [poll] = polls_of(council)
    assert (poll.status, poll.agenda_item_id, poll.message_id) == ("draft", item.id, item.message_id)

    opened = step(educator, poll, "open", custody="server")
    assert opened.status_code == 200 and "0 of 6 have voted" in text(opened)
    assert "Close the ballot box and count" in text(opened)
    for pupil in world.pupils[:4]:
        vote(tablet, pupil, poll, choice="for")
    vote(tablet, world.pupils[4], poll, choice="against")
    following = text(educator.client.get(f"/assemblies/{council.id}"))
    assert "5 of 6 have voted" in following and "Adopted" not in following  # never a partial result

    counted = step(educator, poll, "close")
    assert counted.status_code == 200 and "Adopted." in text(counted)
    assert "only the class's educators see it until it is announced" in text(counted)
    board = text(educator.client.get(f"/assemblies/{council.id}/board"))
    assert "Adopted." not in board  # the announcement belongs to the assembly

    announced = step(educator, poll, "publish")
    assert announced.status_code == 200 and "The result is announced" in text(announced)
    assert "Recorded in the register as decision" in text(announced)
    assert "Every vote on this proposal is done." in text(announced)
    assert "Adopted." in text(educator.client.get(f"/assemblies/{council.id}/board"))
    assert db.session.scalars(select(Decision)).one().poll_id == poll.id


def test_the_panel_redraws_when_a_ballot_is_cast_and_answers_204_otherwise(world, educator, tablet, council):
    item = running(educator, council, "free")
    put_question(educator, item)
    [poll] = polls_of(council)
    step(educator, poll, "open", custody="server")
    page = text(educator.client.get(f"/assemblies/{council.id}"))
    since = page.split(f"/assemblies/{council.id}?since=", 1)[1].split('"', 1)[0]
    assert educator.client.get(f"/assemblies/{council.id}?since={since}").status_code == 204
    vote(tablet, world.pupil, poll, choice="for")
    changed = educator.client.get(f"/assemblies/{council.id}?since={since}", headers=HTMX)
    assert changed.status_code == 200 and "1 of 6 have voted" in text(changed)


def test_a_double_tap_makes_one_poll_and_opens_one_box(world, educator, council):
    item = running(educator, council, "free")
    assert put_question(educator, item).status_code == 200
    again = put_question(educator, item)
    assert again.status_code == 409 and "already put to the vote" in text(again)
    assert "Open the ballot box" in text(again)  # the answer shows where the vote is
    other = put_question(educator, item, "Shall we go to the museum?")
    assert other.status_code == 409 and "A vote on this item is not finished yet" in text(other)
    [poll] = polls_of(council)

    assert step(educator, poll, "open", custody="server").status_code == 200
    twice = step(educator, poll, "open", custody="server")
    assert twice.status_code == 409 and "already open or finished" in text(twice)
    assert "0 of 6 have voted" in text(twice)
    eligible = select(func.count()).select_from(Eligibility).where(Eligibility.poll_id == poll.id)
    opened = select(func.count()).select_from(AuditEvent).where(AuditEvent.poll_id == poll.id,
                                                                AuditEvent.action == "opened")
    assert (db.session.scalar(eligible), db.session.scalar(opened)) == (6, 1)

    assert step(educator, poll, "close").status_code == 200
    closed_again = step(educator, poll, "close")
    assert closed_again.status_code == 409 and "already closed" in text(closed_again)
    assert step(educator, poll, "publish").status_code == 200
    assert step(educator, poll, "publish").status_code == 409


def test_a_tab_left_on_an_earlier_item_is_told_the_assembly_moved_on(world, educator, council):
    item = running(educator, council, "proposals")
    educator.client.post(f"/assemblies/items/{item.id}/put-to-vote", data={"message_id": item.message_id,
                                                                           "rule": "simple"})
    [poll] = polls_of(council)
    educator.client.post(f"/assemblies/{council.id}/next")  # on another screen, the assembly moves on
    db.session.expire_all()
    version = council.version

    stale_open = step(educator, poll, "open", custody="server")
    assert stale_open.status_code == 409 and "no longer the one running" in text(stale_open)
    stale_put = educator.client.post(f"/assemblies/items/{item.id}/question", headers=HTMX,
                                     data={"question": "Late?", "rule": "simple"})
    assert stale_put.status_code == 409 and "no longer the one running" in text(stale_put)
    db.session.expire_all()
    assert [(p.id, p.status) for p in polls_of(council)] == [(poll.id, "draft")] and council.version == version


def test_a_box_left_open_by_an_earlier_item_stays_in_the_panel_until_it_is_counted(world, educator, council):
    item = running(educator, council, "free")
    put_question(educator, item)
    [poll] = polls_of(council)
    step(educator, poll, "open", custody="server")
    educator.client.post(f"/assemblies/{council.id}/next")
    page = text(educator.client.get(f"/assemblies/{council.id}"))
    assert "This vote, from an earlier item, is not finished yet:" in page
    assert "Close the ballot box and count" in page
    assert step(educator, poll, "close").status_code == 200  # finishing it needs no running item


def test_a_free_item_gets_its_question_and_odd_questions_are_refused(world, educator, council):
    item = running(educator, council, "free")
    page = text(educator.client.get(f"/assemblies/{council.id}"))
    assert "Put a question to the vote" in page and "Question put to the vote" in page
    for question in ("", "   ", "x" * 301):
        refused = put_question(educator, item, question)
        assert refused.status_code == 422 and "Correct the fields shown" in text(refused)
    assert polls_of(council) == []
    made = put_question(educator, item, "  Shall we go to the zoo?  ", htmx=False)
    assert made.status_code == 302 and made.location == f"/assemblies/{council.id}#run-panel"
    [poll] = polls_of(council)
    assert (poll.question, poll.kind, poll.agenda_item_id) == ("Shall we go to the zoo?", "motion", item.id)


def test_only_the_right_item_takes_a_question_or_an_election(world, educator, council):
    proposal = running(educator, council, "proposals")
    question = put_question(educator, proposal)
    election = educator.client.post(f"/assemblies/items/{proposal.id}/election", headers=HTMX,
                                    data={"question": "Delegates", "method": "plurality", "seats": 1,
                                          "candidates": [pupil.id for pupil in world.pupils[:3]]})
    assert question.status_code == 404 and "This item has its own vote" in text(question)
    assert election.status_code == 404 and "“Elections” item" in text(election)
    planned = plan(educator, world, day="2027-03-03")
    free = next(item for item in planned.items if item.section == "news")
    refused = put_question(educator, free, htmx=False)
    assert refused.status_code == 409 and "not in session" in text(refused)
    assert polls_of(council) == [] and polls_of(planned) == []


def elect(educator, item: AgendaItem, candidates, method: str = "plurality", seats: int = 1, htmx: bool = True):
    return educator.client.post(f"/assemblies/items/{item.id}/election", headers=HTMX if htmx else {},
                                data={"question": "Class delegates", "method": method, "seats": seats,
                                      "candidates": [pupil.id for pupil in candidates]})


def test_the_elections_item_creates_its_election_right_there(world, educator, tablet, council):
    item = running(educator, council, "elections")
    page = text(educator.client.get(f"/assemblies/{council.id}"))
    assert "Hold an election" in page and "Office to fill" in page and "Hugo B." in page
    too_few = elect(educator, item, world.pupils[:1])
    assert too_few.status_code == 422 and "Choose at least two candidates" in text(too_few)
    assert elect(educator, item, world.pupils[:3], seats=3).status_code == 422
    assert polls_of(council) == []

    ready = elect(educator, item, world.pupils[1:4])
    assert ready.status_code == 200 and "Class delegates" in text(ready) and "Open the ballot box" in text(ready)
    twice = elect(educator, item, world.pupils[1:4])
    assert twice.status_code == 409 and "already put to the vote" in text(twice)
    [poll] = polls_of(council)
    assert (poll.kind, poll.rule, poll.agenda_item_id, [option.label for option in poll.options]) == (
        "election", "plurality", item.id, ["Hugo B.", "Inès D.", "Lucas P."])

    step(educator, poll, "open", custody="server")
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, choice=str(poll.options[0].id))
    counted = step(educator, poll, "close")
    assert "Elected: Hugo B." in text(counted)
    announced = step(educator, poll, "publish")
    assert "Recorded in the register as decision" in text(announced) and "Hold an election" in text(announced)


def test_a_two_round_election_prepares_its_second_round_from_the_panel(world, educator, tablet, council):
    item = running(educator, council, "elections")
    elect(educator, item, world.pupils[1:4], method="two_round")
    [first] = polls_of(council)
    step(educator, first, "open", custody="server")
    for pupil, option in zip(world.pupils[:4], (0, 0, 1, 2), strict=True):
        vote(tablet, pupil, first, choice=str(first.options[option].id))
    step(educator, first, "close")
    announced = text(step(educator, first, "publish"))
    assert "Prepare the second round" in announced
    second_round = step(educator, first, "second_round")
    assert second_round.status_code == 200 and "Open the ballot box" in text(second_round)
    second = polls_of(council)[-1]
    assert (second.round, second.agenda_item_id, second.assembly_id) == (2, item.id, council.id)


def test_key_cards_open_from_the_panel_and_two_of_them_count(world, educator, tablet, council):
    item = running(educator, council, "free")
    put_question(educator, item)
    [poll] = polls_of(council)
    cards = step(educator, poll, "open", htmx=False, custody="ceremony")
    assert cards.status_code == 200 and "Key cards of the ballot box" in text(cards)
    assert f'href="/assemblies/{council.id}#run-panel"' in text(cards)
    codes = [line.split(">")[1].split("<")[0] for line in text(cards).splitlines() if 'class="key-code"' in line]
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, choice="for")
    closed = step(educator, poll, "close")
    assert "First key card" in text(closed) and "Count the votes" in text(closed)
    wrong = step(educator, poll, "count", card_a=codes[0], card_b=codes[0])
    assert wrong.status_code == 422 and "These two cards do not open this ballot box" in text(wrong)
    counted = step(educator, poll, "count", card_a=codes[0], card_b=codes[2])
    assert counted.status_code == 200 and "Adopted." in text(counted)


def test_without_javascript_each_step_comes_back_to_the_page(world, educator, council):
    item = running(educator, council, "free")
    assert put_question(educator, item, htmx=False).status_code == 302
    [poll] = polls_of(council)
    opened = step(educator, poll, "open", htmx=False, custody="server", minutes="10")
    assert opened.status_code == 302 and opened.location == f"/assemblies/{council.id}#run-panel"
    page = text(educator.client.get(opened.location))
    assert "The ballot box is open." in page and "It closes by itself at" in page
    refused = step(educator, poll, "open", htmx=False, custody="server")
    assert refused.status_code == 409 and "already open or finished" in text(refused)
    assert '<section class="panel run-panel"' in text(refused)  # the whole page, with its panel


def test_a_box_whose_time_is_up_asks_to_be_closed(world, educator, council):
    item = running(educator, council, "free")
    put_question(educator, item)
    [poll] = polls_of(council)
    step(educator, poll, "open", custody="server", minutes="5")
    poll.closes_at = utcnow().replace(year=2020)
    db.session.commit()
    assert "The closing time has passed" in text(educator.client.get(f"/assemblies/{council.id}"))


def test_two_clicks_reaching_two_workers_at_once_make_one_question(app, world, educator, council, monkeypatch):
    item = running(educator, council, "free")
    monkeypatch.setattr(item_votes, "_check_free", lambda item, question: None)  # both saw nothing going on
    with app.test_request_context():
        item_votes.put_question(item, "A trip?", "simple", None, world.educator)
        db.session.expire_all()
        with pytest.raises(RuleBroken, match="already_put_to_vote"):
            item_votes.put_question(item, "A trip?", "simple", None, world.educator)
    db.session.commit()
    assert len(polls_of(council)) == 1


def test_the_head_reads_the_assembly_without_the_panel(world, educator, head, council):
    running(educator, council, "free")
    page = text(head.client.get(f"/assemblies/{council.id}"))
    assert "Run the assembly" not in page and "Put a question to the vote" not in page


def test_french_educators_run_the_panel_in_french(world, educator, council):
    educator.client.post("/language", data={"language": "fr"})
    item = running(educator, council, "free")
    page = text(educator.client.get(f"/assemblies/{council.id}"))
    assert "Mettre une question aux voix" in page
    put_question(educator, item)
    page = text(educator.client.get(f"/assemblies/{council.id}"))
    assert "Ouvrir l’urne" in page and "Ouvrir avec des cartes-clés" in page
