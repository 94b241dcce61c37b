"""Putting amendments and proposals to the vote straight from the assembly's agenda (§4, §5): in order, once each,
decided by the class, and the proposal as amended recorded in the register with its assembly."""

import pytest
from sqlalchemy import func, select

from app.domain import agenda_votes as votes
from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.models import AgendaItem, Assembly, Decision, Message, Poll
from app.models.types import utcnow
from app.services import agenda_votes, messages
from tests.http.test_assemblies import approved, plan
from tests.http.test_polls import vote

PROPOSAL = "We plant a garden"


@pytest.fixture
def council(world, educator):
    """A planned assembly whose agenda holds a proposal with two approved amendments, in the order posted."""
    proposal = approved(world, "propose", PROPOSAL)
    assembly = plan(educator, world)
    for pupil, text in ((world.pupils[1], "with flowers"), (world.pupils[2], "on the roof")):
        messages.approve(messages.propose_amendment(proposal, pupil, text, utcnow()), utcnow())
    db.session.commit()
    return assembly


def open_session(educator, assembly: Assembly) -> None:
    """Opens the session and moves on to its proposal, the item put to the vote (when the agenda has one)."""
    assert educator.client.post(f"/assemblies/{assembly.id}/open").status_code == 302
    while any(item.section == "proposals" for item in assembly.items) and assembly.current_item.section != "proposals":
        assert educator.client.post(f"/assemblies/{assembly.id}/next").status_code == 302


def proposal_item(assembly: Assembly) -> AgendaItem:
    return next(item for item in assembly.items if item.section == "proposals")


def order(assembly: Assembly) -> list[Message]:
    return agenda_votes.vote_order_of(proposal_item(assembly))


def put(actions, assembly: Assembly, message: Message | None, **fields):
    data = {"message_id": message.id if message else "", "rule": "simple", **fields}
    return actions.client.post(f"/assemblies/items/{proposal_item(assembly).id}/put-to-vote", data=data)


def put_ok(actions, assembly: Assembly, message: Message) -> Poll:
    """Puts the vote from the run panel, which comes back to the assembly's page."""
    response = put(actions, assembly, message)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.location == f"/assemblies/{assembly.id}#run-panel"
    db.session.expire_all()
    return message.current_poll


def by_hands(educator, poll: Poll, votes_for: int, votes_against: int) -> None:
    response = educator.client.post(f"/polls/{poll.id}/show-of-hands",
                                    data={"votes_for": votes_for, "votes_against": votes_against, "votes_abstain": 0})
    assert response.status_code == 302


def poll_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Poll))


def agenda_page(educator, assembly: Assembly) -> str:
    return educator.client.get(f"/assemblies/{assembly.id}").get_data(as_text=True)


def test_amendments_then_the_proposal_as_amended_are_voted_and_the_decision_has_its_assembly(
        world, educator, tablet, council):
    open_session(educator, council)
    first, second, proposal = order(council)
    first_poll = put_ok(educator, council, first)
    assert first_poll.question == f"Amendment to “{PROPOSAL}”: with flowers"
    assert (first_poll.status, first_poll.message_id, first_poll.assembly_id) == ("draft", first.id, council.id)
    by_hands(educator, first_poll, 4, 1)
    by_hands(educator, put_ok(educator, council, second), 1, 4)
    assert (first.adopted, second.adopted, proposal.adopted) == (True, False, None)

    final = put_ok(educator, council, proposal)
    assert final.question == f"{PROPOSAL} — as amended: with flowers"
    assert educator.client.post(f"/polls/{final.id}/open", data={"custody": "server"}).status_code == 302
    for pupil, choice in zip(world.pupils[:3], ("for", "for", "against"), strict=True):
        assert vote(tablet, pupil, final, choice=choice).status_code in (200, 302)
    educator.client.post(f"/polls/{final.id}/close")
    educator.client.post(f"/polls/{final.id}/publish")

    assert proposal.adopted is True
    decision = db.session.scalars(select(Decision)).one()  # an amendment is no decision of its own
    assert (decision.text, decision.assembly_id, decision.poll_id) == (final.question, council.id, final.id)


def test_the_decision_belongs_to_the_assembly_that_put_it_to_the_vote_not_to_the_one_in_session(
        world, educator, council):
    open_session(educator, council)
    *_amendments, proposal = order(council)
    for amendment in _amendments:
        by_hands(educator, put_ok(educator, council, amendment), 0, 3)
    final = put_ok(educator, council, proposal)
    educator.client.post(f"/assemblies/{council.id}/close")
    later = plan(educator, world, day="2027-02-02")
    open_session(educator, later)
    by_hands(educator, final, 5, 0)
    decision = db.session.scalars(select(Decision)).one()
    assert (decision.text, decision.assembly_id) == (PROPOSAL, council.id)


