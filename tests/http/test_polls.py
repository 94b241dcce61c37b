"""Polls from the educator's side and the booth: open, cast, close, count, publish — and what stays hidden."""

import html
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Ballot, Participation, Poll
from app.models.types import utcnow
from app.services import polls


def create_motion(educator, world, question="Shall we plant a garden?", **fields):
    data = {"question": question, "rule": "simple", **fields}
    response = educator.client.post(f"/polls/classes/{world.cooperative.id}/motions", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return db.session.get(Poll, int(response.location.rsplit("/", 1)[1]))


def open_motion(educator, world, custody="server", **fields):
    poll = create_motion(educator, world, **fields)
    response = educator.client.post(f"/polls/{poll.id}/open", data={"custody": custody})
    assert response.status_code in (200, 302)
    db.session.refresh(poll)
    return poll, response


def open_election(educator, world, candidates, method: str, question: str = "Treasurer", seats: int = 1) -> Poll:
    """An election among candidates, of one seat unless told, prepared and opened by the educator over HTTP."""
    response = educator.client.post(f"/polls/classes/{world.cooperative.id}/elections", data={
        "question": question, "method": method, "seats": seats, "candidates": [p.id for p in candidates]})
    poll = db.session.get(Poll, int(response.location.rsplit("/", 1)[1]))
    educator.client.post(f"/polls/{poll.id}/open", data={"custody": "server"})
    return poll


def vote(tablet, pupil, poll, **choice):
    tablet.sign_in_pupil(pupil)
    return tablet.client.post(f"/tablet/vote/{poll.id}/cast", data=choice)


def ballots(poll) -> int:
    return db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id))


def test_opening_freezes_the_voters(world, educator):
    poll, _ = open_motion(educator, world)
    assert poll.status == "open" and poll.eligible_count == len(world.pupils)
    assert poll.public_key and poll.wrapped_private_key


def test_a_secret_poll_refuses_to_open_with_fewer_than_five_voters(world, make_client):
    other = make_client()
    other.sign_in(world.other_educator.email)
    response = other.client.post(f"/polls/classes/{world.other_cooperative.id}/motions",
                                 data={"question": "Q?", "rule": "simple"})
    poll_id = int(response.location.rsplit("/", 1)[1])
    refused = other.client.post(f"/polls/{poll_id}/open", data={"custody": "server"})
    assert refused.status_code == 409
    assert "at least 5 pupils" in refused.get_data(as_text=True)
    assert db.session.get(Poll, poll_id).status == "draft"


def test_a_pupil_votes_sees_a_tracker_and_is_signed_out(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    tablet.sign_in_pupil(world.pupil)
    booth = tablet.client.get(f"/tablet/vote/{poll.id}")
    assert booth.status_code == 200 and "Shall we plant a garden?" in booth.get_data(as_text=True)
    confirm = tablet.client.post(f"/tablet/vote/{poll.id}/confirm", data={"choice": "for"})
    assert "Is this your vote?" in confirm.get_data(as_text=True)
    response = tablet.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "for"})
    assert response.status_code == 302 and response.location.endswith("/tablet/vote/voted")
    voted = tablet.client.get("/tablet/vote/voted").get_data(as_text=True)
    assert "Your vote is in the box!" in voted and re.search(r"class=\"tracker\">\w+ · \w+ · \w+<", voted)
    assert "For" not in voted.split("<main", 1)[1], "the choice is never shown next to the tracker"
    assert tablet.client.get("/tablet/me").status_code == 302, "signed out after casting"
    assert ballots(poll) == 1 and polls.ballots_cast(poll) == 1


