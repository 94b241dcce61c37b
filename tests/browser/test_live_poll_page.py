"""The educator's poll page follows the votes as they come, without a reload: the count and who has not voted."""

import re

from playwright.sync_api import expect

from tests.browser.test_network_failures import open_motion_and_paired_tablet
from tests.browser.test_voting_journey import sign_in_pupil, vote


def test_the_count_and_the_names_change_on_the_educator_s_page_as_pupils_vote(world, new_page):
    poll, educator, tablet = open_motion_and_paired_tablet(world, new_page)
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