def test_the_agenda_shows_each_vote_with_its_state_and_the_button_on_the_next_only(world, educator, council):
    assert "Put to the vote" not in agenda_page(educator, council)  # not before the session opens
    open_session(educator, council)
    first, second, _proposal = order(council)
    page = agenda_page(educator, council)
    assert page.count("To vote") == 3 and page.count('name="message_id"') == 1
    assert f'name="message_id" value="{first.id}"' in page

    poll = put_ok(educator, council, first)
    page = agenda_page(educator, council)
    assert "Voting now" in page and 'name="message_id"' not in page and f"/polls/{poll.id}" in page

    by_hands(educator, poll, 3, 1)
    page = agenda_page(educator, council)
    assert "Adopted" in page and f'name="message_id" value="{second.id}"' in page
    assert "Back to the agenda of the assembly" in educator.client.get(f"/polls/{poll.id}").get_data(as_text=True)


def test_votes_go_in_order_and_each_is_put_once(world, educator, council):
    open_session(educator, council)
    first, second, proposal = order(council)
    response = put(educator, council, proposal)
    assert response.status_code == 409 and "amendments first" in response.get_data(as_text=True)
    put_ok(educator, council, first)
    again = put(educator, council, first)
    assert again.status_code == 409 and "already put to the vote" in again.get_data(as_text=True)
    during = put(educator, council, second)
    assert during.status_code == 409 and "not finished yet" in during.get_data(as_text=True)
    assert poll_count() == 1


def test_a_vote_not_yet_announced_holds_back_the_next(world, educator, council):
    open_session(educator, council)
    first, second, _proposal = order(council)
    poll = put_ok(educator, council, first)
    educator.client.post(f"/polls/{poll.id}/open", data={"custody": "server"})
    educator.client.post(f"/polls/{poll.id}/close")
    assert put(educator, council, second).status_code == 409  # counted, but the class does not know yet
    educator.client.post(f"/polls/{poll.id}/publish")
    assert put(educator, council, second).status_code == 302


def test_a_cancelled_vote_may_be_put_again(world, educator, council):
    open_session(educator, council)
    first = order(council)[0]
    cancelled = put_ok(educator, council, first)
    assert educator.client.post(f"/polls/{cancelled.id}/cancel").status_code == 302
    again = put_ok(educator, council, first)
    assert again.id != cancelled.id and first.current_poll.id == again.id and first.vote_state == votes.VOTING


@pytest.mark.parametrize("case", ["unknown item", "not a proposal", "not in session", "unknown message",
                                  "message of another item", "no message", "unknown rule", "quorum too high"])
def test_odd_input_is_refused_with_a_4xx_and_changes_nothing(world, educator, council, case):
    if case != "not in session":
        open_session(educator, council)
    first = order(council)[0]
    other = approved(world, "propose", "A chess club")
    item_id = {"unknown item": 999999, "not a proposal": council.items[0].id}.get(case, proposal_item(council).id)
    data = {"message_id": {"unknown message": 999999, "message of another item": other.id, "no message": ""}.get(
        case, first.id), "rule": "unanimity" if case == "unknown rule" else "simple",
            "quorum_percent": 500 if case == "quorum too high" else ""}
    version = council.version
    response = educator.client.post(f"/assemblies/items/{item_id}/put-to-vote", data=data)
    assert 400 <= response.status_code < 500, (case, response.status_code)
    db.session.expire_all()
    assert (poll_count(), council.version) == (0, version)


def test_no_amendment_once_the_proposal_is_put_to_the_vote(world, educator, tablet, council):
    late = messages.propose_amendment(order(council)[-1], world.pupils[3], "with a pond", utcnow())
    db.session.commit()
    open_session(educator, council)
    first, second, proposal = order(council)
    by_hands(educator, put_ok(educator, council, first), 3, 0)
    by_hands(educator, put_ok(educator, council, second), 3, 0)
    put_ok(educator, council, proposal)

    tablet.sign_in_pupil(world.pupils[4])
    for method in ("GET", "POST"):
        refused = tablet.client.open(f"/messages/{proposal.id}/amend", method=method, data={"text": "with a pool"})
        assert refused.status_code == 409 and "already voting" in refused.get_data(as_text=True)
    too_late = educator.client.post(f"/messages/{late.id}/approve")
    assert too_late.status_code == 409 and "comes too late" in too_late.get_data(as_text=True)
    assert [message.text for message in order(council)] == ["with flowers", "on the roof", PROPOSAL]


