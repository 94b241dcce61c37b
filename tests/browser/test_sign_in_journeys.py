"""Journeys on a tablet (768×1024): pairing, pupils signing in, the lock, adults signing in and out."""

import re

import pytest
from playwright.sync_api import expect

from app.database import begin_writing
from app.domain.pictures import CODE_PICTURES
from app.extensions import db
from app.models.types import utcnow
from app.services import pupil_sign_in
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

PICTURE_WORDS = {"en-GB": dict(zip(CODE_PICTURES, ("sun", "tree", "fish", "star", "apple", "boat", "heart", "moon",
                                                   "flower"), strict=True))}


def sign_in_adult(page, email: str) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def pair_tablet_from_class_page(educator_page, tablet_page, cooperative) -> None:
    educator_page.goto(f"/classes/{cooperative.id}")
    educator_page.get_by_role("link", name="Tablets").click()
    educator_page.get_by_role("button", name="Show a pairing code").click()
    link = educator_page.locator("code.link").inner_text()
    screenshot(educator_page, "educator-pairing-code")
    tablet_page.goto(link)
    tablet_page.get_by_label("Name of this tablet").fill("Tablet 1")
    tablet_page.get_by_role("button", name="Pair this tablet").click()


def tap_code(page, code: str, name_of=PICTURE_WORDS["en-GB"].__getitem__) -> None:
    """Each tap waits for the one before to land: the buttons are disabled while a tap is on its way."""
    keys = code.split("-")
    for tapped, key in enumerate(keys, start=1):
        page.get_by_role("button", name=name_of(key), exact=True).click()
        if tapped < len(keys):
            expect(page.locator(".slot-filled")).to_have_count(tapped)


@pytest.fixture
def educator_and_tablet(world, new_page):
    educator, tablet = new_page(), new_page()
    sign_in_adult(educator, world.educator.email)
    pair_tablet_from_class_page(educator, tablet, world.cooperative)
    return educator, tablet


def test_an_unpaired_browser_sees_no_roster(world, new_page):
    page = new_page()
    page.goto("/tablet/")
    expect(page.get_by_role("heading", name="This tablet is not paired with a class")).to_be_visible()
    expect(page.get_by_text(world.pupil.display_name)).to_have_count(0)


def test_pairing_a_tablet_shows_the_name_tiles(world, educator_and_tablet):
    _educator, tablet = educator_and_tablet
    expect(tablet.get_by_role("heading", name="Who are you?")).to_be_visible()
    for pupil in world.pupils:
        expect(tablet.get_by_role("link", name=pupil.display_name)).to_be_visible()
    screenshot(tablet, "tablet-roster-en")


def test_a_pupil_signs_in_with_tile_and_picture_code(world, educator_and_tablet):
    _educator, tablet = educator_and_tablet
    tablet.get_by_role("link", name=world.pupil.display_name).click()
    expect(tablet.get_by_role("heading", name=f"Hello {world.pupil.display_name}!")).to_be_visible()
    screenshot(tablet, "tablet-code-en")
    tap_code(tablet, world.pupil.picture_code)
    expect(tablet).to_have_url(re.compile(r"/tablet/me$"))
    expect(tablet.get_by_role("heading", name=f"Hello {world.pupil.first_name}!")).to_be_visible()
    screenshot(tablet, "tablet-home-en")
    tablet.get_by_role("button", name="I am done").click()
    expect(tablet.get_by_text("Thank you! Next pupil →")).to_be_visible()
    expect(tablet.get_by_role("heading", name="Who are you?")).to_be_visible()


def test_a_pupil_signs_in_by_scanning_their_card(world, educator_and_tablet):
    _educator, tablet = educator_and_tablet
    begin_writing(db.session)
    token = pupil_sign_in.issue_card(world.pupil, utcnow())
    db.session.commit()
    tablet.goto(f"/tablet/card/{token}")
    tablet.get_by_role("button", name="Yes, it's me").click()
    expect(tablet.get_by_role("heading", name=f"Hello {world.pupil.first_name}!")).to_be_visible()


def test_five_mistakes_lock_the_pupil_and_the_educator_lifts_the_lock(world, educator_and_tablet):
    educator, tablet = educator_and_tablet
    pupil = world.pupil
    wrong = "-".join([CODE_PICTURES[(CODE_PICTURES.index(pupil.picture_code.split("-")[0]) + 1) % 9],
                      *pupil.picture_code.split("-")[1:]])
    tablet.get_by_role("link", name=pupil.display_name).click()
    for tries_left in (4, 3, 2, 1):
        tap_code(tablet, wrong)
        expect(tablet.get_by_role("alert")).to_contain_text(f"{tries_left} tries left")
    tap_code(tablet, wrong)
    expect(tablet.get_by_role("alert")).to_contain_text("Too many mistakes")
    screenshot(tablet, "tablet-locked-en")
    tap_code(tablet, pupil.picture_code)
    expect(tablet.get_by_role("alert")).to_contain_text("Too many mistakes")
    educator.goto(f"/classes/{world.cooperative.id}")
    educator.get_by_role("button", name=f"Unlock {pupil.display_name}").click()
    expect(educator.get_by_text(f"{pupil.display_name} can sign in again.")).to_be_visible()
    tap_code(tablet, pupil.picture_code)
    expect(tablet.get_by_role("heading", name=f"Hello {pupil.first_name}!")).to_be_visible()


def test_an_idle_pupil_is_warned_then_signed_out(app, world, educator_and_tablet):
    _educator, tablet = educator_and_tablet
    app.config.update(PUPIL_IDLE_SECONDS=4, PUPIL_IDLE_WARNING_SECONDS=3)
    tablet.get_by_role("link", name=world.pupil.display_name).click()
    tap_code(tablet, world.pupil.picture_code)
    expect(tablet.get_by_role("dialog", name="Are you still there?")).to_be_visible(timeout=5000)
    tablet.get_by_role("button", name="I am still here").click()
    expect(tablet.get_by_role("dialog")).to_be_hidden()
    expect(tablet.get_by_text("nobody used the tablet")).to_be_visible(timeout=10000)
    expect(tablet.get_by_role("heading", name="Who are you?")).to_be_visible()


def test_an_adult_signs_in_and_out(world, new_page):
    page = new_page()
    sign_in_adult(page, world.educator.email)
    expect(page.get_by_role("heading", name=f"Hello {world.educator.display_name}")).to_be_visible()
    expect(page.get_by_role("link", name=world.cooperative.name)).to_be_visible()
    screenshot(page, "educator-dashboard-en")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto("/classes/")
    expect(page).to_have_url(re.compile(r"/account/sign-in"))


def test_a_wrong_password_is_explained(world, new_page):
    page = new_page()
    page.goto("/account/sign-in")
    page.get_by_label("E-mail address").fill(world.educator.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match")).to_be_visible()
