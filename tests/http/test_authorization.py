"""Every route, for every kind of visitor: allowed or refused exactly as the policy says."""

import pytest

from app.authz import ACCESS_ATTRIBUTE
from app.extensions import db
from app.models.types import utcnow
from app.services import polls, pupil_sign_in, tablets
from tests.conftest import PASSWORD, World

ROLES = ("anonymous", "pupil", "other_pupil", "educator", "other_educator", "head", "other_head", "admin")
ADULTS = {"educator", "other_educator", "head", "other_head", "admin"}
EVERYONE = set(ROLES)


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
    db.session.commit()
    o, a = ballot.id, agreed.id
    guide = {"educator"}
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
        "federation.overview": ("GET", "/federation/", {}, {"admin"}),
        "federation.decide": ("POST", f"/federation/schools/{s}/approve", {}, {"admin"}),
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
        "booth.open_polls": ("GET", "/tablet/vote/open", {}, {"pupil", "other_pupil"}),
        "booth.result": ("GET", f"/tablet/vote/{a}/result", {}, {"pupil", "educator", "head"}),
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
    "federation.overview",
    "federation.decide",
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
    "booth.open_polls",
    "booth.result",
)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_route_allows_exactly_its_roles(world, act, role, endpoint):
    _become(role, world, act)
    method, url, data, allowed = _requests(world)[endpoint]
    response = act.client.open(url, method=method, data=data)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert _refused(response) == (role not in allowed), (endpoint, role, response.status_code, response.location)
