"""In June, the educator opens the class's year's report from the class's tabs, checks it and submits it to the
federation; the school head then reads it among the school's reports."""

import re
from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.browser.accessibility import violations
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_journeys import sign_in_adult
from tests.http.test_year_reports import lived_year  # noqa: F401 - the fixture

LAPTOP = {"width": 1366, "height": 768}


def test_the_educator_submits_the_years_report_and_the_head_reads_it(monkeypatch, world, new_page, lived_year):  # noqa: F811
    cooperative_id, school_id = lived_year.id, world.school.id
    monkeypatch.setattr("app.reports.routes.utcnow", lambda: datetime(lived_year.school_year + 1, 6, 20, 9, tzinfo=UTC))
    educator = new_page(viewport=LAPTOP)
    sign_in_adult(educator, world.educator.email)
    educator.goto(f"/classes/{cooperative_id}")
    educator.get_by_role("navigation", name="Class").get_by_role("link", name="Year's report").click()
    expect(educator.get_by_role("row", name="Closing balance €14.50")).to_be_visible()
    assert violations(educator) == []
    educator.once("dialog", lambda dialog: dialog.accept())
    educator.get_by_role("button", name="Submit the report to the federation").click()
    expect(educator.get_by_text("The year's report is submitted to the federation.")).to_be_visible()
    expect(educator.get_by_text("Submitted to the federation on 20 June")).to_be_visible()
    expect(educator.get_by_role("button", name="Submit the report to the federation")).to_have_count(0)
    screenshot(educator, "year-report-submitted-en")

    head = new_page(viewport=LAPTOP)
    sign_in_adult(head, world.head.email)
    head.get_by_role("link", name="Year's reports").click()
    expect(head).to_have_url(re.compile(f"/reports/schools/{school_id}$"))
    expect(head.get_by_role("row", name="CM1 A")).to_contain_text("Submitted on 20 June")
    expect(head.get_by_role("heading", name="The whole school")).to_be_visible()
    assert violations(head) == []
    screenshot(head, "year-reports-school-en")
