"""The educator reads the minutes of a council that voted, elected and decided, validates them and prints them: the
outcomes are there, the flash message is not on paper, the signature lines are — in English and in French."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_french_tablet import french
from tests.browser.test_sign_in_journeys import sign_in_adult
from tests.conftest import PASSWORD
from tests.http.test_minutes import ADOPTED_FIGURES, council_in_session, council_that_decided

LAPTOP = {"width": 1366, "height": 768}


def test_the_minutes_tell_the_outcomes_and_print_without_the_flash(app, world, educator, tablet, make_client,
                                                                    new_page):
    assembly = council_in_session(world, educator)
    first, second, _third = council_that_decided(world, educator, tablet, make_client, assembly)
    page = new_page(viewport=LAPTOP)
    sign_in_adult(page, world.educator.email)
    page.goto(f"/assemblies/{assembly.id}/minutes")
    expect(page.get_by_text(ADOPTED_FIGURES)).to_be_visible()
    expect(page.get_by_text(f"Elected: {first.display_name}, {second.display_name}")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Validate the minutes").click()
    flash = page.get_by_text("The minutes are validated.")
    expect(flash).to_be_visible()
    screenshot(page, "minutes-en")

    page.emulate_media(media="print")
    expect(flash).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("heading", name="Signatures")).to_be_visible()
    screenshot(page, "minutes-en-print")


def test_the_minutes_read_in_french(app, world, educator, tablet, make_client, new_page):
    assembly = council_in_session(world, educator)
    council_that_decided(world, educator, tablet, make_client, assembly)
    page = new_page(locale="fr-FR", viewport=LAPTOP)
    page.goto("/account/sign-in")
    page.get_by_label(french(app, "E-mail address")).fill(world.educator.email)
    page.get_by_label(french(app, "Password")).fill(PASSWORD)
    page.get_by_role("button", name=french(app, "Sign in")).click()
    page.goto(f"/assemblies/{assembly.id}/minutes")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name=french(app, "Agenda and outcomes"))).to_be_visible()
    screenshot(page, "minutes-fr")
