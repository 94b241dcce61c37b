"""Every route, for every kind of visitor: allowed or refused exactly as the policy says."""

import pytest

from app.authz import ACCESS_ATTRIBUTE
from app.domain.treasury import Draft, first_day
from app.extensions import db
from app.models import Decision
from app.models.types import utcnow
from app.services import assemblies, messages, polls, pupil_sign_in, register, tablets, team, treasury
from tests.conftest import PASSWORD, World

ROLES = ("anonymous", "pupil", "other_pupil", "educator", "other_educator", "head", "other_head", "admin")
ADULTS = {"educator", "other_educator", "head", "other_head", "admin"}
EVERYONE = set(ROLES)


def _council(world: World, now) -> tuple[int, int, int, int]:
    """A planned assembly where the pupil chairs (allowed to run it), gives the floor and writes the minutes."""
    proposal = messages.post_message(world.pupil, "propose", "A garden", now)
    pending = messages.post_message(world.pupil, "criticise", "Too noisy", now)
    proposal.status = "approved"
    db.session.flush()
    assembly = assemblies.plan_assembly(world.cooperative, now, "Classroom", now)
    item = assemblies.add_free_item(assembly, "Trip", 5)
    assemblies.set_roles(assembly, {(role, 1): world.pupil.id for role in ("chair", "secretary", "speaker_giver")})
    assemblies.set_chair_runs_board(assembly, True)
    return proposal.id, pending.id, assembly.id, item.id


def _treasury_and_team(world: World, now) -> tuple[int, int, int]:
    """A donation recorded in the class; the pupil, treasurer of the last assembly held, records a gift that waits
    for the educator; a member of the federation's team."""
    donation = Draft("income", "donation", first_day(world.cooperative.school_year), 1250, "Gift")
    entry = treasury.record_entry(world.cooperative, donation, world.educator, now)
    held = assemblies.plan_assembly(world.cooperative, now, "Classroom", now)
    assemblies.set_roles(held, {("treasurer", 1): world.pupil.id})
    assemblies.open_assembly(held, now)
    assemblies.close_assembly(held, now)
    waiting = treasury.record_for_confirmation(world.pupil, Draft("income", "fundraising", donation.occurred_on, 500,
                                                                  "Cake sale"), now)
    return entry.id, waiting.id, team.add_member("Camille Martin", "President", "").id