def test_a_second_ballot_is_answered_already_in_the_box(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    vote(tablet, world.pupil, poll, choice="for")
    again = vote(tablet, world.pupil, poll, choice="against")
    assert again.status_code == 302
    assert "already in the box" in tablet.client.get(again.location).get_data(as_text=True)
    assert ballots(poll) == 1


def test_a_ballot_that_does_not_match_the_options_is_refused(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    tablet.sign_in_pupil(world.pupil)
    for bad in ({"choice": "maybe"}, {"choice": ""}, {}):
        response = tablet.client.post(f"/tablet/vote/{poll.id}/cast", data=bad)
        assert response.status_code == 422, bad
    assert ballots(poll) == 0


def test_casting_on_a_closed_poll_is_refused(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    educator.client.post(f"/polls/{poll.id}/close")
    response = vote(tablet, world.pupil, poll, choice="for")
    assert response.status_code == 409 and "not open" in response.get_data(as_text=True)


def test_a_pupil_added_after_opening_is_not_a_voter(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    educator.client.post(f"/classes/{world.cooperative.id}/pupils", data={"names": "Nouveau N"})
    newcomer = [pupil for pupil in world.cooperative.active_pupils() if pupil.first_name == "Nouveau"][0]
    response = vote(tablet, newcomer, poll, choice="for")
    assert response.status_code == 409 and ballots(poll) == 0


def test_a_pupil_of_another_class_cannot_reach_the_booth(world, educator, make_client):
    poll, _ = open_motion(educator, world)
    other = make_client()
    other.pair_tablet(world.other_cooperative)
    other.sign_in_pupil(world.other_pupils[0])
    assert other.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "for"}).status_code == 302
    assert ballots(poll) == 0


def test_while_open_only_the_count_is_shown_anywhere(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    for pupil, choice in zip(world.pupils[:3], ("for", "for", "against"), strict=True):
        vote(tablet, pupil, poll, choice=choice)
    board = educator.client.get(f"/polls/{poll.id}/board").get_data(as_text=True)
    page = educator.client.get(f"/polls/{poll.id}").get_data(as_text=True)
    for shown in (board, page):
        assert "3 of 6 have voted" in shown
        assert "Adopted." not in shown and "Rejected" not in shown and "<svg class=\"chart" not in shown
    tablet.sign_in_pupil(world.pupils[4])
    assert tablet.client.get(f"/tablet/vote/{poll.id}/result").status_code == 404


def test_closing_counts_and_the_class_sees_the_result_only_once_published(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    for pupil, choice in zip(world.pupils[:5], ("for", "for", "for", "against", "abstain"), strict=True):
        vote(tablet, pupil, poll, choice=choice)
    assert educator.client.post(f"/polls/{poll.id}/close").status_code == 302
    db.session.refresh(poll)
    assert poll.status == "counted"
    assert polls.result_of(poll)["aggregates"] == {"for": 3, "against": 1, "abstain": 1, "blank": 0}
    assert polls.result_of(poll)["outcome"]["adopted"] is True
    tablet.sign_in_pupil(world.pupils[5])
    assert tablet.client.get(f"/tablet/vote/{poll.id}/result").status_code == 404
    educator.client.post(f"/polls/{poll.id}/publish")
    result = tablet.client.get(f"/tablet/vote/{poll.id}/result").get_data(as_text=True)
    assert "Adopted." in result and result.count("<li>") >= 5, "the trackers are listed"


def test_the_board_answers_204_while_nothing_changes(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    first = educator.client.get(f"/polls/{poll.id}/board/state", headers={"HX-Request": "true"})
    version = re.search(r"since=([\w.]+)", first.get_data(as_text=True)).group(1)
    assert educator.client.get(f"/polls/{poll.id}/board/state?since={version}").status_code == 204
    vote(tablet, world.pupil, poll, choice="for")
    changed = educator.client.get(f"/polls/{poll.id}/board/state?since={version}")
    assert changed.status_code == 200 and "1 of 6 have voted" in changed.get_data(as_text=True)


def test_key_cards_any_two_open_the_box_and_a_wrong_card_changes_nothing(world, educator, tablet):
    poll, response = open_motion(educator, world, custody="ceremony")
    codes = re.findall(r'class="key-code">([0-9A-Z-]+)<', response.get_data(as_text=True))
    assert len(codes) == 3 and poll.wrapped_private_key is None
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, choice="for")
    educator.client.post(f"/polls/{poll.id}/close")
    db.session.refresh(poll)
    assert poll.status == "closed" and poll.result is None
    wrong = educator.client.post(f"/polls/{poll.id}/count", data={"card_a": codes[0], "card_b": codes[0]})
    assert wrong.status_code == 422 and "do not open" in wrong.get_data(as_text=True)
    typo = educator.client.post(f"/polls/{poll.id}/count", data={"card_a": codes[0], "card_b": "ABCD-EFGH"})
    assert typo.status_code == 422 and ballots(poll) == 5
    educator.client.post(f"/polls/{poll.id}/count", data={"card_a": codes[2], "card_b": codes[1]})
    db.session.refresh(poll)
    assert poll.status == "counted" and polls.result_of(poll)["aggregates"]["for"] == 5
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.poll_id == poll.id)).all()
    assert "key_cards_refused" in actions and "key_cards_used" in actions


def test_the_audit_trail_records_every_step_but_never_a_cast(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, choice="against")
    educator.client.post(f"/polls/{poll.id}/close")
    educator.client.post(f"/polls/{poll.id}/publish")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.poll_id == poll.id)).all()
    assert [event.action for event in events] == ["opened", "closed", "counted", "published"]
    assert all(event.actor_id == world.educator.id for event in events)