def test_the_chair_puts_the_next_vote_from_a_tablet_only_when_allowed(world, educator, tablet, council):
    open_session(educator, council)
    chair = next(role.pupil for role in council.roles if role.role == "chair")
    first = order(council)[0]
    while council.current_item.section != "proposals":
        educator.client.post(f"/assemblies/{council.id}/next")
    tablet.sign_in_pupil(chair)
    assert put(tablet, council, first).status_code == 403
    educator.client.post(f"/assemblies/{council.id}/chair", data={"chair_runs_board": "y"})
    assert "Put the next amendment to the vote" in tablet.client.get("/assemblies/tablet").get_data(as_text=True)
    answer = tablet.client.post(f"/assemblies/items/{proposal_item(council).id}/put-to-vote",
                                data={"message_id": first.id}, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "Put the next amendment to the vote" not in answer.get_data(as_text=True)
    poll = first.current_poll
    assert (poll.status, poll.rule, poll.created_by_id, poll.assembly_id) == ("draft", "simple", None, council.id)


def test_a_poll_opened_from_the_agenda_reaches_the_board_and_the_tablets(world, educator, tablet, council):
    open_session(educator, council)
    poll = put_ok(educator, council, order(council)[0])
    since = council.version  # the board drew the draft, which it does not show
    educator.client.post(f"/polls/{poll.id}/open", data={"custody": "server"})
    board = educator.client.get(f"/assemblies/{council.id}/board/state?since={since}",
                                headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Amendment to" in board and "0 of 6 have voted" in board
    assert "Voting now" in board  # the running proposal's order of votes shows which one is being voted
    tablet.sign_in_pupil(world.pupil)
    assert "Vote: Amendment to" in tablet.client.get("/tablet/me").get_data(as_text=True)


def test_two_clicks_reaching_two_workers_at_once_make_one_poll(app, world, educator, council, monkeypatch):
    open_session(educator, council)
    first = order(council)[0]
    monkeypatch.setattr(votes, "check_next", lambda states, index: None)  # both workers saw nothing put to the vote
    with app.test_request_context():
        agenda_votes.put_to_vote(proposal_item(council), first.id, "simple", None, world.educator)
        db.session.expire_all()
        with pytest.raises(RuleBroken, match="already_put_to_vote"):
            agenda_votes.put_to_vote(proposal_item(council), first.id, "simple", None, world.educator)
    db.session.commit()
    assert poll_count() == 1


def test_long_texts_are_shortened_to_fit_a_poll_and_kept_whole_in_the_register(world, educator, council):
    *amendments, proposal = order(council)
    proposal.text = "p" * 280
    for amendment in amendments:
        amendment.text = "a" * 280
    db.session.commit()
    open_session(educator, council)
    for amendment in amendments:
        poll = put_ok(educator, council, amendment)
        assert len(poll.question) <= votes.MAX_QUESTION and poll.question.endswith("a" * 280)
        by_hands(educator, poll, 4, 0)
    final = put_ok(educator, council, proposal)
    assert len(final.question) == votes.MAX_QUESTION and final.question.endswith("…")
    by_hands(educator, final, 4, 0)
    decision = db.session.scalars(select(Decision)).one()
    assert decision.text == f"{'p' * 280} — as amended: {'a' * 280} / {'a' * 280}"


def test_a_french_educator_puts_the_vote_in_french(world, educator, council):
    educator.client.post("/language", data={"language": "fr"})
    open_session(educator, council)
    assert "Mettre aux voix" in agenda_page(educator, council) and "À voter" in agenda_page(educator, council)
    poll = put_ok(educator, council, order(council)[0])
    assert poll.question == f"Amendement à «\u202f{PROPOSAL}\u202f»\u202f: with flowers"


def test_what_was_put_to_the_vote_can_no_longer_be_rewritten_or_declined(world, educator, council):
    open_session(educator, council)
    first, second, _proposal = order(council)
    by_hands(educator, put_ok(educator, council, first), 4, 0)
    rewritten = educator.client.post(f"/messages/{first.id}/rewrite", data={"text": "with trees"})
    declined = educator.client.post(f"/messages/{first.id}/decline", data={"reason": "Too late"})
    for response in (rewritten, declined):
        assert response.status_code == 409 and "was put to the vote" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (first.text, first.status, first.adopted) == ("with flowers", "approved", True)
    assert educator.client.post(f"/messages/{second.id}/rewrite", data={"text": "on the wall"}).status_code == 302


def test_the_board_shows_an_announced_result_until_the_next_item_starts(world, educator, tablet, council):
    open_session(educator, council)
    poll = put_ok(educator, council, order(council)[0])
    educator.client.post(f"/polls/{poll.id}/open", data={"custody": "server"})
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, choice="for")
    educator.client.post(f"/polls/{poll.id}/close")
    educator.client.post(f"/polls/{poll.id}/publish")

    def board() -> str:
        return educator.client.get(f"/assemblies/{council.id}/board").get_data(as_text=True)

    assert "Amendment to" in board() and "Adopted." in board()
    assert educator.client.post(f"/assemblies/{council.id}/next").status_code in (200, 302)
    assert "Amendment to" not in board() and "Adopted." not in board()
