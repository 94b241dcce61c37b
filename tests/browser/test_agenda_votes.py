"""From the assembly's run panel, on the running proposal, the educator puts an amendment then the proposal as amended
to the vote; three tablets vote, the board and the agenda follow, and the proposal's decision lands in the register
with its assembly."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from app.database import begin_writing
from app.extensions import db
from app.models.types import utcnow
from app.services import assemblies, messages
from tests.browser.conftest import BOARD, screenshot
from tests.browser.test_assembly_board import LIVE, approved
from tests.browser.test_sign_in_journeys import pair_tablet_from_class_page, sign_in_adult, tap_code
from tests.browser.test_voting_journey import vote

PROPOSAL = "We plant a vegetable garden"


def council_in_session(world):
    """An assembly in session whose proposal has one approved amendment."""
    begin_writing(db.session)
    proposal = approved(world.pupils[3], "propose", PROPOSAL)
    db.session.flush()
    assembly = assemblies.plan_assembly(world.cooperative, utcnow() + timedelta(minutes=5), "Our classroom", utcnow())
    amendment = messages.propose_amendment(proposal, world.pupils[4], "with flowers along the fence", utcnow())
    messages.approve(amendment, utcnow())
    assemblies.open_assembly(assembly, utcnow())
    db.session.commit()
    return assembly, amendment, proposal


def paired_tablets(new_page, educator, world, count: int) -> list:
    tablets = [new_page() for _ in range(count)]
    for tablet in tablets:
        pair_tablet_from_class_page(educator, tablet, world.cooperative)
    return tablets


def sign_in_pupil(tablet, pupil) -> None:
    tablet.goto("/tablet/")
    tablet.get_by_role("link", name=pupil.display_name).click()
    tap_code(tablet, pupil.picture_code)
    expect(tablet.get_by_role("heading", name=f"Hello {pupil.first_name}!")).to_be_visible()


def class_votes(tablets, pupils, answers) -> None:
    for tablet, pupil, answer in zip(tablets, pupils, answers, strict=True):
        sign_in_pupil(tablet, pupil)
        expect(tablet.get_by_role("link", name=re.compile("^Vote: "))).to_be_visible(timeout=LIVE)
        vote(tablet, answer)


def put_to_vote_and_open(educator, vote: str) -> None:
    """From the run panel, which names the next vote of the running proposal."""
    panel = educator.locator("#run-panel")
    expect(panel).to_contain_text(f"Next vote: {vote}")
    panel.get_by_role("button", name="Put to the vote").click()
    expect(panel.get_by_text("The vote is ready.")).to_be_visible()
    panel.get_by_role("button", name="Open the ballot box").click()
    expect(panel.get_by_text("The ballot box is open.")).to_be_visible()


def count_and_announce(educator) -> None:
    panel = educator.locator("#run-panel")
    educator.once("dialog", lambda dialog: dialog.accept())
    panel.get_by_role("button", name="Close the ballot box and count").click()
    panel.get_by_role("button", name="Announce the result to the class").click()
    expect(panel.get_by_text("The result is announced")).to_be_visible()


def to_the_proposal(educator) -> None:
    """The assembly opened on its first item: the panel's own button moves it on to the proposal."""
    while PROPOSAL not in educator.locator("#run-panel .run-current").inner_text():
        educator.locator("#run-panel").get_by_role("button", name="Next item ▶").click()


def test_an_amendment_then_the_proposal_are_voted_from_the_agenda(world, new_page):
    assembly, amendment, proposal = council_in_session(world)
    educator = new_page()
    sign_in_adult(educator, world.educator.email)
    tablets = paired_tablets(new_page, educator, world, 3)
    db.session.commit()  # the test holds no read transaction while the server checkpoints its WAL
    board = new_page(viewport=BOARD)
    sign_in_adult(board, world.educator.email)
    board.goto(f"/assemblies/{assembly.id}/board")

    educator.goto(f"/assemblies/{assembly.id}")
    to_the_proposal(educator)
    change, whole = educator.locator(f"#vote-{amendment.id}"), educator.locator(f"#vote-{proposal.id}")
    expect(change).to_contain_text("To vote")
    expect(educator.get_by_role("button", name="Put to the vote")).to_have_count(1)  # the next vote's, in the panel
    expect(educator.locator(".agenda").get_by_role("button", name="Put to the vote")).to_have_count(0)
    screenshot(educator, "agenda-votes-before-en")
    put_to_vote_and_open(educator, "Change: “with flowers along the fence”")
    expect(educator.get_by_role("heading", name=re.compile("Amendment to “We plant"))).to_be_visible()
    expect(change).to_contain_text("Voting now")
    expect(board.get_by_text("0 of 6 have voted")).to_be_visible(timeout=LIVE)

    class_votes(tablets, world.pupils[:3], ("For", "For", "Against"))
    count_and_announce(educator)
    expect(board.get_by_text("Adopted.")).to_be_visible(timeout=LIVE)

    expect(change).to_contain_text("Adopted")
    put_to_vote_and_open(educator, "The proposal, with the changes adopted")
    expect(educator.get_by_role("heading", name=re.compile(f"^{PROPOSAL} — as amended: with flowers along the fence")))\
        .to_be_visible()
    class_votes(tablets, world.pupils[:3], ("For", "For", "For"))
    count_and_announce(educator)

    educator.goto(f"/register/classes/{world.cooperative.id}")
    educator.get_by_role("link", name=re.compile("as amended: with flowers")).click()
    expect(educator.get_by_role("link", name="see the assembly")).to_have_attribute(
        "href", f"/assemblies/{assembly.id}")
    educator.goto(f"/assemblies/{assembly.id}")
    expect(whole).to_contain_text("Adopted")
    screenshot(educator, "agenda-votes-after-en")