def test_show_of_hands_and_consensus_are_recorded_as_such(world, educator):
    hands = create_motion(educator, world, "Hands?")
    educator.client.post(f"/polls/{hands.id}/show-of-hands",
                         data={"votes_for": 2, "votes_against": 3, "votes_abstain": 1})
    agreed = create_motion(educator, world, "Agreed?")
    educator.client.post(f"/polls/{agreed.id}/consensus")
    db.session.refresh(hands)
    db.session.refresh(agreed)
    assert hands.kind == "show_of_hands" and polls.result_of(hands)["outcome"]["adopted"] is False
    assert agreed.kind == "consensus" and polls.result_of(agreed)["outcome"]["reason"] == "consensus"
    too_many = create_motion(educator, world, "Too many?")
    response = educator.client.post(f"/polls/{too_many.id}/show-of-hands",
                                    data={"votes_for": 20, "votes_against": 3, "votes_abstain": 1})
    assert response.status_code == 409


def test_an_election_by_two_rounds_creates_its_second_round(world, educator, tablet):
    candidates = world.pupils[:3]
    response = educator.client.post(f"/polls/classes/{world.cooperative.id}/elections", data={
        "question": "Delegate", "method": "two_round", "seats": 1, "candidates": [p.id for p in candidates]})
    poll = db.session.get(Poll, int(response.location.rsplit("/", 1)[1]))
    educator.client.post(f"/polls/{poll.id}/open", data={"custody": "server"})
    keys = [option.key for option in poll.options]
    for pupil, key in zip(world.pupils[:6], (keys[0], keys[0], keys[1], keys[1], keys[2], "blank"), strict=True):
        vote(tablet, pupil, poll, **({"blank": "1"} if key == "blank" else {"choice": key}))
    educator.client.post(f"/polls/{poll.id}/close")
    second = educator.client.post(f"/polls/{poll.id}/second_round")
    run_off = db.session.get(Poll, int(second.location.rsplit("/", 1)[1]))
    assert run_off.round == 2 and run_off.first_round_id == poll.id
    assert [option.pupil_id for option in run_off.options] == [candidates[0].id, candidates[1].id]


def test_an_election_by_majority_judgment_counts_grades(world, educator, tablet):
    candidates = world.pupils[:2]
    poll = open_election(educator, world, candidates, "majority_judgment", "Treasurer")
    first, second = (option.key for option in poll.options)
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, **{f"grade-{first}": "1", f"grade-{second}": "3"})
    educator.client.post(f"/polls/{poll.id}/close")
    db.session.refresh(poll)
    result = polls.result_of(poll)
    assert result["aggregates"]["histograms"][first] == [0, 5, 0, 0, 0, 0]
    assert result["outcome"]["elected"] == [first]


