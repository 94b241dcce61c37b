"""A class's whole council in a browser, as a class lives it: a pupil posts a proposal on the tablet, the educator
moderates it, plans and opens the council, the class votes the proposal and elects its delegates on tablets while
the board follows, the minutes are validated, the decision is in the register, the treasury records a gift and an
expense that cites the decision, and the school head finds the decision. Every page it visits passes axe-core's
WCAG 2.1 A and AA rules (tests/browser/accessibility.py)."""

import re
from datetime import timedelta
from types import SimpleNamespace

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Message
from app.models.types import utcnow
from tests.browser.accessibility import AccessibilityLog
from tests.browser.conftest import BOARD, screenshot
from tests.browser.test_agenda_votes import count_and_announce, paired_tablets, put_to_vote_and_open, sign_in_pupil
from tests.browser.test_assembly_board import LIVE
from tests.browser.test_election_journey import CANDIDATES, OFFICE, PLURALITY, cast, prepare_election
from tests.browser.test_sign_in_journeys import sign_in_adult, tap_code
from tests.browser.test_treasury import record

LAPTOP = {"width": 1366, "height": 768}
PROPOSAL = "We plant a vegetable garden"


def plain(pupil) -> SimpleNamespace:
    """What the journey needs of a pupil, read once: the test holds no read transaction while the server writes."""
    return SimpleNamespace(display_name=pupil.display_name, first_name=pupil.first_name,
                           picture_code=pupil.picture_code)


def post_a_proposal(tablet, pupil, a11y) -> None:
    tablet.goto("/tablet/")
    tablet.get_by_role("link", name=pupil.display_name).click()
    expect(tablet.locator("#code-panel")).to_be_visible()
    a11y.check(tablet, "picture code")
    tap_code(tablet, pupil.picture_code)
    a11y.check(tablet, "tablet home")
    tablet.get_by_role("link", name="The message box").click()
    a11y.check(tablet, "message box")
    tablet.get_by_role("link", name=re.compile("I propose")).first.click()
    a11y.check(tablet, "writing a proposal")
    tablet.get_by_role("textbox").fill(PROPOSAL)
    tablet.get_by_role("button", name="Send").click()
    expect(tablet.get_by_text(re.compile("Thank you"))).to_be_visible()
    a11y.check(tablet, "message sent")


def moderate(educator, cooperative_id: int, a11y) -> None:
    educator.goto(f"/messages/classes/{cooperative_id}")
    expect(educator.locator(".moderation-text", has_text=PROPOSAL)).to_be_visible()
    a11y.check(educator)
    educator.get_by_role("button", name="Approve").first.click()
    expect(educator.get_by_role("button", name="Approve")).to_have_count(0)


def plan_and_open_the_council(educator, cooperative_id: int, a11y) -> str:
    educator.goto(f"/assemblies/classes/{cooperative_id}")
    a11y.check(educator)
    educator.get_by_label("Date").fill((utcnow() + timedelta(days=1)).date().isoformat())
    educator.get_by_label("Time").fill("10:00")
    educator.get_by_label("Place").fill("Our classroom")
    educator.get_by_role("button", name="Plan the assembly").click()
    expect(educator.get_by_role("button", name="Open the assembly")).to_be_visible()
    a11y.check(educator, "assembly planned")
    educator.get_by_role("button", name="Open the assembly").click()
    expect(educator.get_by_role("button", name="Close the assembly")).to_be_visible()
    a11y.check(educator, "assembly in session")
    return educator.url


def vote_and_check(tablet, answer: str, a11y) -> None:
    tablet.get_by_role("link", name=re.compile("^Vote: ")).click()
    a11y.check(tablet, "booth")
    tablet.get_by_role("button", name=answer).click()
    expect(tablet.get_by_role("heading", name="Is this your vote?")).to_be_visible()
    a11y.check(tablet, "confirmation")
    tablet.get_by_role("button", name="Put my vote in the box").click()
    expect(tablet.get_by_role("heading", name="Your vote is in the box!")).to_be_visible()
    a11y.check(tablet, "vote in the box")


