"""At 1366×768, the educator runs the council's votes from the assembly's page alone, in English and in French: the
running proposal put to the vote, its ballot box opened, three tablets voting while the panel and the board follow,
the box closed and counted, the result announced; and the "Elections" item holding its election right there. The
page never reloads, and never shows a partial result."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from app.database import begin_writing
from app.extensions import db
from app.models.types import utcnow
from app.services import assemblies
from tests.browser.conftest import BOARD, screenshot
from tests.browser.test_agenda_votes import PROPOSAL, class_votes, council_in_session, paired_tablets, sign_in_pupil
from tests.browser.test_assembly_board import LIVE, mark_page
from tests.browser.test_election_journey import CANDIDATES, OFFICE, PLURALITY, VOTERS, cast
from tests.browser.test_sign_in_journeys import sign_in_adult

DESKTOP = {"width": 1366, "height": 768}
COUNTED = 15_000  # the count answers once the old ballots are scrubbed: up to 5 s more while screens keep reading


def words(language: str):
    """The page's words in the language the educator chose, read from the app's own catalogue."""
    def say(text: str, **values) -> str:
        with force_locale(language):
            return gettext(text, **values)
    return say


def plain(people) -> list[SimpleNamespace]:
    """Copies of the pupils: once the test has committed it must open no read transaction, whose snapshot would hold
    back the scrub that follows the count (app/ballot_scrub.py)."""
    return [SimpleNamespace(display_name=pupil.display_name, first_name=pupil.first_name,
                            picture_code=pupil.picture_code) for pupil in people]


def educator_page(new_page, email: str, language: str):
    """The educator at 1366×768, signed in, in the chosen language (the switch every page shows)."""
    page = new_page(viewport=DESKTOP)
    sign_in_adult(page, email)
    if language == "fr":
        page.get_by_role("button", name="Français").click()
    return page


def go_to_item(educator, say, text: str) -> None:
    """Moves the assembly on with the panel's own button until the running item shows this text."""
    current = educator.locator("#run-panel .run-current")
    for _ in range(12):
        if text in current.inner_text():
            return
        educator.locator("#run-panel").get_by_role("button", name=say("Next item ▶")).click()
        expect(educator.locator("#run-panel")).to_be_visible()
    raise AssertionError(f"the agenda never reached {text!r}")


def close_and_count(educator, say) -> None:
    educator.once("dialog", lambda dialog: dialog.accept())
    educator.locator("#run-panel").get_by_role("button", name=say("Close the ballot box and count")).click()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_educator_runs_a_proposal_from_the_assembly_page(world, new_page, language):
    say = words(language)
    assembly, amendment, _proposal = council_in_session(world)
    assembly_id, change, email, voters = assembly.id, amendment.text, world.educator.email, plain(world.pupils[:3])
    helper = new_page()
    sign_in_adult(helper, email)
    tablets = paired_tablets(new_page, helper, world, 3)
    db.session.commit()  # the test holds no read transaction while the server checkpoints its WAL
    board = new_page(viewport=BOARD)
    sign_in_adult(board, email)
    board.goto(f"/assemblies/{assembly_id}/board")

    educator = educator_page(new_page, email, language)
    educator.goto(f"/assemblies/{assembly_id}")
    go_to_item(educator, say, PROPOSAL)
    panel = educator.locator("#run-panel")
    mark_page(educator)
    address = educator.url
    expect(panel).to_contain_text(say("Next vote:"))
    expect(panel).to_contain_text(change)  # the amendment comes first, on the running item itself
    expect(panel.get_by_role("button", name=say("Put to the vote"))).to_have_count(1)
    expect(educator.locator(".agenda").get_by_role("button", name=say("Put to the vote"))).to_have_count(0)
    screenshot(educator, f"run-panel-1-put-to-vote-{language}")

    panel.get_by_label(say("Adoption rule")).select_option("simple")
    panel.get_by_role("button", name=say("Put to the vote")).click()
    expect(panel.get_by_role("status")).to_contain_text(say("The vote is ready. Open the ballot box when the class "
                                                            "is ready, or decide openly."))
    expect(panel.get_by_role("heading", name=re.compile(re.escape(change)))).to_be_visible()
    screenshot(educator, f"run-panel-2-open-the-ballot-box-{language}")

    panel.get_by_role("button", name=say("Open the ballot box")).click()
    expect(panel).to_contain_text(say("%(cast)d of %(eligible)d have voted", cast=0, eligible=6))
    expect(board.get_by_text("0 of 6 have voted")).to_be_visible(timeout=LIVE)
    screenshot(educator, f"run-panel-3-ballot-box-open-{language}")

    class_votes(tablets, voters, ("For", "For", "Against"))
    expect(panel).to_contain_text(say("%(cast)d of %(eligible)d have voted", cast=3, eligible=6), timeout=LIVE)
    expect(board.get_by_text("3 of 6 have voted")).to_be_visible(timeout=LIVE)
    expect(panel.locator(".result-sentence")).to_have_count(0)  # never a partial result
    screenshot(educator, f"run-panel-4-participation-{language}")

    close_and_count(educator, say)
    expect(panel.locator(".result-sentence")).to_have_text(say("Adopted."), timeout=COUNTED)
    expect(panel).to_contain_text(say("(only the class's educators see it until it is announced)"))
    expect(board.get_by_text("The ballot box is closed. The result will be announced soon.")).to_be_visible(
        timeout=LIVE)
    screenshot(educator, f"run-panel-5-counted-{language}")

    panel.get_by_role("button", name=say("Announce the result to the class")).click()
    expect(board.get_by_text("Adopted.")).to_be_visible(timeout=LIVE)
    expect(panel.locator(".run-result .result-sentence")).to_have_text(say("Adopted."))
    expect(panel).to_contain_text(say("Next vote:"))  # then the proposal as amended, from the same place
    expect(panel.get_by_role("button", name=say("Put to the vote"))).to_be_visible()
    screenshot(educator, f"run-panel-6-announced-{language}")
    assert educator.url == address and educator.evaluate("window.agoraNoReload === true"), "the page reloaded"


