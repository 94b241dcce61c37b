"""The minutes tell what the council did without anybody typing it: votes, elections, consensus and decisions in
agenda order, the decisions at the end, signature lines — and never a count before it is announced."""

import html
import re
from datetime import date, timedelta

import pytest

from app.domain.roster import RosterRow
from app.extensions import db
from app.models import Assembly, Poll
from app.services import classes
from tests.http.test_agenda_votes import open_session, put_ok
from tests.http.test_assemblies import approved, plan
from tests.http.test_polls import open_election, vote

PROPOSAL = "A chess club on Fridays"
ADOPTED_FIGURES = "For 4 · Against 2 · Abstain 1 · Blank vote 0"


def council_in_session(world, educator) -> Assembly:
    """An assembly in session of a class of eight, whose agenda holds one proposal."""
    classes.add_pupils(world.cooperative, [RosterRow("Nina", "R"), RosterRow("Tom", "S")])
    db.session.commit()
    approved(world, "propose", PROPOSAL)
    assembly = plan(educator, world)
    open_session(educator, assembly)
    return assembly


@pytest.fixture
def council(world, educator) -> Assembly:
    return council_in_session(world, educator)


def pupils(world):
    return world.cooperative.active_pupils()


def minutes_page(client, assembly) -> str:
    return html.unescape(client.get(f"/assemblies/{assembly.id}/minutes").get_data(as_text=True))


def vote_on_the_proposal(world, educator, tablet, assembly) -> Poll:
    """The proposal put to a secret vote from the agenda: 4 For, 2 Against, 1 Abstain; closed and counted."""
    poll = put_ok(educator, assembly, assembly.items[[i.section for i in assembly.items].index("proposals")].message)
    assert educator.client.post(f"/polls/{poll.id}/open", data={"custody": "server"}).status_code == 302
    choices = ["for"] * 4 + ["against"] * 2 + ["abstain"]
    for pupil, choice in zip(pupils(world), choices, strict=False):
        vote(tablet, pupil, poll, choice=choice)
    assert educator.client.post(f"/polls/{poll.id}/close").status_code == 302
    return poll


def go_to(educator, assembly, section: str) -> None:
    while assembly.current_item.section != section:
        assert educator.client.post(f"/assemblies/{assembly.id}/next").status_code in (200, 302)
        db.session.refresh(assembly)


def elect_two_delegates(world, educator, make_client):
    """Three candidates for two seats, on a second tablet (a tablet may sign in only so many pupils a minute)."""
    tablet = make_client()
    tablet.pair_tablet(world.cooperative, "Tablet 2")
    first, second, third = pupils(world)[:3]
    poll = open_election(educator, world, [first, second, third], "plurality", "Delegates", seats=2)
    keys = [option.key for option in poll.options]
    for pupil, key in zip(pupils(world), [keys[0]] * 3 + [keys[1]] * 2 + [keys[2]], strict=False):
        vote(tablet, pupil, poll, choice=key)
    educator.client.post(f"/polls/{poll.id}/close")
    educator.client.post(f"/polls/{poll.id}/publish")
    return first, second, third


DUE = date.today() + timedelta(days=60)


def record_by_consensus(world, educator, text: str, helper) -> None:
    response = educator.client.post(f"/register/classes/{world.cooperative.id}/decisions", data={
        "text": text, "responsible": [helper.id], "due_on": DUE.isoformat()})
    assert response.status_code == 302


def council_that_decided(world, educator, tablet, make_client, assembly: Assembly):
    """The whole council: the proposal adopted 4–2–1, two delegates elected, a decision by consensus; closed."""
    poll = vote_on_the_proposal(world, educator, tablet, assembly)
    educator.client.post(f"/polls/{poll.id}/publish")
    go_to(educator, assembly, "elections")
    candidates = elect_two_delegates(world, educator, make_client)
    record_by_consensus(world, educator, "We tidy the library", pupils(world)[3])
    educator.client.post(f"/assemblies/{assembly.id}/close")
    return candidates


def section_of(page: str, title: str, next_title: str) -> str:
    return page[page.index(f">{title}</h2>"):page.index(f">{next_title}</h2>")]


def test_an_adopted_proposal_and_two_elected_delegates_are_in_the_minutes_without_anything_typed(
        world, educator, tablet, make_client, council):
    first, second, third = council_that_decided(world, educator, tablet, make_client, council)

    page = minutes_page(educator.client, council)
    agenda = section_of(page, "Agenda and outcomes", "Who spoke")
    proposals, elections = agenda.index(PROPOSAL), agenda.index("Delegates")
    assert proposals < agenda.index(ADOPTED_FIGURES) < elections, "the figures come under the proposal's item"
    assert "Adopted." in agenda[proposals:elections] and "Secret ballot" in agenda[proposals:elections]
    assert f"Elected: {first.display_name}, {second.display_name}" in agenda[elections:]
    assert (f"{first.display_name} 3 · {second.display_name} 2 · {third.display_name} 1 · Blank vote 0"
            in agenda[elections:])
    assert council.minutes_text == "" and all(item.outcome is None for item in council.items)


def test_a_result_not_yet_announced_is_not_in_the_minutes(world, educator, tablet, council):
    poll = vote_on_the_proposal(world, educator, tablet, council)
    page = minutes_page(educator.client, council)
    assert poll.status == "counted" and PROPOSAL in page
    assert "For 4" not in page and "Adopted." not in page and "has not been announced" in page
    educator.client.post(f"/polls/{poll.id}/publish")
    assert ADOPTED_FIGURES in minutes_page(educator.client, council)


def test_the_decisions_come_at_the_end_with_who_and_when_then_the_signature_lines(
        world, educator, tablet, make_client, council):
    first, second, _third = council_that_decided(world, educator, tablet, make_client, council)
    helper = pupils(world)[3]

    page = minutes_page(educator.client, council)
    decisions = section_of(page, "Decisions", "Signatures")
    assert page.index("The secretary's notes") < page.index(">Decisions</h2>")
    assert decisions.index(PROPOSAL) < decisions.index("Delegates") < decisions.index("We tidy the library")
    assert f"Responsible: {first.display_name}, {second.display_name}" in decisions
    assert f"Responsible: {helper.display_name}" in decisions
    assert f"To be done by {DUE:%B} {DUE.day}, {DUE.year}" in decisions
    assert "Decided by consensus" in section_of(page, "Agenda and outcomes", "Who spoke")
    signatures = page[page.index(">Signatures</h2>"):]
    chair = next(role.pupil for role in council.roles if role.role == "chair")
    secretary = next(role.pupil for role in council.roles if role.role == "secretary")
    for expected in ("Chair", chair.display_name, "Secretary", secretary.display_name, "Educator",
                     world.educator.display_name):
        assert expected in signatures
    assert signatures.count('class="signature-line"') == 3


def test_the_printed_minutes_carry_no_flash_message(world, educator, council):
    educator.client.post(f"/assemblies/{council.id}/close")
    assert educator.client.post(f"/assemblies/{council.id}/minutes/validate").status_code == 302
    page = minutes_page(educator.client, council)
    flashes = re.search(r'<div class="([^"]*)" role="status">(.*?)</div>', page, re.DOTALL)
    assert flashes and "The minutes are validated." in flashes.group(2)
    assert "no-print" in flashes.group(1).split()
    stylesheet = educator.client.get("/static/css/agora.css").get_data(as_text=True)
    assert re.search(r"@media print \{\s*\.no-print[^{]*\{ display: none !important; \}", stylesheet)
