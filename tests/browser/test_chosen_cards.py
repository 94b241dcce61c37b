"""The educator prints lasting sign-in cards for the pupils they tick, on a laptop (1366×768), in English and French."""

from playwright.sync_api import expect

from app.database import begin_writing
from app.domain.roster import RosterRow
from app.extensions import db
from app.models.types import utcnow
from app.services import classes, pupil_sign_in
from tests.browser.conftest import screenshot
from tests.browser.test_french_tablet import french
from tests.conftest import PASSWORD

LAPTOP = {"width": 1366, "height": 768}


def cards_page(new_page, world, locale: str = "en-GB", words=str, newcomers: tuple[RosterRow, ...] = ()):
    """The class has had its cards since September, when the newcomers had not arrived; the educator opens the
    class's sign-in cards."""
    begin_writing(db.session)
    pupil_sign_in.issue_class_cards(world.cooperative, utcnow())
    classes.add_pupils(world.cooperative, list(newcomers))
    db.session.commit()
    page = new_page(locale=locale, viewport=LAPTOP)
    page.goto("/account/sign-in")
    page.get_by_label(words("E-mail address")).fill(world.educator.email)
    page.get_by_label(words("Password")).fill(PASSWORD)
    page.get_by_role("button", name=words("Sign in")).click()
    page.goto(f"/classes/{world.cooperative.id}/cards")
    return page


def test_the_educator_prints_cards_for_two_ticked_pupils_only(world, new_page):
    page = cards_page(new_page, world)
    hugo, ines = world.pupils[1], world.pupils[2]
    for pupil in world.pupils:
        expect(page.get_by_label(pupil.display_name)).not_to_be_checked()
    page.get_by_label(hugo.display_name).check()
    page.get_by_label(ines.display_name).check()
    screenshot(page, "educator-cards-en")
    page.get_by_role("button", name="Print cards for the ticked pupils").click()

    names = page.get_by_role("heading", level=2)
    expect(names).to_have_text([hugo.display_name, ines.display_name])
    expect(page.locator(".card svg")).to_have_count(2)
    expect(page.get_by_text(f"Valid until the end of {world.cooperative.year_label}")).to_have_count(2)
    screenshot(page, "educator-cards-sheet-en")

    page.get_by_role("link", name="Back to the class").click()
    for pupil in world.pupils:
        row = page.get_by_role("row").filter(has=page.get_by_label(pupil.display_name))
        expect(row.get_by_role("cell").nth(1)).to_have_text("1")


def test_a_french_educator_finds_the_newcomers_ticked_and_is_told_when_nobody_is(app, world, new_page):
    page = cards_page(new_page, world, locale="fr-FR", words=lambda text: french(app, text),
                      newcomers=(RosterRow("Nina", "R"), RosterRow("Malo", "T")))
    newcomers = [pupil for pupil in world.cooperative.active_pupils() if pupil.first_name in ("Nina", "Malo")]
    for pupil in newcomers:
        expect(page.get_by_label(pupil.display_name)).to_be_checked()
    expect(page.get_by_label(world.pupil.display_name)).not_to_be_checked()
    screenshot(page, "educator-cards-fr")

    for pupil in newcomers:
        page.get_by_label(pupil.display_name).uncheck()
    page.get_by_role("button", name=french(app, "Print cards for the ticked pupils")).click()
    expect(page.get_by_role("alert")).to_have_text(french(app, "Nothing was printed: tick at least one pupil first."))
    screenshot(page, "educator-cards-nobody-fr")

    page.get_by_label(newcomers[0].display_name).check()
    page.get_by_role("button", name=french(app, "Print cards for the ticked pupils")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text([newcomers[0].display_name])
