"""The pupils' treasurer on a paired class tablet (768×1024) records money in and an expense citing a decision of
the class; nothing counts until the educator (1366×768) confirms it, then the money report shows it. In French, the
educator refuses an entry with a reason the treasurer reads on the tablet."""

import re

from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from app.database import begin_writing
from app.extensions import db
from app.models import Decision
from app.models.types import utcnow
from app.pictograms import picture_name
from app.services import assemblies
from tests.browser.conftest import screenshot
from tests.browser.test_agenda_votes import sign_in_pupil
from tests.browser.test_sign_in_journeys import pair_tablet_from_class_page, sign_in_adult, tap_code
from tests.browser.test_treasury import assert_touch_target
from tests.conftest import PASSWORD

LAPTOP = {"width": 1366, "height": 768}
DECISION = "We go to the puppet show"


def the_class_decided_and_named_its_treasurer(world, text: str = DECISION) -> Decision:
    """A decision of the class, and an assembly in session whose treasurer is the world's pupil."""
    begin_writing(db.session)
    decision = Decision(cooperative=world.cooperative, text=text, method="consensus")
    db.session.add(decision)
    assembly = assemblies.plan_assembly(world.cooperative, utcnow(), "Our classroom", utcnow())
    assemblies.set_roles(assembly, {("treasurer", 1): world.pupil.id})
    assemblies.open_assembly(assembly, utcnow())
    db.session.commit()
    return decision


def fill_money(tablet, amount: str, category: str, what: str, decision: str | None = None, labels=None) -> None:
    labels = labels or {}
    tablet.get_by_label(labels.get("amount", "How much money? (€)")).fill(amount)
    tablet.get_by_role("radio", name=category, exact=True).check()
    if decision:
        tablet.get_by_role("radio", name=decision).check()
    tablet.get_by_label(labels.get("what", "What was it for?")).fill(what)


def test_the_treasurer_records_an_expense_and_the_educator_confirms_it(world, new_page):
    the_class_decided_and_named_its_treasurer(world)
    educator, tablet = new_page(viewport=LAPTOP), new_page()
    sign_in_adult(educator, world.educator.email)
    pair_tablet_from_class_page(educator, tablet, world.cooperative)
    db.session.commit()  # the test holds no read transaction while the server writes
    sign_in_pupil(tablet, world.pupil)

    our_money = tablet.get_by_role("link", name=re.compile("^Our money"))
    assert_touch_target(our_money)
    screenshot(tablet, "treasurer-home-en")
    our_money.click()
    expect(tablet.get_by_text("The class has €0.00.")).to_be_visible()
    screenshot(tablet, "treasurer-our-money-en")

    tablet.get_by_role("link", name="Money in").click()
    fill_money(tablet, "20", "Money we raised: a fair, a sale, a show", "Cake sale")
    tablet.get_by_role("button", name="Record").click()
    expect(tablet).to_have_url(re.compile(r"/tablet/me$"))
    expect(tablet.get_by_text("Thank you! Your teacher will check it.")).to_be_visible()

    tablet.get_by_role("link", name=re.compile("^Our money")).click()
    tablet.get_by_role("link", name="Money out").click()
    fill_money(tablet, "-8,40", "One of our projects", "Puppet show tickets", decision=DECISION)
    for target in (tablet.get_by_role("button", name="Record"), tablet.locator(".money-choices .choice-toggle").first):
        assert_touch_target(target)
    screenshot(tablet, "treasurer-record-expense-en")
    tablet.get_by_role("button", name="Record").click()
    expect(tablet.get_by_role("alert")).to_contain_text("Nothing was recorded")
    expect(tablet.get_by_text("Write the amount without a minus sign")).to_be_visible()
    expect(tablet.get_by_role("radio", name=DECISION)).to_be_checked()  # what the pupil chose is kept
    screenshot(tablet, "treasurer-refused-amount-en")
    tablet.get_by_label("How much money? (€)").fill("8,40")
    tablet.get_by_role("button", name="Record").click()
    expect(tablet.get_by_text("Thank you! Your teacher will check it.")).to_be_visible()
    screenshot(tablet, "treasurer-recorded-en")
    expect(tablet.get_by_role("button", name="I am done")).to_be_visible()  # still signed in

    educator.goto(f"/treasury/classes/{world.cooperative.id}")
    expect(educator.locator(".balance strong")).to_have_text("€0.00")
    waiting = educator.locator("#waiting")
    expect(waiting.get_by_role("heading", name=re.compile("Waiting for your confirmation"))).to_be_visible()
    expect(waiting).to_contain_text("Recorded by Léa M. on the class tablet")
    expect(waiting).to_contain_text("Approved by the decision: ")
    screenshot(educator, "treasury-waiting-en")
    educator.get_by_role("button", name="Confirm: Cake sale").click()
    expect(educator.get_by_text("Confirmed: €20.00 recorded by Léa M. now counts.")).to_be_visible()
    educator.get_by_role("button", name="Confirm: Puppet show tickets").click()
    expect(educator.locator(".balance strong")).to_have_text("€11.60")
    expect(educator.get_by_text("Nothing is waiting.")).to_be_visible()
    expect(educator.get_by_text("Recorded by Léa M. on the class tablet, confirmed by Teacher A")).to_have_count(2)
    screenshot(educator, "treasury-confirmed-en")

    educator.get_by_role("link", name="Treasurer's money report").click()
    expect(educator.locator(".report-figure")).to_have_text("€11.60")
    expect(educator.get_by_text("Puppet show tickets")).to_be_visible()
    expect(educator.get_by_text(DECISION)).to_be_visible()
    screenshot(educator, "treasury-money-report-confirmed-en")

    tablet.get_by_role("link", name=re.compile("^Our money")).click()
    expect(tablet.get_by_text("The class has €11.60.")).to_be_visible()


