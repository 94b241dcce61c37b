"""Who is making the request: the signed-in adult or pupil, the paired tablet, and their policy Actor."""

import functools
from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import String, bindparam, inspect, literal, select, union_all, update
from sqlalchemy.orm import joinedload

from app.database import begin_writing
from app.domain.policy import ANONYMOUS, Actor
from app.extensions import db, login_manager
from app.models import CooperativeEducator, PairedTablet, Pupil, SchoolStaff, User
from app.models.types import utcnow
from app.request_values import BadValue, parse_id
from app.services import accounts, messages, tablets
from app.services.tokens import hash_token, new_token, same_hash

GUIDES = "guides"  # the classes an adult guides, read beside their school roles "head" and "educator"
BACKGROUND_POLLS = frozenset({"assemblies.tablet_now", "booth.open_polls"})  # pages asking every second or two


@functools.cache
def _pupil_with_class():
    """The pupil and their class in one statement, built once: the tablet check and every pupil page need both."""
    return select(Pupil).options(joinedload(Pupil.cooperative)).where(Pupil.id == bindparam("id"))


def load_principal(user_id: str) -> User | Pupil | None:
    """The adult or pupil of a session id "kind:id:key"; None once that sign-in has ended."""
    kind, raw_id, key = (user_id.split(":") + ["", ""])[:3]
    try:
        ident = parse_id(raw_id)
    except BadValue:
        return None
    if kind not in ("adult", "pupil") or not key:
        return None
    if kind == "adult":
        return accounts.user_for_session(ident, key, utcnow())
    pupil = db.session.scalars(_pupil_with_class(), {"id": ident}).first()
    if pupil is not None:
        pupil.session_key = key  # checked against the tablet by _guard_pupil_session
    return pupil


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


def forget_csrf_token() -> None:
    """A form token from before a sign-in or sign-out is refused after it: the next page gets a new one."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


def sign_in(principal: User | Pupil, remember: bool = False) -> None:
    forget_csrf_token()
    session.permanent = True
    login_user(principal, remember=remember)
    g.pop("actor", None)


def sign_in_pupil(pupil: Pupil, tablet: PairedTablet) -> None:
    """Signs pupil in on tablet, ending whichever sign-in the tablet held before."""
    key, key_hash = new_token()
    tablet.pupil_session_hash = key_hash
    db.session.commit()
    pupil.session_key = key
    sign_in(pupil)


def sign_out() -> None:
    logout_user()
    forget_csrf_token()
    session.pop("pupil_seen", None)
    g.pop("actor", None)


def device_key() -> str:
    """The rate-limit key of a shared tablet: its device cookie, or its address when it has none."""
    return "tablet:" + request.cookies.get(tablets.COOKIE_NAME, request.remote_addr or "")[-40:]


def _tablet_sign_in() -> tuple[int, str] | None:
    """The tablet's id and the pupil's sign-in key, when a pupil is signed in on a paired tablet."""
    pupil, tablet = current_user._get_current_object(), current_tablet()
    if tablet is None or not getattr(pupil, "session_key", None):
        return None
    return inspect(tablet).identity[0], pupil.session_key  # the id without reloading a tablet a commit expired


def release_tablet() -> None:
    """Ends the pupil's sign-in on this tablet, for every copy of its cookie, in the current transaction."""
    signed_in = _tablet_sign_in()
    if signed_in is not None:
        tablet_id, key = signed_in
        db.session.execute(update(PairedTablet).where(
            PairedTablet.id == tablet_id, PairedTablet.pupil_session_hash == hash_token(key),
        ).values(pupil_session_hash=None).execution_options(synchronize_session=False))  # the commit expires it


def sign_out_pupil(message) -> None:
    """Ends the pupil's sign-in on this tablet and says why."""
    if _tablet_sign_in() is not None:
        begin_writing(db.session)
        release_tablet()
        db.session.commit()
    end_pupil_turn(message)


def end_pupil_turn(message) -> None:
    """Forgets the pupil in this browser's session, once the tablet has been released."""
    sign_out()
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
    if not _holds_the_tablet(pupil, tablet):
        sign_out_pupil(_already_sent_message(pupil) or _l("You are signed out. Tap your name to sign in again."))
        return _to_roster()
    now = utcnow().timestamp()
    idle_limit = current_app.config["PUPIL_IDLE_SECONDS"] + 15
    if now - session.get("pupil_seen", now) > idle_limit:
        sign_out_pupil(_l("You were signed out because nobody used the tablet for a while."))
        return _to_roster()
    if request.endpoint not in BACKGROUND_POLLS:  # a page asking by itself is not somebody using the tablet
        session["pupil_seen"] = now
    return None


RESENDABLE = frozenset({"messages.post", "messages.amend"})  # forms that name their submission


def _already_sent_message(pupil: Pupil):
    """A message form sent again after its answer was lost: the first sending stored it and ended the sign-in, so
    the pupil is told their message arrived rather than only that they are signed out."""
    if request.method != "POST" or request.endpoint not in RESENDABLE:
        return None
    if messages.sent_before(pupil, request.form.get("submission") or None) is None:
        return None
    return _l("Thank you! Your message is in the box. Next pupil →")


def _holds_the_tablet(pupil: Pupil, tablet: PairedTablet) -> bool:
    """Whether this sign-in is the tablet's current one, not a copy of one that was ended or replaced."""
    stored = tablet.pupil_session_hash
    return bool(stored and pupil.session_key) and same_hash(pupil.session_key, stored)


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
