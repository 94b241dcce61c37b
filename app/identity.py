"""Who is making the request: the signed-in adult or pupil, the paired tablet, and their policy Actor."""

from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy import String, literal, select, union_all
from sqlalchemy.orm import joinedload

from app.domain.policy import ANONYMOUS, Actor
from app.extensions import db, login_manager
from app.models import CooperativeEducator, Pupil, SchoolStaff, User
from app.models.types import utcnow
from app.request_values import BadValue, parse_id
from app.services import tablets

GUIDES = "guides"  # the classes an adult guides, read beside their school roles "head" and "educator"
BACKGROUND_POLLS = frozenset({"assemblies.tablet_now", "booth.open_polls"})  # pages asking every second or two


def load_principal(user_id: str) -> User | Pupil | None:
    kind, _, raw = user_id.partition(":")
    try:
        ident = parse_id(raw)
    except BadValue:
        return None
    if kind == "adult":
        return db.session.get(User, ident)
    if kind != "pupil":
        return None
    # The class comes in the same query: the tablet check and every pupil page need it.
    return db.session.get(Pupil, ident, options=[joinedload(Pupil.cooperative)])


def memberships(user_id: int) -> dict[str, frozenset[int]]:
    """The schools an adult heads or teaches in and the classes they guide: ids only, read afresh in one query."""
    roles = select(SchoolStaff.role, SchoolStaff.school_id).where(SchoolStaff.user_id == user_id)
    guided = select(literal(GUIDES, String), CooperativeEducator.cooperative_id).where(
        CooperativeEducator.user_id == user_id)
    rows = db.session.execute(union_all(roles, guided)).all()
    return {kind: frozenset(ident for role, ident in rows if role == kind) for kind in ("head", "educator", GUIDES)}


def actor_for(user, tablet=None) -> Actor:
    tablet_cooperative_id = tablet.cooperative_id if tablet is not None else None
    if user is None or not user.is_authenticated:
        return Actor(tablet_cooperative_id=tablet_cooperative_id) if tablet_cooperative_id else ANONYMOUS
    if user.is_pupil:
        return Actor(kind="pupil", cooperative_id=user.cooperative_id, tablet_cooperative_id=tablet_cooperative_id,
                     pupil_id=user.id)
    ids = memberships(user.id)
    return Actor(kind="adult", federation_admin=user.is_federation_admin, head_of=ids["head"],
                 educator_at=ids["educator"], guides=ids[GUIDES], tablet_cooperative_id=tablet_cooperative_id)


def current_actor() -> Actor:
    if "actor" not in g:
        g.actor = actor_for(current_user, current_tablet())
    return g.actor


def current_tablet():
    """The paired tablet this browser is, or None (unpaired, revoked, or a forged cookie)."""
    if "tablet" not in g:
        g.tablet = tablets.tablet_from_cookie(request.cookies.get(tablets.COOKIE_NAME, ""))
    return g.tablet


def sign_out_pupil(message) -> None:
    logout_user()
    session.pop("pupil_seen", None)
    g.pop("actor", None)
    flash(message, "info")


def _guard_pupil_session():
    """A pupil stays signed in only on a tablet of their class, and only while someone is using it."""
    if request.endpoint == "static" or not current_user.is_authenticated or not current_user.is_pupil:
        return None
    tablet = current_tablet()
    pupil = current_user._get_current_object()
    if tablet is None or tablet.cooperative_id != pupil.cooperative_id or pupil.closed_at is not None:
        sign_out_pupil(_l("This tablet is no longer paired with your class. Ask your teacher."))
        return _to_roster()
    now = utcnow().timestamp()
    idle_limit = current_app.config["PUPIL_IDLE_SECONDS"] + 15
    if now - session.get("pupil_seen", now) > idle_limit:
        sign_out_pupil(_l("You were signed out because nobody used the tablet for a while."))
        return _to_roster()
    if request.endpoint not in BACKGROUND_POLLS:  # a page asking by itself is not somebody using the tablet
        session["pupil_seen"] = now
    return None


def _to_roster():
    if request.headers.get("HX-Request"):  # a fragment request: the whole page goes, not just the fragment
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = url_for("tablet.roster")
        return response
    return redirect(url_for("tablet.roster"))


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_principal)
    login_manager.login_view = "auth.sign_in"
    login_manager.blueprint_login_views = {"tablet": "tablet.roster"}
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_guard_pupil_session)
    app.permanent_session_lifetime = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