def french(app, text: str, **values) -> str:
    with app.test_request_context(), force_locale("fr"):
        return _(text, **values)


def test_in_french_the_educator_refuses_and_the_treasurer_reads_why(app, world, new_page):
    the_class_decided_and_named_its_treasurer(world, "Nous allons au spectacle de marionnettes")
    educator, tablet = new_page(locale="fr-FR", viewport=LAPTOP), new_page(locale="fr-FR")
    educator.goto("/account/sign-in")
    educator.get_by_label(french(app, "E-mail address")).fill(world.educator.email)
    educator.get_by_label(french(app, "Password")).fill(PASSWORD)
    educator.get_by_role("button", name=french(app, "Sign in")).click()
    educator.goto(f"/classes/{world.cooperative.id}/tablets")
    educator.get_by_role("button", name=french(app, "Show a pairing code")).click()
    tablet.goto(educator.locator("code.link").inner_text())
    tablet.get_by_label(french(app, "Name of this tablet")).fill("Tablette 1")
    tablet.get_by_role("button", name=french(app, "Pair this tablet")).click()
    db.session.commit()
    tablet.get_by_role("link", name=world.pupil.display_name).click()
    with app.test_request_context(), force_locale("fr"):
        tap_code(tablet, world.pupil.picture_code, picture_name)

    tablet.get_by_role("link", name=re.compile(french(app, "Our money"))).click()
    assert french(app, "Our money") != "Our money", "the French catalogue is missing"
    screenshot(tablet, "treasurer-our-money-fr")
    tablet.get_by_role("link", name=french(app, "Money out")).click()
    labels = {"amount": french(app, "How much money? (€)"), "what": french(app, "What was it for?")}
    fill_money(tablet, "12,50", french(app, "An outing, a show or a class event"), "Billets du spectacle",
               decision="Nous allons au spectacle de marionnettes", labels=labels)
    screenshot(tablet, "treasurer-record-expense-fr")
    tablet.get_by_label(labels["amount"]).fill("250000")
    tablet.get_by_role("button", name=french(app, "Record")).click()
    expect(tablet.get_by_role("alert")).to_contain_text(french(app, "Nothing was recorded."))
    screenshot(tablet, "treasurer-refused-amount-fr")
    tablet.get_by_label(labels["amount"]).fill("12,50")
    tablet.get_by_role("button", name=french(app, "Record")).click()
    expect(tablet.get_by_text(french(app, "Thank you! Your teacher will check it. Then it will count in the "
                                          "class's money."))).to_be_visible()
    screenshot(tablet, "treasurer-recorded-fr")

    educator.goto(f"/treasury/classes/{world.cooperative.id}")
    expect(educator.locator("#waiting")).to_contain_text("Billets du spectacle")
    screenshot(educator, "treasury-waiting-fr")
    educator.get_by_role("link", name=re.compile(f"^{french(app, 'Refuse…')}")).click()
    reason = french(app, "Why refuse it? The treasurer reads your answer on the tablet.")
    educator.get_by_label(reason).fill("Il manque le ticket de caisse")
    screenshot(educator, "treasury-refuse-fr")
    educator.get_by_role("button", name=french(app, "Refuse this entry")).click()
    expect(educator.get_by_text(french(app, "Refused entries (%(count)d)", count=1))).to_be_visible()
    expect(educator.locator(".balance strong")).to_have_text("0,00\xa0€")

    tablet.goto("/treasury/tablet")
    said = french(app, "Your teacher says: %(reason)s", reason="Il manque le ticket de caisse")
    expect(tablet.get_by_text(said)).to_be_visible()
    screenshot(tablet, "treasurer-refused-by-teacher-fr")