def elections_in_session(world):
    begin_writing(db.session)
    assembly = assemblies.plan_assembly(world.cooperative, utcnow() + timedelta(minutes=5), "Our classroom", utcnow())
    assemblies.open_assembly(assembly, utcnow())
    db.session.commit()
    return assembly


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_elections_item_holds_its_election_from_the_assembly_page(world, new_page, language):
    say = words(language)
    pupils = {pupil.display_name: pupil for pupil in plain(world.pupils)}
    assembly_id, email = elections_in_session(world).id, world.educator.email
    helper = new_page()
    sign_in_adult(helper, email)
    tablets = paired_tablets(new_page, helper, world, 2)
    db.session.commit()  # the test holds no read transaction while the server checkpoints its WAL
    board = new_page(viewport=BOARD)
    sign_in_adult(board, email)
    board.goto(f"/assemblies/{assembly_id}/board")

    educator = educator_page(new_page, email, language)
    educator.goto(f"/assemblies/{assembly_id}")
    go_to_item(educator, say, str(say("Elections")))
    panel = educator.locator("#run-panel")
    mark_page(educator)
    form = panel.locator("form", has=educator.get_by_role("button", name=say("Prepare the election")))
    form.get_by_label(say("Office to fill")).fill(OFFICE)
    form.get_by_label(say("Number of seats")).fill("2")
    for name in CANDIDATES:
        form.get_by_role("checkbox", name=name, exact=True).check()
    screenshot(educator, f"run-panel-election-1-prepare-{language}")
    form.get_by_role("button", name=say("Prepare the election")).click()
    expect(panel.get_by_role("heading", name=re.compile(f"^{OFFICE}"))).to_be_visible()
    screenshot(educator, f"run-panel-election-2-open-{language}")

    panel.get_by_role("button", name=say("Open the ballot box")).click()
    expect(panel).to_contain_text(say("%(cast)d of %(eligible)d have voted", cast=0, eligible=6))
    for number, (voter, ballot) in enumerate(zip(VOTERS, PLURALITY.ballots, strict=True), start=1):
        tablet = tablets[number % 2]
        sign_in_pupil(tablet, pupils[voter])
        cast(tablet, PLURALITY, ballot, screenshots=False)
    expect(panel).to_contain_text(say("%(cast)d of %(eligible)d have voted", cast=6, eligible=6), timeout=LIVE)
    expect(board.get_by_text("6 of 6 have voted")).to_be_visible(timeout=LIVE)
    expect(panel.locator(".result-sentence")).to_have_count(0)
    screenshot(educator, f"run-panel-election-3-participation-{language}")

    close_and_count(educator, say)
    elected = ", ".join(PLURALITY.elected)
    expect(panel.locator(".result-sentence")).to_contain_text(elected, timeout=COUNTED)
    expect(board.locator(".result")).to_have_count(0)
    screenshot(educator, f"run-panel-election-4-counted-{language}")
    panel.get_by_role("button", name=say("Announce the result to the class")).click()
    expect(board.locator(".result-sentence")).to_have_text(PLURALITY.sentence, timeout=LIVE)
    expect(panel).to_contain_text(OFFICE)
    expect(panel.get_by_role("button", name=say("Prepare the election"))).to_be_visible()  # another office next
    screenshot(educator, f"run-panel-election-5-announced-{language}")
    assert educator.evaluate("window.agoraNoReload === true"), "the page reloaded"