def test_a_whole_council_from_the_message_box_to_the_school_head(world, new_page, live_server):
    a11y = AccessibilityLog(live_server)
    cooperative_id, school_id = world.cooperative.id, world.school.id
    pupils = [plain(pupil) for pupil in world.pupils]
    educator_email, head_email = world.educator.email, world.head.email

    educator = new_page(viewport=LAPTOP)
    educator.goto("/account/sign-in")
    a11y.check(educator)
    sign_in_adult(educator, educator_email)
    a11y.check(educator, "educator's home")
    educator.goto(f"/classes/{cooperative_id}")
    a11y.check(educator)
    tablets = paired_tablets(new_page, educator, world, 2)
    db.session.commit()
    a11y.check(tablets[0], "roster")

    post_a_proposal(tablets[0], pupils[3], a11y)
    moderate(educator, cooperative_id, a11y)
    assert db.session.scalar(select(Message.status).where(Message.text == PROPOSAL)) == "approved"
    db.session.commit()

    assembly_url = plan_and_open_the_council(educator, cooperative_id, a11y)
    board = new_page(viewport=BOARD)
    sign_in_adult(board, educator_email)
    board.goto(f"{assembly_url}/board")
    a11y.check(board, "board")

    panel = educator.locator("#run-panel")
    while PROPOSAL not in panel.locator(".run-current").inner_text():
        panel.get_by_role("button", name="Next item ▶").click()
    put_to_vote_and_open(educator, "The proposal")
    a11y.check(educator, "ballot box open")
    expect(board.get_by_text(re.compile(r"0 of \d+ have voted"))).to_be_visible(timeout=LIVE)
    a11y.check(board, "board during the vote")
    for number, (pupil, answer) in enumerate(zip(pupils[:3], ("For", "For", "Against"), strict=True)):
        tablet = tablets[number % 2]
        sign_in_pupil(tablet, pupil)
        expect(tablet.get_by_role("link", name=re.compile("^Vote: "))).to_be_visible(timeout=LIVE)
        vote_and_check(tablet, answer, a11y)
    count_and_announce(educator)
    expect(board.get_by_text("Adopted.")).to_be_visible(timeout=LIVE)
    a11y.check(educator, "result announced")
    a11y.check(board, "board with the result")

    educator.goto(f"/polls/classes/{cooperative_id}")
    a11y.check(educator)
    prepare_election(educator, cooperative_id, PLURALITY.method)
    a11y.check(educator, "election prepared")
    educator.get_by_role("button", name="Open the ballot box").click()
    expect(educator.get_by_text("The ballot box is open.")).to_be_visible()
    voters = {pupil.display_name: pupil for pupil in pupils}
    for number, (voter, ballot) in enumerate(zip(("Léa M.", "Hugo B.", "Inès D.", "Lucas P.", "Jade F.", "Adam G."),
                                                 PLURALITY.ballots, strict=True)):
        tablet = tablets[number % 2]
        sign_in_pupil(tablet, voters[voter])
        if number == 0:
            tablet.get_by_role("link", name=f"Vote: {OFFICE}").click()
            a11y.check(tablet, "election booth")
            tablet.go_back()
        cast(tablet, PLURALITY, ballot, screenshots=False)
    educator.once("dialog", lambda dialog: dialog.accept())
    educator.get_by_role("button", name="Close the ballot box and count").click()
    educator.get_by_role("button", name="Announce the result to the class").click()
    expect(educator.locator(".result-sentence")).to_have_text(PLURALITY.sentence)
    a11y.check(educator, "election result")

    educator.goto(assembly_url)
    educator.once("dialog", lambda dialog: dialog.accept())
    educator.get_by_role("button", name="Close the assembly").click()
    expect(educator.get_by_role("button", name="Close the assembly")).to_have_count(0)
    a11y.check(educator, "assembly closed")
    educator.goto(f"{assembly_url}/minutes")
    expect(educator.get_by_text(f"Elected: {', '.join(PLURALITY.elected)}")).to_be_visible()
    a11y.check(educator)
    educator.once("dialog", lambda dialog: dialog.accept())
    educator.get_by_role("button", name="Validate the minutes").click()
    expect(educator.get_by_text("The minutes are validated.")).to_be_visible()
    a11y.check(educator, "minutes validated")

    educator.goto(f"/register/classes/{cooperative_id}")
    a11y.check(educator)
    educator.get_by_role("link", name=PROPOSAL).click()
    a11y.check(educator, "decision")

    educator.goto(f"/classes/{cooperative_id}")
    educator.get_by_role("link", name="Treasury").click()
    a11y.check(educator)
    educator.get_by_role("link", name="Record money in").click()
    a11y.check(educator)
    educator.go_back()
    record(educator, "Record money in", "40", "Donations for a pupil-led initiative", "Seeds from the parents")
    a11y.check(educator, "treasury after a gift")
    record(educator, "Record money out", "25.50", "Pupil-led initiatives", "Garden tools", decision=PROPOSAL)
    educator.get_by_role("link", name="Treasurer's money report").click()
    a11y.check(educator)

    head = new_page(viewport=LAPTOP)
    sign_in_adult(head, head_email)
    a11y.check(head, "head's home")
    head.goto(f"/schools/{school_id}")
    a11y.check(head)
    head.get_by_role("link", name="Register of decisions").click()
    head.get_by_label("Words").fill("garden")
    head.get_by_role("button", name="Search").click()
    expect(head.get_by_role("status")).to_have_text("1 decision")
    a11y.check(head, "register search")
    head.get_by_role("link", name=PROPOSAL).click()
    expect(head.get_by_role("heading", name=re.compile(PROPOSAL))).to_be_visible()
    a11y.check(head, "decision as the head reads it")
    screenshot(head, "whole-council-head-decision-en")

    assert len(a11y.found) >= 35, sorted(a11y.found)
    assert a11y.pages_with_violations == {}
    assert set(CANDIDATES) >= set(PLURALITY.elected)
