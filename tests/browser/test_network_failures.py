"""The network fails under a tablet: the pupil is told in plain words, and after a lost cast the émargement
answers "Is my vote in the box?" truthfully, whether the ballot arrived or not."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import Message
from app.models.types import utcnow
from app.services import polls
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_journeys import pair_tablet_from_class_page, sign_in_adult, tap_code
from tests.browser.test_voting_journey import sign_in_pupil

TROUBLE = "The tablet could not reach the server. Your last tap may not have arrived."


def open_motion_and_paired_tablet(world, new_page):
    """An open motion of the class, its educator signed in, and a tablet paired from the class page."""
    poll = polls.create_motion(world.cooperative, "Shall we plant a garden?", "simple", None, world.educator)
    polls.open_poll(poll, world.educator, utcnow(), b"a server secret")
    db.session.commit()
    educator, tablet = new_page(), new_page()
    sign_in_adult(educator, world.educator.email)
    pair_tablet_from_class_page(educator, tablet, world.cooperative)
    return poll, educator, tablet


@pytest.fixture
def tablet_at_the_confirm_page(world, new_page):
    _poll, _educator, tablet = open_motion_and_paired_tablet(world, new_page)
    sign_in_pupil(tablet, world.pupil)
    db.session.commit()
    tablet.get_by_role("link", name=re.compile("^Vote: ")).click()
    tablet.get_by_role("button", name="For").click()
    expect(tablet.get_by_role("heading", name="Is this your vote?")).to_be_visible()
    return tablet


def test_a_cast_saved_but_whose_answer_was_lost_is_confirmed_in_the_box(world, tablet_at_the_confirm_page):
    tablet = tablet_at_the_confirm_page

    def reach_the_server_then_drop_the_answer(route):
        route.fetch()  # the server receives the cast and saves it
        route.abort("connectionreset")

    tablet.route(re.compile(r".*/cast$"), reach_the_server_then_drop_the_answer)
    tablet.get_by_role("button", name="Put my vote in the box").click()
    expect(tablet.get_by_text(TROUBLE)).to_be_visible()
    screenshot(tablet, "booth-network-lost-en")
    tablet.get_by_role("link", name="Is my vote in the box?").click()
    expect(tablet.get_by_text(f"Yes, {world.pupil.first_name}: your vote is in the box.")).to_be_visible()


def test_a_cast_that_never_arrived_is_said_not_in_the_box(world, tablet_at_the_confirm_page):
    tablet = tablet_at_the_confirm_page
    tablet.route(re.compile(r".*/cast$"), lambda route: route.abort("internetdisconnected"))
    tablet.get_by_role("button", name="Put my vote in the box").click()
    expect(tablet.get_by_text(TROUBLE)).to_be_visible()
    expect(tablet.get_by_role("button", name="Put my vote in the box")).to_be_enabled()
    tablet.get_by_role("link", name="Is my vote in the box?").click()
    expect(tablet.get_by_text(f"No, {world.pupil.first_name}: your vote is not in the box yet.")).to_be_visible()


def test_a_picture_tap_lost_on_the_way_is_told(world, new_page):
    educator, tablet = new_page(), new_page()
    sign_in_adult(educator, world.educator.email)
    pair_tablet_from_class_page(educator, tablet, world.cooperative)
    tablet.goto("/tablet/")
    tablet.get_by_role("link", name=world.pupil.display_name).click()
    tablet.route(re.compile(r".*/code$"), lambda route: route.abort("internetdisconnected"))
    first_picture = world.pupil.picture_code.split("-")[0]
    tap_code(tablet, first_picture)
    expect(tablet.get_by_text(TROUBLE)).to_be_visible()
    expect(tablet.get_by_role("link", name="Is my vote in the box?")).to_be_hidden()
    tablet.unroute(re.compile(r".*/code$"))
    tablet.get_by_role("button", name="Try again").click()
    expect(tablet.get_by_text(TROUBLE)).to_be_hidden()


@pytest.fixture
def tablet_writing_a_proposal(world, new_page):
    educator, tablet = new_page(), new_page()
    sign_in_adult(educator, world.educator.email)
    pair_tablet_from_class_page(educator, tablet, world.cooperative)
    sign_in_pupil(tablet, world.pupil)
    tablet.goto("/messages/new/propose")
    tablet.get_by_label("Your message").fill("We could plant a garden")
    return tablet


def proposals_stored() -> int:
    db.session.rollback()  # a fresh look at what the server committed
    return db.session.scalar(select(func.count()).select_from(Message).where(Message.kind == "propose"))


def test_a_message_saved_but_whose_answer_was_lost_is_sent_again_once(world, tablet_writing_a_proposal):
    tablet = tablet_writing_a_proposal

    def reach_the_server_then_drop_the_answer(route):
        route.fetch()
        route.abort("connectionreset")

    tablet.route(re.compile(r".*/messages/new/propose$"), reach_the_server_then_drop_the_answer)
    tablet.get_by_role("button", name="Send").click()
    expect(tablet.get_by_text(TROUBLE)).to_be_visible()
    expect(tablet.get_by_text("What you wrote is kept.")).to_be_visible()
    expect(tablet.get_by_label("Your message")).to_have_value("We could plant a garden")
    screenshot(tablet, "message-network-lost-en")
    tablet.unroute(re.compile(r".*/messages/new/propose$"))
    tablet.get_by_role("button", name="Try again").click()
    expect(tablet.get_by_text("Thank you! Your message is in the box.")).to_be_visible()
    assert proposals_stored() == 1


def test_a_message_that_never_arrived_is_sent_by_try_again(world, tablet_writing_a_proposal):
    tablet = tablet_writing_a_proposal
    tablet.route(re.compile(r".*/messages/new/propose$"), lambda route: route.abort("internetdisconnected"))
    tablet.get_by_role("button", name="Send").click()
    expect(tablet.get_by_text(TROUBLE)).to_be_visible()
    assert proposals_stored() == 0
    tablet.unroute(re.compile(r".*/messages/new/propose$"))
    tablet.get_by_role("button", name="Try again").click()
    expect(tablet.get_by_text("Thank you! Your message is in the box.")).to_be_visible()
    assert proposals_stored() == 1
