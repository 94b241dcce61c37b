"""Three tablets vote on a motion while the board follows; the result appears once announced."""

import re

from playwright.sync_api import expect

from app.extensions import db
from tests.browser.conftest import BOARD, screenshot
from tests.browser.test_sign_in_journeys import pair_tablet_from_class_page, sign_in_adult, tap_code


def sign_in_pupil(tablet, pupil) -> None:
    tablet.goto("/tablet/")
    tablet.get_by_role("link", name=pupil.display_name).click()
    tap_code(tablet, pupil.picture_code)
    expect(tablet.get_by_role("heading", name=f"Hello {pupil.first_name}!")).to_be_visible()


def vote(tablet, answer: str) -> None:
    tablet.get_by_role("link", name=re.compile("^Vote: ")).click()
    screenshot(tablet, "booth-choose-en")
    tablet.get_by_role("button", name=answer).click()
    expect(tablet.get_by_role("heading", name="Is this your vote?")).to_be_visible()
    screenshot(tablet, "booth-confirm-en")
    tablet.get_by_role("button", name="Put my vote in the box").click()
    expect(tablet.get_by_role("heading", name="Your vote is in the box!")).to_be_visible()
    expect(tablet.locator(".tracker")).to_have_text(re.compile(r"^\w+ · \w+ · \w+$"))


def test_three_tablets_vote_and_the_board_follows(world, new_page):
    educator = new_page()
    sign_in_adult(educator, world.educator.email)
    tablets = [new_page() for _ in range(3)]
    pair_tablet_from_class_page(educator, tablets[0], world.cooperative)
    for tablet in tablets[1:]:
        educator.goto(f"/classes/{world.cooperative.id}/tablets")
        educator.get_by_role("button", name="Show a pairing code").click()
        tablet.goto(educator.locator("code.link").inner_text())
        tablet.get_by_label("Name of this tablet").fill("Tablet")
        tablet.get_by_role("button", name="Pair this tablet").click()
    for tablet, pupil in zip(tablets, world.pupils, strict=False):
        sign_in_pupil(tablet, pupil)
    db.session.commit()  # the test holds no read transaction while the server checkpoints its WAL

    educator.goto(f"/polls/classes/{world.cooperative.id}")
    educator.get_by_label("Question put to the vote").fill("Shall we plant a vegetable garden?")
    educator.get_by_role("button", name="Prepare the motion").click()
    educator.get_by_role("button", name="Open the ballot box").click()
    expect(educator.get_by_text("The ballot box is open.")).to_be_visible()
    poll_url = educator.url

    board = new_page(viewport=BOARD)
    sign_in_adult(board, world.educator.email)
    board.goto(poll_url + "/board")
    expect(board.get_by_text("0 of 6 have voted")).to_be_visible()

    for tablet, answer in zip(tablets, ("For", "For", "Against"), strict=True):
        expect(tablet.get_by_role("link", name=re.compile("^Vote: "))).to_be_visible(timeout=5000)
        vote(tablet, answer)
    screenshot(tablets[2], "booth-voted-en")
    expect(board.get_by_text("3 of 6 have voted")).to_be_visible(timeout=4000)
    expect(board.get_by_text("Adopted.")).to_have_count(0)
    screenshot(board, "board-participation-en")

    tablets[0].go_back()
    expect(tablets[0].get_by_text("Your vote is in the box!")).to_have_count(0)
    expect(tablets[0].get_by_text("For", exact=True)).to_have_count(0)

    educator.goto(poll_url)
    educator.once("dialog", lambda dialog: dialog.accept())
    educator.get_by_role("button", name="Close the ballot box and count").click()
    expect(educator.get_by_text("Only the class's educators see the result until it is announced.")).to_be_visible()
    expect(board.get_by_text("The ballot box is closed.")).to_be_visible(timeout=4000)
    screenshot(educator, "educator-poll-result-en")
    educator.get_by_role("button", name="Announce the result to the class").click()
    expect(board.get_by_text("Adopted.")).to_be_visible(timeout=4000)
    expect(board.locator(".trackers li")).to_have_count(3)
    screenshot(board, "board-result-en")
