"""On a tablet (768×1024), an educator records a donation and an expense approved by a decision of the class; the
treasurer's money report shows them, and the counters on the public home page move."""

from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from app.database import begin_writing
from app.extensions import db
from app.models import Decision
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_journeys import sign_in_adult
from tests.conftest import PASSWORD

DONATIONS = "donations received for pupil-led initiatives"
PROGRAMMES = "expenses for programmes and events"


def french(app, text: str, **values) -> str:
    with app.test_request_context(), force_locale("fr"):
        return _(text, **values)


def counter(page, label: str):
    return page.locator(".counters li", has_text=label).locator("strong")


def decided(world, text: str) -> Decision:
    begin_writing(db.session)
    decision = Decision(cooperative=world.cooperative, text=text, method="consensus")
    db.session.add(decision)
    db.session.commit()
    return decision


def assert_touch_target(locator) -> None:
    box = locator.bounding_box()
    assert box and box["height"] >= 48 and box["width"] >= 48, box


def record(page, kind_link: str, amount: str, category: str, description: str, decision: str | None = None):
    page.get_by_role("link", name=kind_link).click()
    page.get_by_label("Amount (€)").fill(amount)
    page.get_by_label("Category").select_option(label=category)
    page.get_by_label("What was it?").fill(description)
    if decision:
        cited = page.locator("#decision option", has_text=decision).get_attribute("value")
        page.get_by_label("Decision that approved this expense").select_option(value=cited)
    assert_touch_target(page.get_by_role("button", name="Record", exact=True))
    screenshot(page, f"treasury-record-{'expense' if decision else 'income'}-en")
    page.get_by_role("button", name="Record", exact=True).click()


def test_an_educator_keeps_the_treasury_and_the_public_figures_move(world, new_page):
    visitor = new_page()
    visitor.goto("/")
    expect(counter(visitor, DONATIONS)).to_have_text("€0.00")
    expect(counter(visitor, "decisions taken")).to_have_text("0")
    decision = decided(world, "Go to the puppet show")

    educator = new_page()
    sign_in_adult(educator, world.educator.email)
    educator.goto(f"/classes/{world.cooperative.id}")
    educator.get_by_role("link", name="Treasury").click()
    expect(educator.get_by_role("heading", name="Balance")).to_be_visible()
    assert_touch_target(educator.get_by_role("link", name="Record money in"))

    record(educator, "Record money in", "12,50", "Donations for a pupil-led initiative",
           "Gift from the parents' association for the puppet show")
    expect(educator.get_by_text("Recorded: €12.50.")).to_be_visible()
    record(educator, "Record money out", "4.20", "Educational programmes and events", "Puppet show tickets",
           decision=decision.text)
    expect(educator.get_by_text("Recorded: €4.20.")).to_be_visible()
    expect(educator.locator(".balance strong")).to_have_text("€8.30")
    expect(educator.get_by_text("Approved by the decision:")).to_be_visible()
    screenshot(educator, "treasury-en")

    educator.get_by_role("link", name="Treasurer's money report").click()
    expect(educator.locator(".report-figure")).to_have_text("€8.30")
    expect(educator.get_by_text("Go to the puppet show")).to_be_visible()
    screenshot(educator, "treasury-money-report-en")

    visitor.reload()
    expect(counter(visitor, DONATIONS)).to_have_text("€12.50")
    expect(counter(visitor, PROGRAMMES)).to_have_text("€4.20")
    expect(counter(visitor, "decision taken")).to_have_text("1")  # singular now
    screenshot(visitor, "home-en")

    educator.get_by_role("link", name="Back to the treasury").click()
    educator.get_by_role("link", name="Cancel this entry: Puppet show tickets").click()
    educator.get_by_label("Why cancel this entry?").fill("Wrong amount: recorded again")
    screenshot(educator, "treasury-cancel-en")
    educator.get_by_role("button", name="Cancel this entry").click()
    expect(educator.locator(".balance strong")).to_have_text("€12.50")
    expect(educator.locator(".entry-cancelled")).to_contain_text("Wrong amount: recorded again")
    visitor.reload()
    expect(counter(visitor, PROGRAMMES)).to_have_text("€0.00")


def test_a_french_educator_types_amounts_with_a_comma(app, world, new_page):
    decided(world, "Acheter des graines pour le jardin")
    educator = new_page(locale="fr-FR")
    educator.goto("/account/sign-in")
    educator.get_by_label(french(app, "E-mail address")).fill(world.educator.email)
    educator.get_by_label(french(app, "Password")).fill(PASSWORD)
    educator.get_by_role("button", name=french(app, "Sign in")).click()
    educator.goto(f"/treasury/classes/{world.cooperative.id}/income")
    educator.get_by_label(french(app, "Amount (€)")).fill("1 234,50")
    educator.get_by_label(french(app, "Category")).select_option(index=1)
    educator.get_by_label(french(app, "What was it?")).fill("Kermesse de l'école")
    educator.get_by_role("button", name=french(app, "Record"), exact=True).click()
    expect(educator.locator(".balance strong")).to_have_text("1\u202f234,50\xa0€")
    screenshot(educator, "treasury-fr")
    educator.goto(f"/treasury/classes/{world.cooperative.id}/money-report")
    screenshot(educator, "treasury-money-report-fr")
    educator.goto("/")
    expect(educator.locator("html")).to_have_attribute("lang", "fr")
    screenshot(educator, "home-fr")
