"""A school head finds a decision from two years ago by a word and a filter, opens it and prints it."""

from datetime import timedelta

from playwright.sync_api import expect

from app.database import begin_writing
from app.extensions import db
from app.models.types import utcnow
from app.services import classes, register
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_journeys import sign_in_adult


def test_the_head_finds_opens_and_prints_an_old_decision(world, new_page):
    begin_writing(db.session)
    old_year = world.cooperative.school_year - 2
    old_class = classes.create_cooperative(world.school, world.educator, "CM2 B", old_year)
    two_years_ago = utcnow() - timedelta(days=730)
    for words in ("Créer un jardin potager dans la cour", "Acheter des ballons pour la récréation"):
        register.record_decision(old_class, register.NewDecision(words, "consensus"), "Teacher A", two_years_ago)
    register.record_decision(world.cooperative, register.NewDecision("Un autre jardin", "consensus"), "Teacher A")
    db.session.commit()

    page = new_page()
    sign_in_adult(page, world.head.email)
    page.goto(f"/schools/{world.school.id}")
    page.get_by_role("link", name="Register of decisions").click()
    page.get_by_label("Words").fill("jardins")
    page.get_by_label("School year starting in").fill(str(old_year))
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 decision")
    screenshot(page, "register-search-en")
    page.get_by_role("link", name="Créer un jardin potager dans la cour").click()
    expect(page.get_by_role("heading", name="Créer un jardin potager dans la cour")).to_be_visible()
    expect(page.get_by_text("The class agreed") .or_(page.get_by_text("Consensus")).first).to_be_visible()

    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.get_by_role("button", name="Print").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("heading", name="Créer un jardin potager dans la cour")).to_be_visible()
    screenshot(page, "register-decision-print")
