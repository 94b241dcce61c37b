"""The educator's poll page follows the votes as they come, without a reload: the count and who has not voted."""

import re

from playwright.sync_api import expect

from app.extensions import db
from app.models.types import utcnow
from app.services import polls
from tests.browser.test_sign_in_journeys import pair_tablet_from_class_page, sign_in_adult
from tests.browser.test_voting_journey import sign_in_pupil, vote


def test_the_count_and_the_names_change_on_the_educator_s_page_as_pupils_vote(world, new_page):
    poll = polls.create_motion(world.cooperative, "Shall we plant a garden?", "simple", None, world.educator)
    polls.open_poll(poll, world.educator, utcnow(), b"a server secret")
    db.session.commit()
    educator, tablet = new_page(), new_page()
    sign_in_adult(educator, world.educator.email)
    pair_tablet_from_class_page(educator, tablet, world.cooperative)
    educator.goto(f"/polls/{poll.id}")
    educator.get_by_text("Who has not voted yet").click()
    expect(educator.get_by_text("0 of 6 have voted")).to_be_visible()
    expect(educator.locator("#not-voted li")).to_have_count(6)
    sign_in_pupil(tablet, world.pupil)
    vote(tablet, "For")
    expect(educator.get_by_text("1 of 6 have voted")).to_be_visible(timeout=5000)
    expect(educator.locator("#not-voted li")).to_have_count(5)
    expect(educator.locator("#not-voted")).not_to_contain_text(re.compile(world.pupil.display_name))
    expect(educator.locator("details")).to_have_attribute("open", "")
