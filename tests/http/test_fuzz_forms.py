"""Every form the people of a class are shown, sent back with hostile values one field at a time: never a 5xx.

Each role crawls the pages of a populated class from where it starts; the forms it finds are fuzzed (the educator's
in two halves, so that parallel test processes share them)."""

import pytest

from tests.http.form_fuzzer import Visitor
from tests.http.populated_class import ROLES, become, populate
from tests.http.test_fuzz_run_panel import RUN_PANEL_FORMS

SHARDS = {"anonymous": 1, "tablet": 1, "pupil": 1, "educator": 2, "head": 1, "admin": 1}
# The forms each role must find: a page that stops showing one fails here instead of silently escaping the fuzz.
FOUND = {
    "anonymous": {"auth.accept_invitation", "auth.forgot_password", "auth.reset_password", "auth.sign_in",
                  "public.apply_school", "public.set_language", "tablet.pair"},
    "tablet": {"tablet.enter_code"},
    "pupil": {"assemblies.put_to_vote", "assemblies.write_minutes", "booth.cast", "booth.confirm", "messages.amend",
              "messages.post", "tablet.sign_out", "treasury.record_on_tablet"},
    "educator": {"auth.account", "assemblies.add_item", "assemblies.add_message_item", "assemblies.plan",
                 "assemblies.put_to_vote", "assemblies.record_attendance", "assemblies.set_chair",
                 "assemblies.set_roles", "assemblies.write_minutes", "classes.add_pupils", "classes.archive",
                 "classes.create",
                 "classes.delete_data", "classes.import_pupils", "classes.new_pairing_link",
                 "classes.print_chosen_cards", "classes.rename",
                 "messages.decline", "messages.merge", "messages.rewrite", "polls.count", "polls.create_election",
                 "polls.create_motion", "polls.open_poll", "polls.show_of_hands", "register.add_correction",
                 "register.add_follow_up", "register.class_register", "register.record", "treasury.cancel_entry",
                 "treasury.record_entry", "treasury.refuse_entry"},
    "head": {"register.school_register", "schools.invite_educator"},
    "admin": {"federation.add_team_member", "federation.edit_team_member"},
}
# Buttons that send no field: what they act on is the id in their URL, which test_fuzz_routes.py tries.
BUTTONS = {
    "assemblies.advance", "assemblies.ask_to_speak", "assemblies.call_next_speaker", "assemblies.cancel_speaking",
    "assemblies.close_session", "assemblies.move_item", "assemblies.open_session", "assemblies.remove_item",
    "assemblies.suggest_roles", "assemblies.validate_minutes", "auth.sign_out", "auth.sign_out_everywhere",
    "classes.new_code",
    "classes.print_cards", "classes.remove_pupil", "classes.revoke_cards", "classes.revoke_pupil_cards",
    "classes.revoke_tablet", "classes.temporary_card", "classes.unlock_pupil", "federation.decide",
    "federation.move_team_member", "federation.remove_team_member", "messages.moderate", "messages.support",
    "polls.act", "polls.close", "reports.submit", "tablet.card", "tablet.still_here", "treasury.confirm_entry",
}


def test_every_route_that_takes_a_post_is_fuzzed_or_a_button(app):
    posted = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    searched = {"register.class_register", "register.school_register"}  # GET forms
    assert posted == set().union(*FOUND.values()) - searched | BUTTONS | RUN_PANEL_FORMS


@pytest.mark.parametrize(("role", "shard"), [(role, shard) for role in ROLES for shard in range(SHARDS[role])])
def test_no_form_answers_a_server_error(app, world, make_client, role, shard):
    populate(world)
    visitor = Visitor(role, app, world, make_client())
    become(role, world, visitor.act)
    forms = visitor.crawl()
    assert FOUND[role] <= {endpoint.split()[0] for endpoint, _form in forms}
    for endpoint, form in forms[shard::SHARDS[role]]:
        visitor.fuzz(endpoint, form)
    assert not visitor.failures, "\n".join(str(failure) for failure in visitor.failures)
    assert visitor.role in ("anonymous", "tablet") or visitor.signed_in()
