"""One assembly followed live by the projected board (1920×1080) and two pupil tablets (768×1024):
each screen asks the server every second and redraws only what changed, without reloading."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.database import begin_writing
from app.extensions import db
from app.models.types import utcnow
from app.services import assemblies, messages, tablets
from tests.browser.conftest import BOARD, screenshot
from tests.browser.test_sign_in_journeys import sign_in_adult, tap_code

LIVE = 4_000  # the SPEC asks for 2 s; the margin absorbs a busy test machine, not a slower design


def approved(pupil, kind: str, text: str):
    message = messages.post_message(pupil, kind, text, utcnow())
    message.status = "approved"
    return message


@pytest.fixture
def assembly(world):
    """An assembly in session with a congratulation and a proposal; the second pupil gives the floor."""
    begin_writing(db.session)
    approved(world.pupils[2], "congratulate", "Bravo to Jade for the lovely drawing on the wall")
    approved(world.pupils[3], "propose", "We could plant a vegetable garden in the playground")
    db.session.flush()
    planned = assemblies.plan_assembly(world.cooperative, utcnow() + timedelta(minutes=5), "Our classroom", utcnow())
    assemblies.set_roles(planned, {("chair", 1): world.pupils[4].id, ("secretary", 1): world.pupils[5].id,
                                   ("speaker_giver", 1): world.pupils[1].id})
    assemblies.open_assembly(planned, utcnow())
    db.session.commit()
    return planned


def open_tablet(new_page, world, pupil):
    begin_writing(db.session)
    _link, token = tablets.new_pairing_link(world.cooperative, utcnow())
    db.session.commit()
    tablet = new_page()
    tablet.goto(f"/tablet/pair/{token}")
    tablet.get_by_label("Name of this tablet").fill(f"Tablet of {pupil.first_name}")
    tablet.get_by_role("button", name="Pair this tablet").click()
    tablet.get_by_role("link", name=pupil.display_name).click()
    tap_code(tablet, pupil.picture_code)
    expect(tablet.get_by_role("heading", name=f"Hello {pupil.first_name}!")).to_be_visible()
    return tablet


def mark_page(page) -> None:
    """A marker that a reload would erase: the screens must update without one."""
    page.evaluate("window.agoraNoReload = true")


def test_the_board_and_two_tablets_follow_one_assembly(world, new_page, assembly):
    board = new_page(viewport=BOARD)
    sign_in_adult(board, world.educator.email)
    board.goto(f"/assemblies/{assembly.id}/board")
    expect(board.get_by_role("heading", name=re.compile("News"))).to_be_visible()
    expect(board.locator("[data-timer]")).to_have_text(re.compile(r"^\d+:\d\d$"))
    mark_page(board)
    asker, giver = world.pupils[0], world.pupils[1]
    first, second = open_tablet(new_page, world, asker), open_tablet(new_page, world, giver)
    for tablet in (first, second):
        expect(tablet.get_by_role("heading", name="The assembly is on")).to_be_visible()
        mark_page(tablet)

    first.get_by_role("button", name="Ask to speak").click()
    expect(first.get_by_role("button", name="Cancel my turn")).to_be_visible()
    expect(first.get_by_text("You are number 1 in the queue.")).to_be_visible()
    queue = board.locator(".speakers-queue")
    expect(queue).to_contain_text(asker.display_name, timeout=LIVE)
    expect(second.get_by_text(f"Next: {asker.display_name}")).to_be_visible(timeout=LIVE)
    screenshot(board, "assembly-board-1920")
    screenshot(first, "assembly-tablet-768")

    educator = board.context.new_page()
    educator.goto(f"/assemblies/{assembly.id}")
    educator.get_by_role("button", name="Next item ▶").click()
    for tablet in (first, second):
        expect(tablet.locator(".now-item")).to_contain_text("Bravo to Jade", timeout=LIVE)
    expect(board.get_by_role("heading", name=re.compile("Congratulations"))).to_be_visible(timeout=LIVE)
    expect(board.get_by_text("Item 2 of")).to_be_visible()

    second.get_by_role("button", name="Give the floor to the next").click()
    expect(board.locator(".speaking-now")).to_contain_text(f"Speaking now: {asker.display_name}", timeout=LIVE)
    expect(first.get_by_role("button", name="Ask to speak")).to_be_visible(timeout=LIVE)

    educator.on("dialog", lambda dialog: dialog.accept())
    educator.get_by_role("button", name="Close the assembly").click()
    expect(board.get_by_role("heading", name="The assembly is closed.")).to_be_visible(timeout=LIVE)
    expect(first.get_by_role("heading", name="The assembly is on")).to_be_hidden(timeout=LIVE)
    for page in (board, first, second):
        assert page.evaluate("window.agoraNoReload === true")


@pytest.fixture
def answered_early(app, monkeypatch) -> list[str]:
    """The paths of the polls answered "unchanged" before Flask, from the screen's pass (app/live.py)."""
    layer, paths = app.wsgi_app, []
    answer = layer.no_content

    def recording(environ, *args):
        paths.append(environ["PATH_INFO"])
        return answer(environ, *args)

    monkeypatch.setattr(layer, "no_content", recording)
    return paths


def test_a_change_by_the_educator_shows_on_the_board_within_two_seconds(world, new_page, assembly, answered_early):
    board = new_page(viewport=BOARD)
    sign_in_adult(board, world.educator.email)
    board.goto(f"/assemblies/{assembly.id}/board")
    expect(board.get_by_role("heading", name=re.compile("News"))).to_be_visible()
    mark_page(board)
    board.wait_for_timeout(2_500)
    state = f"/assemblies/{assembly.id}/board/state"
    assert answered_early.count(state) >= 1, "the board's unchanged polls should not need Flask"

    educator = board.context.new_page()
    educator.goto(f"/assemblies/{assembly.id}")
    with educator.expect_navigation():
        educator.get_by_role("button", name="Next item ▶").click()
    expect(board.get_by_role("heading", name=re.compile("Congratulations"))).to_be_visible(timeout=2_000)
    before = answered_early.count(state)
    board.wait_for_timeout(2_500)
    assert answered_early.count(state) > before, "after the change the board polls with its new pass"
    assert board.evaluate("window.agoraNoReload === true")


def test_the_educator_moderates_the_message_box(world, new_page):
    begin_writing(db.session)
    noisy = "The corridor is too noisy when we come back from lunch"
    messages.post_message(world.pupils[1], "criticise", noisy, utcnow())
    messages.post_message(world.pupils[2], "propose", "We could plant a vegetable garden", utcnow())
    db.session.commit()
    page = new_page()
    sign_in_adult(page, world.educator.email)
    page.goto(f"/messages/classes/{world.cooperative.id}")
    expect(page.get_by_role("heading", name="2 messages to read")).to_be_visible()
    screenshot(page, "moderation-queue-768")
    page.get_by_role("button", name="Approve").first.click()
    expect(page.get_by_role("heading", name="1 message to read")).to_be_visible()
