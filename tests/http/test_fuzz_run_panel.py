"""The run panel's forms, in each step of the running item's vote, sent back with hostile values one field at a time:
never a 5xx. The crawl of test_fuzz_forms.py sees the panel of its class in one step only (a proposal to put to the
vote); this walks the others with the same visitor."""

import pytest

from app.extensions import db
from tests.http.form_fuzzer import Visitor
from tests.http.page_forms import read_page
from tests.http.test_run_panel import council, polls_of, put_question, running, step  # noqa: F401 - a fixture

# The forms only the run panel shows, fuzzed here in the step that shows each.
RUN_PANEL_FORMS = {"assemblies.put_question", "assemblies.hold_election"}


def panel_forms(visitor: Visitor, assembly) -> dict:
    url = f"/assemblies/{assembly.id}"
    _links, forms = read_page(url, visitor.client.get(url).get_data(as_text=True))
    found = {}
    for form in forms:
        form.fields.pop("csrf_token", None)
        if "panel" in form.fields or visitor.endpoint(form) in RUN_PANEL_FORMS | {"assemblies.put_to_vote"}:
            found[visitor.endpoint(form)] = form
    return found


def fuzz_the_panel(visitor: Visitor, assembly, expected: str) -> None:
    forms = panel_forms(visitor, assembly)
    assert expected in forms, sorted(forms)
    visitor.fuzz(expected, forms[expected])
    db.session.expire_all()


@pytest.mark.parametrize("section", ["free", "elections", "proposals"])
def test_no_form_of_the_run_panel_answers_a_server_error(app, world, educator, council, section):  # noqa: F811
    visitor = Visitor("educator", app, world, educator)
    item = running(educator, council, section)
    first = {"free": "assemblies.put_question", "elections": "assemblies.hold_election",
             "proposals": "assemblies.put_to_vote"}[section]
    fuzz_the_panel(visitor, council, first)
    if section == "free":  # the question the fuzz put, then a second one opened with key cards and closed
        fuzz_the_panel(visitor, council, "polls.open_poll")
        step(educator, polls_of(council)[-1], "cancel")
        put_question(educator, item, "A second question?")
        poll = polls_of(council)[-1]
        step(educator, poll, "open", custody="ceremony", htmx=False)
        step(educator, poll, "close")
        fuzz_the_panel(visitor, council, "polls.count")
    assert not visitor.failures, "\n".join(str(failure) for failure in visitor.failures)