def test_cancelling_destroys_the_ballots_uncounted(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    vote(tablet, world.pupil, poll, choice="for")
    educator.client.post(f"/polls/{poll.id}/cancel")
    db.session.refresh(poll)
    assert poll.status == "cancelled" and ballots(poll) == 0 and poll.result is None


def test_a_poll_closes_by_itself_at_its_time(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    from datetime import timedelta

    from app.models.types import utcnow
    poll.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = vote(tablet, world.pupil, poll, choice="for")
    assert response.status_code == 409
    educator.client.get(f"/polls/{poll.id}")
    db.session.refresh(poll)
    assert poll.status == "closed"
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0


def test_a_tablet_unpaired_mid_vote_cannot_cast(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    tablet.sign_in_pupil(world.pupil)
    tablet.client.get(f"/tablet/vote/{poll.id}")
    educator.client.post(f"/classes/tablets/{tablet_id(world)}/revoke")
    response = tablet.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "for"})
    assert response.status_code == 302 and response.location.endswith("/tablet/")
    assert ballots(poll) == 0 and polls.ballots_cast(poll) == 0


def tablet_id(world) -> int:
    from app.models import PairedTablet

    return db.session.scalars(select(PairedTablet.id).where(PairedTablet.cooperative_id == world.cooperative.id)).one()


def test_the_counting_ceremony_reveals_every_ballot_and_matches_the_count(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    for pupil, choice in zip(world.pupils[:5], ("for", "against", "for", "abstain", "for"), strict=True):
        vote(tablet, pupil, poll, choice=choice)
    educator.client.post(f"/polls/{poll.id}/close")
    revealed = []
    for step in range(1, 6):
        page = educator.client.get(f"/polls/{poll.id}/ceremony/{step}").get_data(as_text=True)
        revealed.append(re.search(r'class="ceremony-ballot">\s*(\w+)', page).group(1))
    assert sorted(revealed) == ["Abstain", "Against", "For", "For", "For"]
    assert "matches the computed result" in page
    assert educator.client.get(f"/polls/{poll.id}/ceremony/6").status_code == 404
    assert educator.client.get(f"/polls/{poll.id}/ceremony/0").status_code == 404


def test_the_assembly_board_shows_the_class_poll_in_progress(world, educator, tablet):
    from app.services import assemblies

    assembly = assemblies.plan_assembly(world.cooperative, utcnow_(), "Classroom", utcnow_())
    assemblies.open_assembly(assembly, utcnow_())
    db.session.commit()
    poll, _ = open_motion(educator, world)
    vote(tablet, world.pupil, poll, choice="for")
    board = educator.client.get(f"/assemblies/{assembly.id}/board").get_data(as_text=True)
    assert "Shall we plant a garden?" in board and "1 of 6 have voted" in board, board[board.find("<main"):][:1500]


def utcnow_():
    from app.models.types import utcnow

    return utcnow()


def test_the_votes_page_gives_each_field_its_own_id(world, educator):
    """The motion and election forms share a page: a label must point at its own form's field."""
    page = educator.client.get(f"/polls/classes/{world.cooperative.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'for="election-question"' in page and re.search(r'id="election-question" [^>]*name="question"', page)


def test_the_voted_page_shows_once_and_then_sends_the_next_pupil_to_the_roster(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    cast = vote(tablet, world.pupil, poll, choice="for")
    assert "Your vote is in the box!" in tablet.client.get(cast.location).get_data(as_text=True)
    again = tablet.client.get(cast.location)
    assert again.status_code == 302 and again.location.endswith("/tablet/")


def test_majority_judgment_grades_are_in_the_pupil_s_language(world, tablet):
    """The grade words reached the catalogue: a French booth shows them in French, never in English."""
    poll = polls.create_election(world.cooperative, "Délégué·e ?", "majority_judgment", 1, world.pupils[:2],
                                 world.educator)
    polls.open_poll(poll, world.educator, utcnow(), b"secret")
    db.session.commit()
    tablet.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr-FR,fr;q=0.9"
    tablet.sign_in_pupil(world.pupils[3])
    booth = tablet.client.get(f"/tablet/vote/{poll.id}").get_data(as_text=True)
    assert all(word in booth for word in ("Excellent", "Très bien", "Assez bien", "Insuffisant", "À rejeter"))
    assert not any(word in booth for word in ("Very good", "Fair", "Poor", "Reject"))


def test_a_head_sees_a_result_once_it_is_announced_as_the_class_does(world, educator, head, tablet):
    poll, _ = open_motion(educator, world)
    for pupil, choice in zip(world.pupils[:5], ("for", "for", "for", "against", "abstain"), strict=True):
        vote(tablet, pupil, poll, choice=choice)
    educator.client.post(f"/polls/{poll.id}/close")
    assert "Adopted." in educator.client.get(f"/polls/{poll.id}").get_data(as_text=True)
    before = head.client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert "Adopted." not in before and "once the class's educator announces it" in before
    educator.client.post(f"/polls/{poll.id}/publish")
    assert "Adopted." in head.client.get(f"/polls/{poll.id}").get_data(as_text=True)


def test_a_second_cast_raises_no_database_error(world, educator, tablet):
    """A second cast (a double tap) meets the émargement the first wrote in the very insert that would write its
    own: it is told "already in the box" without a duplicate-key error (which PostgreSQL would write to its log, and
    which would abort the transaction)."""
    from sqlalchemy import text

    from app.services import casting

    poll, _ = open_motion(educator, world)
    vote(tablet, world.pupil, poll, choice="for")
    try:
        casting.cast_ballot(poll.id, world.pupil, "against", utcnow())
        raise AssertionError("a second ballot was accepted")
    except casting.AlreadyVoted:
        assert db.session.execute(text("SELECT 1")).scalar() == 1, "the transaction is still usable"
    db.session.rollback()
    assert ballots(poll) == 1


def ceremony_tally(educator, poll, step: int) -> list[str]:
    page = educator.client.get(f"/polls/{poll.id}/ceremony/{step}").get_data(as_text=True)
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>",
                                                                      page.split('class="tally"')[1].split("</ul>")[0])]


def test_the_ceremony_tally_is_read_in_words_of_the_page_s_language(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    for pupil, choice in zip(world.pupils[:5], ("for", "against", "for", "abstain", "for"), strict=True):
        vote(tablet, pupil, poll, choice=choice)
    educator.client.post(f"/polls/{poll.id}/close")
    assert ceremony_tally(educator, poll, 5) == ["For: 3", "Against: 1", "Abstain: 1", "Blank vote: 0"]
    educator.client.post("/language", data={"language": "fr"})
    assert ceremony_tally(educator, poll, 5)[0].replace("\u202f", " ").replace("\xa0", " ") == "Pour : 3"


def test_the_ceremony_tally_of_a_majority_judgment_names_candidates_and_grades(world, educator, tablet):
    candidates = world.pupils[:2]
    poll = open_election(educator, world, candidates, "majority_judgment", "Treasurer")
    first, second = (option.key for option in poll.options)
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, **{f"grade-{first}": "1", f"grade-{second}": "3"})
    educator.client.post(f"/polls/{poll.id}/close")
    lines = ceremony_tally(educator, poll, 5)
    assert lines == [f"{candidates[0].display_name}: Very good 5", f"{candidates[1].display_name}: Fair 5",
                     "Blank vote: 0"]


def test_an_announced_election_is_filed_as_done_with_its_delegates(world, educator, tablet):
    from app.models import Decision
    from app.services import register

    candidates = world.pupils[:2]
    poll = open_election(educator, world, candidates, "plurality", "Delegate")
    first = poll.options[0].key
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, choice=first)
    educator.client.post(f"/polls/{poll.id}/close")
    educator.client.post(f"/polls/{poll.id}/publish")
    decision = db.session.scalars(select(Decision).where(Decision.poll_id == poll.id)).one()
    assert decision.status == "done" and decision.responsible == [candidates[0]]
    assert register.verify(world.cooperative.id).ok


def test_a_majority_judgment_result_shows_each_candidate_s_majority_grade(world, educator, tablet):
    candidates = world.pupils[:2]
    poll = open_election(educator, world, candidates, "majority_judgment", "Treasurer")
    first, second = (option.key for option in poll.options)
    for pupil in world.pupils[:5]:
        vote(tablet, pupil, poll, **{f"grade-{first}": "1", f"grade-{second}": "3"})
    educator.client.post(f"/polls/{poll.id}/close")
    page = educator.client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert (f"Majority grades: {candidates[0].display_name}: Very good · {candidates[1].display_name}: Fair"
            in html.unescape(page))


def test_a_schulze_election_reports_a_tie_between_candidates_its_ranking_leaves_unordered(world, educator, tablet):
    candidates = world.pupils[:3]
    poll = open_election(educator, world, candidates, "schulze", "Delegates", seats=2)
    a, b, c = (option.key for option in poll.options)
    for pupil, order in zip(world.pupils, [(a, b, c)] * 3 + [(c, a, b)] * 3, strict=True):
        vote(tablet, pupil, poll, **{f"rank-{key}": str(rank) for rank, key in enumerate(order, start=1)})
    educator.client.post(f"/polls/{poll.id}/close")
    db.session.refresh(poll)
    outcome = polls.result_of(poll)["outcome"]
    assert outcome["elected"] == [a] and outcome["tied_for_last_seat"] == [b, c]
    page = html.unescape(educator.client.get(f"/polls/{poll.id}").get_data(as_text=True))
    assert f"Elected: {candidates[0].display_name}" in page
    assert (f"Tied: {candidates[1].display_name}, {candidates[2].display_name}. The class decides how to settle it."
            in page)


def test_the_educator_s_page_follows_the_votes_without_reloading(world, educator, head, tablet):
    poll, _ = open_motion(educator, world)
    page = educator.client.get(f"/polls/{poll.id}").get_data(as_text=True)
    assert f'/polls/{poll.id}/live?since=0' in page
    assert educator.client.get(f"/polls/{poll.id}/live?since=0").status_code == 204
    vote(tablet, world.pupil, poll, choice="for")
    live = educator.client.get(f"/polls/{poll.id}/live?since=0").get_data(as_text=True)
    assert "1 of 6 have voted" in live and "/live?since=1" in live
    assert world.pupil.display_name not in live.split('id="not-voted"')[1]
    assert world.pupils[1].display_name in live.split('id="not-voted"')[1]
    head_view = head.client.get(f"/polls/{poll.id}/live?since=0").get_data(as_text=True)
    assert "1 of 6 have voted" in head_view and 'id="not-voted"' not in head_view
    educator.client.post(f"/polls/{poll.id}/close")
    closed = educator.client.get(f"/polls/{poll.id}/live?since=1").get_data(as_text=True)
    assert "The ballot box is closed." in closed and f'href="/polls/{poll.id}"' in closed
    assert "hx-trigger" not in closed, "the page stops asking"


def test_the_booth_says_whose_turn_it_is_by_first_name_only(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    tablet.sign_in_pupil(world.pupil)
    booth = html.unescape(tablet.client.get(f"/tablet/vote/{poll.id}").get_data(as_text=True))
    assert f"Your turn, {world.pupil.first_name}" in booth
    assert world.pupil.display_name not in booth, "no initial: the first name is enough to know whose turn it is"


def test_the_booth_explains_abstaining_and_voting_blank_and_a_motion_offers_only_one_of_them(world, educator, tablet):
    """A motion's rules count a blank ballot as an abstention: a 7-year-old is not asked to tell them apart."""
    motion, _ = open_motion(educator, world)
    election = open_election(educator, world, world.pupils[:2], "plurality", "Delegate")
    tablet.sign_in_pupil(world.pupils[2])
    motion_booth = html.unescape(tablet.client.get(f"/tablet/vote/{motion.id}").get_data(as_text=True))
    assert "you choose neither For nor Against" in motion_booth
    assert 'name="blank"' not in motion_booth and "Blank vote" not in motion_booth
    election_booth = html.unescape(tablet.client.get(f"/tablet/vote/{election.id}").get_data(as_text=True))
    assert 'name="blank"' in election_booth and "you choose nobody" in election_booth


def test_a_missing_grade_is_said_on_the_page_and_the_grades_given_are_kept(world, educator, tablet):
    candidates = world.pupils[:2]
    poll = open_election(educator, world, candidates, "majority_judgment", "Treasurer")
    first, second = (option.key for option in poll.options)
    tablet.sign_in_pupil(world.pupils[2])
    booth = tablet.client.get(f"/tablet/vote/{poll.id}").get_data(as_text=True)
    assert "novalidate" in booth, "the page says what is missing, not the browser's bubble in another language"
    answer = tablet.client.post(f"/tablet/vote/{poll.id}/confirm", data={f"grade-{first}": "2"})
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 422 and "Give a grade to every candidate, or tap “Blank vote”." in page
    assert re.search(rf'name="grade-{first}" value="2" required checked', page)
    assert not re.search(rf'name="grade-{second}" value="\d" required checked', page)
