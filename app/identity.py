"""Who is making the request: the signed-in adult or pupil, the paired tablet, and their policy Actor."""

from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from app.domain.policy import ANONYMOUS, Actor
from app.extensions import db, login_manager
from app.models import Pupil, User
from app.models.types import utcnow
from app.services import tablets


def load_principal(user_id: str) -> User | Pupil | None:
    kind, _, raw = user_id.partition(":")
    model = {"adult": User, "pupil": Pupil}.get(kind)
    if model is None or not raw.isdigit():
        return None
    return db.session.get(model, int(raw))


def actor_for(user, tablet=None) -> Actor:
    tablet_cooperative_id = tablet.cooperative_id if tablet is not None else None
    if user is None or not user.is_authenticated:
        return Actor(tablet_cooperative_id=tablet_cooperative_id) if tablet_cooperative_id else ANONYMOUS
    if user.is_pupil:
        return Actor(kind="pupil", cooperative_id=user.cooperative_id, tablet_cooperative_id=tablet_cooperative_id,
                     pupil_id=user.id)
    return Actor(
        kind="adult",
        federation_admin=user.is_federation_admin,
        head_of=user.school_ids("head"),
        educator_at=user.school_ids("educator"),
        guides=frozenset(cooperative.id for cooperative in user.cooperatives),
        tablet_cooperative_id=tablet_cooperative_id,
    )


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
        return redirect(url_for("tablet.roster"))
    now = utcnow().timestamp()
    idle_limit = current_app.config["PUPIL_IDLE_SECONDS"] + 15
    if now - session.get("pupil_seen", now) > idle_limit:
        sign_out_pupil(_l("You were signed out because nobody used the tablet for a while."))
        return redirect(url_for("tablet.roster"))
    session["pupil_seen"] = now
    return None


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_principal)
    login_manager.login_view = "auth.sign_in"
    login_manager.blueprint_login_views = {"tablet": "tablet.roster"}
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_guard_pupil_session)
    app.permanent_session_lifetime = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