def _requests(world: World) -> dict[str, tuple[str, str, dict, set[str]]]:
    """endpoint -> (method, url, form data, roles allowed)."""
    c, p, s = world.cooperative.id, world.pupil.id, world.school.id
    now = utcnow()
    card = pupil_sign_in.issue_card(world.pupil, now)
    tablet, _cookie = tablets.pair_tablet(tablets.new_pairing_link(world.cooperative, now)[0], "T9", now)
    ballot = polls.create_motion(world.cooperative, "Open?", "simple", None, world.educator)
    polls.open_poll(ballot, world.educator, now, b"secret")
    agreed = polls.create_motion(world.cooperative, "Agreed?", "simple", None, world.educator)
    polls.record_consensus(agreed, world.educator, now)
    m, q, v, i = _council(world, now)
    db.session.commit()
    o, a = ballot.id, agreed.id
    d = db.session.scalars(db.select(Decision).where(Decision.poll_id == a)).one_or_none()
    d = d.id if d else register.record_decision(world.cooperative, register.NewDecision("Agreed", "consensus"), "T").id
    db.session.commit()
    e, w, t = _treasury_and_team(world, now)
    db.session.commit()
    guide = {"educator"}
    pupils = {"pupil", "other_pupil"}
    return {
        "public.home": ("GET", "/", {}, EVERYONE),
        "public.set_language": ("POST", "/language", {"language": "fr"}, EVERYONE),
        "public.apply_school": ("GET", "/join", {}, EVERYONE),
        "public.health": ("GET", "/health", {}, EVERYONE),
        "auth.sign_in": ("GET", "/account/sign-in", {}, EVERYONE),
        "auth.forgot_password": ("GET", "/account/forgot-password", {}, EVERYONE),
        "auth.reset_password": ("GET", "/account/reset-password/bad", {}, EVERYONE),
        "auth.accept_invitation": ("GET", "/account/invitation/bad", {}, EVERYONE),
        "auth.sign_out": ("POST", "/account/sign-out", {}, ADULTS),
        "auth.sign_out_everywhere": ("POST", "/account/sign-out-everywhere", {}, ADULTS),
        "auth.account": ("GET", "/account/", {}, ADULTS),
        "federation.overview": ("GET", "/federation/", {}, {"admin"}),
        "federation.decide": ("POST", f"/federation/schools/{s}/approve", {}, {"admin"}),
        "schools.index": ("GET", "/schools/", {}, {"head", "other_head"}),
        "schools.show": ("GET", f"/schools/{s}", {}, {"head"}),
        "schools.invite_educator": ("POST", f"/schools/{s}/educators", {"email": "new@a.example.org"}, {"head"}),
        "classes.dashboard": ("GET", "/classes/", {}, ADULTS),
        "classes.create": ("POST", "/classes/new", {"name": ""}, ADULTS),
        "classes.show": ("GET", f"/classes/{c}", {}, {"educator", "head"}),
        "classes.cards": ("GET", f"/classes/{c}/cards", {}, {"educator", "head"}),
        "classes.tablets_page": ("GET", f"/classes/{c}/tablets", {}, {"educator", "head"}),
        "classes.rename": ("POST", f"/classes/{c}/rename", {"name": "CM1 Z"}, guide),
        "classes.archive": ("POST", f"/classes/{c}/archive", {"confirm": "y"}, guide),
        "classes.add_pupils": ("POST", f"/classes/{c}/pupils", {"names": "Malo X"}, guide),
        "classes.import_pupils": ("POST", f"/classes/{c}/pupils/import", {}, guide),
        "classes.unlock_pupil": ("POST", f"/classes/pupils/{p}/unlock", {}, guide),
        "classes.new_code": ("POST", f"/classes/pupils/{p}/new-code", {}, guide),
        "classes.remove_pupil": ("POST", f"/classes/pupils/{p}/remove", {}, guide),
        "classes.print_cards": ("POST", f"/classes/{c}/cards", {}, guide),
        "classes.print_chosen_cards": ("POST", f"/classes/{c}/cards/chosen", {"pupils": p}, guide),
        "classes.temporary_card": ("POST", f"/classes/pupils/{p}/temporary-card", {}, guide),
        "classes.revoke_cards": ("POST", f"/classes/{c}/cards/revoke", {}, guide),
        "classes.revoke_pupil_cards": ("POST", f"/classes/pupils/{p}/cards/revoke", {}, guide),
        "classes.new_pairing_link": ("POST", f"/classes/{c}/tablets/pairing-link", {}, guide),
        "classes.revoke_tablet": ("POST", f"/classes/tablets/{tablet.id}/revoke", {}, guide),
        "tablet.roster": ("GET", "/tablet/", {}, {"pupil", "other_pupil"}),
        "tablet.pair": ("GET", "/tablet/pair/unknown", {}, EVERYONE),
        "tablet.sign_in": ("GET", f"/tablet/pupils/{p}", {}, {"pupil"}),
        "tablet.enter_code": ("POST", f"/tablet/pupils/{p}/code", {"picks": "", "pick": 1}, {"pupil"}),
        "tablet.card": ("GET", f"/tablet/card/{card}", {}, {"pupil"}),
        "tablet.pupil_home": ("GET", "/tablet/me", {}, {"pupil", "other_pupil"}),
        "tablet.still_here": ("POST", "/tablet/still-here", {}, {"pupil", "other_pupil"}),
        "tablet.sign_out": ("POST", "/tablet/sign-out", {}, EVERYONE),
        "polls.index": ("GET", f"/polls/classes/{c}", {}, {"educator", "head"}),
        "polls.create_motion": ("POST", f"/polls/classes/{c}/motions", {"question": ""}, guide),
        "polls.create_election": ("POST", f"/polls/classes/{c}/elections", {"question": ""}, guide),
        "polls.show": ("GET", f"/polls/{o}", {}, {"educator", "head"}),
        "polls.live": ("GET", f"/polls/{o}/live", {}, {"educator", "head"}),
        "polls.open_poll": ("POST", f"/polls/{a}/open", {"custody": "server"}, guide),
        "polls.close": ("POST", f"/polls/{a}/close", {}, guide),
        "polls.count": ("POST", f"/polls/{a}/count", {}, guide),
        "polls.act": ("POST", f"/polls/{a}/publish", {}, guide),
        "polls.show_of_hands": ("POST", f"/polls/{a}/show-of-hands", {}, guide),
        "polls.board": ("GET", f"/polls/{o}/board", {}, guide),
        "polls.board_state": ("GET", f"/polls/{o}/board/state", {}, guide),
        "polls.ceremony": ("GET", f"/polls/{a}/ceremony/1", {}, guide),
        "booth.vote": ("GET", f"/tablet/vote/{o}", {}, {"pupil"}),
        "booth.confirm": ("POST", f"/tablet/vote/{o}/confirm", {"choice": "for"}, {"pupil"}),
        "booth.cast": ("POST", f"/tablet/vote/{o}/cast", {"choice": "for"}, {"pupil"}),
        "booth.voted": ("GET", "/tablet/vote/voted", {}, {"pupil", "other_pupil"}),
        "booth.check_vote": ("GET", f"/tablet/vote/{o}/in-the-box/not-a-ticket", {}, {"pupil", "other_pupil"}),
        "booth.open_polls": ("GET", "/tablet/vote/open", {}, {"pupil", "other_pupil"}),
        "booth.result": ("GET", f"/tablet/vote/{a}/result", {}, {"pupil", "educator", "head"}),
        "classes.export_data": ("GET", f"/classes/{c}/export.json", {}, {"educator", "head"}),
        "classes.delete_data": ("GET", f"/classes/{c}/delete", {}, set()),
        "register.class_register": ("GET", f"/register/classes/{c}", {}, {"educator", "head"}),
        "register.school_register": ("GET", f"/register/schools/{s}", {}, {"head"}),
        "register.show_decision": ("GET", f"/register/decisions/{d}", {}, {"educator", "head"}),
        "register.record": ("POST", f"/register/classes/{c}/decisions", {"text": "Agreed"}, guide),
        "register.add_follow_up": ("POST", f"/register/decisions/{d}/follow-up", {"status": "done"}, guide),
        "register.add_correction": ("POST", f"/register/decisions/{d}/correct", {"text": "T", "reason": "R"}, guide),
        "register.export_class": ("GET", f"/register/classes/{c}/register.csv", {}, {"educator", "head"}),
        "register.export_school": ("GET", f"/register/schools/{s}/register.csv", {}, {"head"}),
        "messages.box": ("GET", "/messages/", {}, pupils),
        "messages.write": ("GET", "/messages/new/propose", {}, pupils),
        "messages.post": ("POST", "/messages/new/propose", {"text": ""}, pupils),
        "messages.support": ("POST", f"/messages/{m}/support", {}, {"pupil"}),
        "messages.amend": ("GET", f"/messages/{m}/amend", {}, {"pupil"}),
        "messages.index": ("GET", f"/messages/classes/{c}", {}, {"educator", "head"}),
        "messages.moderate": ("POST", f"/messages/{q}/approve", {}, guide),
        "messages.rewrite": ("POST", f"/messages/{q}/rewrite", {"text": "Quieter please"}, guide),
        "messages.decline": ("POST", f"/messages/{q}/decline", {"reason": ""}, guide),
        "messages.merge": ("POST", f"/messages/{q}/merge", {}, guide),
        "assemblies.index": ("GET", f"/assemblies/classes/{c}", {}, {"educator", "head"}),
        "assemblies.plan": ("POST", f"/assemblies/classes/{c}", {"day": ""}, guide),
        "assemblies.show": ("GET", f"/assemblies/{v}", {}, {"educator", "head"}),
        "assemblies.open_session": ("POST", f"/assemblies/{v}/open", {}, guide),
        "assemblies.close_session": ("POST", f"/assemblies/{v}/close", {}, guide),
        "assemblies.add_item": ("POST", f"/assemblies/{v}/items", {"title": ""}, guide),
        "assemblies.add_message_item": ("POST", f"/assemblies/{v}/items/from-message", {"message_id": m}, guide),
        "assemblies.remove_item": ("POST", f"/assemblies/items/{i}/remove", {}, guide),
        "assemblies.move_item": ("POST", f"/assemblies/items/{i}/up", {}, guide),
        "assemblies.set_roles": ("POST", f"/assemblies/{v}/roles", {}, guide),
        "assemblies.suggest_roles": ("POST", f"/assemblies/{v}/roles/suggest", {}, guide),
        "assemblies.set_chair": ("POST", f"/assemblies/{v}/chair", {}, guide),
        "assemblies.board": ("GET", f"/assemblies/{v}/board", {}, guide),
        "assemblies.board_state": ("GET", f"/assemblies/{v}/board/state?since=1", {}, guide),
        "assemblies.tablet_now": ("GET", "/assemblies/tablet", {}, pupils),
        "assemblies.advance": ("POST", f"/assemblies/{v}/next", {}, {"pupil", "educator"}),
        "assemblies.put_to_vote": ("POST", f"/assemblies/items/{i}/put-to-vote", {"message_id": m},
                                   {"pupil", "educator"}),
        "assemblies.put_question": ("POST", f"/assemblies/items/{i}/question", {"question": "A trip?"}, guide),
        "assemblies.hold_election": ("POST", f"/assemblies/items/{i}/election", {"question": "Delegates"}, guide),
        "assemblies.ask_to_speak": ("POST", f"/assemblies/{v}/speakers", {}, {"pupil"}),
        "assemblies.cancel_speaking": ("POST", f"/assemblies/{v}/speakers/cancel", {}, {"pupil"}),
        "assemblies.call_next_speaker": ("POST", f"/assemblies/{v}/speakers/next", {}, {"pupil", "educator"}),
        "assemblies.minutes_page": ("GET", f"/assemblies/{v}/minutes", {}, {"pupil", "educator", "head"}),
        "assemblies.write_minutes": ("POST", f"/assemblies/{v}/minutes", {"text": ""}, {"pupil", "educator"}),
        "assemblies.record_attendance": ("POST", f"/assemblies/{v}/attendance", {}, guide),
        "assemblies.validate_minutes": ("POST", f"/assemblies/{v}/minutes/validate", {}, guide),
        "treasury.index": ("GET", f"/treasury/classes/{c}", {}, {"educator", "head"}),
        "treasury.record_entry": ("GET", f"/treasury/classes/{c}/income", {}, guide),
        "treasury.cancel_entry": ("GET", f"/treasury/entries/{e}/cancel", {}, guide),
        "treasury.export_csv": ("GET", f"/treasury/classes/{c}/treasury.csv", {}, {"educator", "head"}),
        "treasury.money_report": ("GET", f"/treasury/classes/{c}/money-report", {}, {"educator", "head"}),
        "reports.class_report": ("GET", f"/reports/classes/{c}", {}, {"educator", "head"}),
        "reports.class_report_download": ("GET", f"/reports/classes/{c}/csv", {}, {"educator", "head"}),
        "reports.submit": ("POST", f"/reports/classes/{c}/submit", {}, guide),
        "reports.school_reports": ("GET", f"/reports/schools/{s}", {}, {"head"}),
        "year.overview": ("GET", f"/year/classes/{c}", {}, {"educator", "head"}),
        "treasury.our_money": ("GET", "/treasury/tablet", {}, {"pupil"}),
        "treasury.record_on_tablet": ("GET", "/treasury/tablet/expense", {}, {"pupil"}),
        "treasury.confirm_entry": ("POST", f"/treasury/entries/{w}/confirm", {}, guide),
        "treasury.refuse_entry": ("GET", f"/treasury/entries/{w}/refuse", {}, guide),
        "federation.team_page": ("GET", "/federation/team", {}, {"admin"}),
        "federation.add_team_member": ("POST", "/federation/team", {"name": ""}, {"admin"}),
        "federation.edit_team_member": ("GET", f"/federation/team/{t}", {}, {"admin"}),
        "federation.remove_team_member": ("POST", f"/federation/team/{t}/remove", {}, {"admin"}),
        "federation.move_team_member": ("POST", f"/federation/team/{t}/up", {}, {"admin"}),
    }


