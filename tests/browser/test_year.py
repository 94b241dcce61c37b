"""On a laptop (1366×768), an educator opens "Our year" from the class's navigation: the roles chart has its title
and its table gives the same figures; the page reads as well in French and on a tablet."""

from playwright.sync_api import expect

from tests.browser.conftest import TABLET, screenshot
from tests.browser.test_sign_in_journeys import sign_in_adult
from tests.browser.test_treasury import french
from tests.conftest import PASSWORD
from tests.http.test_year import fill_the_year

LAPTOP = {"width": 1366, "height": 768}


def test_an_educator_opens_the_year_from_the_class_navigation(world, new_page):
    fill_the_year(world)
    page = new_page(viewport=LAPTOP)
    sign_in_adult(page, world.educator.email)
    page.goto(f"/classes/{world.cooperative.id}")
    page.get_by_role("navigation", name="Class").get_by_role("link", name="Our year").click()
    expect(page.get_by_role("heading", name="Council roles")).to_be_visible()
    chart = page.get_by_role("img", name="How many council roles each pupil has held this year")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 400
    roles = page.get_by_role("table", name="Roles held in this year's councils")
    expect(roles.get_by_role("row", name="Léa M. 2 0 0 0 0 0 2")).to_be_visible()
    expect(page.get_by_role("img", name="Messages posted each month, by column of the message box")).to_be_visible()
    screenshot(page, "year-en-1366")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(chart).to_be_visible()
    screenshot(page, "year-en-print")


def sign_in_in_french(app, page, email: str) -> None:
    page.goto("/account/sign-in")
    page.get_by_label(french(app, "E-mail address")).fill(email)
    page.get_by_label(french(app, "Password")).fill(PASSWORD)
    page.get_by_role("button", name=french(app, "Sign in")).click()


def test_the_year_in_french_and_on_a_tablet(app, world, new_page):
    fill_the_year(world)
    for locale, viewport, name in (("fr-FR", LAPTOP, "year-fr-1366"), ("fr-FR", TABLET, "year-fr-768"),
                                   ("en-GB", TABLET, "year-en-768")):
        page = new_page(locale=locale, viewport=viewport)
        if locale == "fr-FR":
            sign_in_in_french(app, page, world.educator.email)
        else:
            sign_in_adult(page, world.educator.email)
        page.goto(f"/year/classes/{world.cooperative.id}")
        roles = french(app, "Council roles") if locale == "fr-FR" else "Council roles"
        expect(page.get_by_role("heading", name=roles)).to_be_visible()
        screenshot(page, name)
