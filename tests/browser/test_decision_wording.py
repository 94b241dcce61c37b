"""Right after announcing a vote's result on a laptop, the educator words the decision as the class decided it, names
the two pupils who see it through and sets the day; the decision's page keeps the proposal's words as its first
wording, the register still holds — in English and in French."""

import re
from datetime import date, timedelta

from babel.dates import format_date
from playwright.sync_api import expect

from app.database import begin_writing
from app.extensions import db
from app.models.types import utcnow
from app.services import assemblies
from tests.browser.conftest import screenshot
from tests.browser.test_agenda_votes import class_votes, count_and_announce, paired_tablets, put_to_vote_and_open
from tests.browser.test_assembly_board import approved
from tests.browser.test_french_tablet import french
from tests.browser.test_minutes import LAPTOP
from tests.browser.test_sign_in_journeys import sign_in_adult
from tests.conftest import PASSWORD

PROPOSAL = "Je propose qu'on fasse une sortie au musée"
DECIDED = "Nous irons au musée en mai"


def council_with_the_proposal(world):
    begin_writing(db.session)
    proposal = approved(world.pupils[3], "propose", PROPOSAL)
    db.session.flush()
    assembly = assemblies.plan_assembly(world.cooperative, utcnow() + timedelta(minutes=5), "Our classroom", utcnow())
    assemblies.open_assembly(assembly, utcnow())
    db.session.commit()
    return assembly, proposal


def test_the_educator_words_the_decision_where_the_result_is_announced(app, world, new_page):
    assembly, proposal = council_with_the_proposal(world)
    educator = new_page(viewport=LAPTOP)
    sign_in_adult(educator, world.educator.email)
    tablets = paired_tablets(new_page, educator, world, 3)
    db.session.commit()  # the test holds no read transaction while the server checkpoints its WAL
    educator.goto(f"/assemblies/{assembly.id}")
    panel = educator.locator("#run-panel")
    while PROPOSAL not in panel.locator(".run-current").inner_text():
        panel.get_by_role("button", name="Next item ▶").click()
    put_to_vote_and_open(educator, "The proposal")
    class_votes(tablets, world.pupils[:3], ("For", "For", "Against"))
    count_and_announce(educator)
    panel.get_by_role("link", name=re.compile("^Recorded in the register as decision")).click()

    wording = educator.locator("#wording")
    expect(wording.get_by_label("Wording of the decision")).to_have_value(PROPOSAL)
    wording.get_by_label("Wording of the decision").fill(DECIDED)
    for pupil in (world.pupils[1], world.pupils[4]):
        wording.get_by_label(pupil.display_name).check()
    due = date.today() + timedelta(days=45)
    wording.get_by_label("To be done by (optional)").fill(due.isoformat())
    screenshot(educator, "decision-wording-on-the-vote-en")
    wording.get_by_role("button", name="Save in the register").click()
    expect(educator.get_by_text("The decision is updated in the register")).to_be_visible()
    expect(educator.get_by_role("heading", name=DECIDED)).to_be_visible()
    expect(educator.get_by_text(f"First recorded as “{PROPOSAL}”.")).to_be_visible()
    facts = educator.locator(".facts")
    expect(facts).to_contain_text(f"{world.pupils[1].display_name}, {world.pupils[4].display_name}")
    expect(facts).to_contain_text(f"{due.day} {format_date(due, 'MMMM y', locale='en')}")
    screenshot(educator, "decision-worded-en")
    decision_page = educator.url

    educator.get_by_role("link", name="Back to the register").click()
    expect(educator.get_by_text("The register is intact")).to_be_visible()
    expect(educator.get_by_role("link", name=DECIDED)).to_be_visible()

    french_page = new_page(locale="fr-FR", viewport=LAPTOP)
    french_page.goto("/account/sign-in")
    french_page.get_by_label(french(app, "E-mail address")).fill(world.educator.email)
    french_page.get_by_label(french(app, "Password")).fill(PASSWORD)
    french_page.get_by_role("button", name=french(app, "Sign in")).click()
    french_page.goto(decision_page)
    expect(french_page.locator("html")).to_have_attribute("lang", "fr")
    expect(french_page.get_by_role("heading", name=DECIDED)).to_be_visible()
    expect(french_page.get_by_text(f"Enregistrée d’abord sous la forme «\u202f{PROPOSAL}\u202f».")).to_be_visible()
    expect(french_page.get_by_role("heading", name="Formulation, responsables et échéance")).to_be_visible()
    screenshot(french_page, "decision-worded-fr")