def _become(role: str, world: World, act) -> None:
    emails = {"educator": world.educator, "other_educator": world.other_educator, "head": world.head,
              "other_head": world.other_head, "admin": world.admin}
    if role in emails:
        assert act.sign_in(emails[role].email, PASSWORD).status_code == 302
    elif role in ("pupil", "other_pupil"):
        pupil, cooperative = (world.pupil, world.cooperative) if role == "pupil" else (
            world.other_pupils[0], world.other_cooperative)
        act.pair_tablet(cooperative)
        assert act.sign_in_pupil(pupil).status_code == 302


def _refused(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code in (401, 403) or "/account/sign-in" in location or (
        response.status_code == 302 and location.endswith("/tablet/") and response.request.path != "/tablet/sign-out")


def test_every_endpoint_declares_who_may_call_it(app):
    undeclared = [name for name, view in app.view_functions.items()
                  if name != "static" and not hasattr(view, ACCESS_ATTRIBUTE)]
    assert undeclared == []


def test_the_matrix_covers_every_endpoint(app, world):
    endpoints = {name for name in app.view_functions if name != "static"}
    assert endpoints == set(_requests(world)) == set(ENDPOINTS)


ENDPOINTS = (
    "public.home",
    "public.set_language",
    "public.apply_school",
    "public.health",
    "auth.sign_in",
    "auth.forgot_password",
    "auth.reset_password",
    "auth.accept_invitation",
    "auth.sign_out",
    "auth.sign_out_everywhere",
    "auth.account",
    "federation.overview",
    "federation.decide",
    "schools.index",
    "schools.show",
    "schools.invite_educator",
    "classes.dashboard",
    "classes.create",
    "classes.show",
    "classes.cards",
    "classes.tablets_page",
    "classes.rename",
    "classes.archive",
    "classes.add_pupils",
    "classes.import_pupils",
    "classes.unlock_pupil",
    "classes.new_code",
    "classes.remove_pupil",
    "classes.print_cards",
    "classes.print_chosen_cards",
    "classes.temporary_card",
    "classes.revoke_cards",
    "classes.revoke_pupil_cards",
    "classes.new_pairing_link",
    "classes.revoke_tablet",
    "tablet.roster",
    "tablet.pair",
    "tablet.sign_in",
    "tablet.enter_code",
    "tablet.card",
    "tablet.pupil_home",
    "tablet.still_here",
    "tablet.sign_out",
    "polls.index",
    "polls.create_motion",
    "polls.create_election",
    "polls.show",
    "polls.live",
    "polls.open_poll",
    "polls.close",
    "polls.count",
    "polls.act",
    "polls.show_of_hands",
    "polls.board",
    "polls.board_state",
    "polls.ceremony",
    "booth.vote",
    "booth.confirm",
    "booth.cast",
    "booth.voted",
    "booth.check_vote",
    "booth.open_polls",
    "booth.result",
    "classes.export_data",
    "classes.delete_data",
    "register.class_register",
    "register.school_register",
    "register.show_decision",
    "register.record",
    "register.add_follow_up",
    "register.add_correction",
    "register.export_class",
    "register.export_school",
    "messages.box",
    "messages.write",
    "messages.post",
    "messages.support",
    "messages.amend",
    "messages.index",
    "messages.moderate",
    "messages.rewrite",
    "messages.decline",
    "messages.merge",
    "assemblies.index",
    "assemblies.plan",
    "assemblies.show",
    "assemblies.open_session",
    "assemblies.close_session",
    "assemblies.add_item",
    "assemblies.add_message_item",
    "assemblies.remove_item",
    "assemblies.move_item",
    "assemblies.set_roles",
    "assemblies.suggest_roles",
    "assemblies.set_chair",
    "assemblies.put_question",
    "assemblies.hold_election",
    "assemblies.board",
    "assemblies.board_state",
    "assemblies.tablet_now",
    "assemblies.advance",
    "assemblies.put_to_vote",
    "assemblies.ask_to_speak",
    "assemblies.cancel_speaking",
    "assemblies.call_next_speaker",
    "assemblies.minutes_page",
    "assemblies.write_minutes",
    "assemblies.record_attendance",
    "assemblies.validate_minutes",
    "treasury.index",
    "treasury.record_entry",
    "treasury.cancel_entry",
    "treasury.export_csv",
    "treasury.money_report",
    "reports.class_report",
    "reports.class_report_download",
    "reports.submit",
    "reports.school_reports",
    "year.overview",
    "treasury.our_money",
    "treasury.record_on_tablet",
    "treasury.confirm_entry",
    "treasury.refuse_entry",
    "federation.team_page",
    "federation.add_team_member",
    "federation.edit_team_member",
    "federation.remove_team_member",
    "federation.move_team_member",
)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_route_allows_exactly_its_roles(world, act, role, endpoint):
    _become(role, world, act)
    method, url, data, allowed = _requests(world)[endpoint]
    response = act.client.open(url, method=method, data=data)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert _refused(response) == (role not in allowed), (endpoint, role, response.status_code, response.location)
