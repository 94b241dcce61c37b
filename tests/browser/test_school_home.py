"""A school head signs in onto their school's page, sees the latest decision, searches the register from there and
opens a decision; the page in English and in French, on a laptop (1366×768) and on a tablet (768×1024)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.database import begin_writing
from app.domain.roster import RosterRow
from app.extensions import db
from app.models.types import utcnow
from app.services import accounts, assemblies, classes, messages, register
from tests.browser.conftest import TABLET, screenshot
from tests.browser.test_french_tablet import french
from tests.browser.test_sign_in_journeys import sign_in_adult
from tests.conftest import PASSWORD

LAPTOP = {"width": 1366, "height": 768}
LATEST = "Acheter des ballons pour la récréation"
OLD = "Créer un jardin potager dans la cour"


def a_school_year_under_way(world) -> None:
    """Two classes this year, one of two years ago, a council held, a message to moderate, a few decisions."""
    begin_writing(db.session)
    now = utcnow()
    year = world.cooperative.school_year
    colleague = accounts.create_user("teacher.c@a.example.org", "Teacher C", PASSWORD)
    accounts.add_staff(world.school, colleague, "educator")
    second = classes.create_cooperative(world.school, colleague, "CE1 B", year)
    classes.add_pupils(second, [RosterRow(name, "K") for name in ("Rose", "Jules", "Anna", "Arthur", "Lina")])
    old_class = classes.create_cooperative(world.school, world.educator, "CM2 B", year - 2)
    register.record_decision(old_class, register.NewDecision(OLD, "consensus"), "Teacher A", now - timedelta(days=730))
    council = assemblies.plan_assembly(world.cooperative, now - timedelta(days=2), "Salle 12", now - timedelta(days=3))
    assemblies.open_assembly(council, now - timedelta(days=2))
    assemblies.close_assembly(council, now - timedelta(days=2) + timedelta(hours=1))
    messages.post_message(world.pupils[2], "criticise", "On ne m’écoute jamais", now)
    for cooperative, words, days in ((second, "Ranger la bibliothèque chaque vendredi", 20),
                                     (world.cooperative, "Écrire au maire pour le passage piéton", 9),
                                     (world.cooperative, LATEST, 2)):
        register.record_decision(cooperative, register.NewDecision(words, "consensus"), "Teacher", now - timedelta(
            days=days))
    db.session.commit()


def test_a_head_sees_the_latest_decision_searches_the_register_and_opens_a_decision(world, new_page):
    a_school_year_under_way(world)
    page = new_page(viewport=LAPTOP)
    sign_in_adult(page, world.head.email)
    expect(page).to_have_url(re.compile(rf"/schools/{world.school.id}$"))
    expect(page.get_by_role("heading", name="School A")).to_be_visible()
    expect(page.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")

    latest = page.get_by_role("region", name="Latest decisions")
    expect(latest.get_by_role("row").nth(1)).to_contain_text(LATEST)
    expect(latest.get_by_role("link", name=OLD)).to_be_visible()  # two years old, still among the school's latest
    this_year = page.get_by_role("region", name=re.compile(r"^Classes of "))
    expect(this_year.get_by_role("row", name=re.compile(r"^CM1 A"))).to_contain_text("1 message")
    expect(this_year.get_by_role("link", name="CM2 B")).to_be_hidden()  # another year: behind "other school years"

    search = page.get_by_role("search", name="Search the register")
    search.get_by_label("Words").fill("jardins")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(rf"/register/schools/{world.school.id}\?q=jardins"))
    expect(page.get_by_role("status")).to_have_text("1 decision")
    page.get_by_role("link", name=OLD).click()
    expect(page.get_by_role("heading", name=OLD)).to_be_visible()

    page.get_by_role("link", name="Home").click()
    expect(page).to_have_url(re.compile(rf"/schools/{world.school.id}$"))
    page.get_by_role("region", name="Latest decisions").get_by_role("link", name=LATEST).click()
    expect(page.get_by_role("heading", name=LATEST)).to_be_visible()


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["1366x768", "768x1024"])
@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_the_school_page_in_both_languages_on_a_laptop_and_a_tablet(app, world, new_page, locale, viewport):
    a_school_year_under_way(world)
    language = locale[:2]
    word = (lambda text: french(app, text)) if language == "fr" else (lambda text: text)
    page = new_page(locale=locale, viewport=viewport)
    page.goto("/account/sign-in")
    page.get_by_label(word("E-mail address")).fill(world.head.email)
    page.get_by_label(word("Password")).fill(PASSWORD)
    page.get_by_role("button", name=word("Sign in")).click()
    expect(page).to_have_url(re.compile(rf"/schools/{world.school.id}$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("link", name=word("Home"))).to_be_visible()
    expect(page.get_by_role("heading", name=word("Latest decisions"))).to_be_visible()
    expect(page.get_by_role("search").get_by_label(word("Words"))).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide on a {viewport['width']} px screen"
    screenshot(page, f"school-home-{language}-{viewport['width']}x{viewport['height']}")
