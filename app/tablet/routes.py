"""The shared class tablet: pairing, the roster of name tiles, picture codes, QR cards, the pupil's home."""

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.authz import allowed, by_id, public, require
from app.domain.pictures import CODE_LENGTH, CODE_PICTURES, make_code
from app.extensions import db, limiter
from app.htmx import render, wants_fragment
from app.identity import current_tablet, device_key, sign_in_pupil, sign_out_pupil
from app.models import Pupil
from app.models.types import utcnow
from app.services import polls, pupil_sign_in, register, tablets, treasury
from app.tablet.forms import PairTabletForm, PictureCodeForm

blueprint = Blueprint("tablet", __name__, url_prefix="/tablet")
load_pupil = by_id(Pupil, "pupil_id", "pupil")


def not_paired():
    return render_template("tablet/not_paired.html"), 403


# A school's tablets share one public address (its router): pupils' limits count per tablet and per pupil, and
# the per-address one only bounds wrong codes from a room full of rogue devices.
WRONG_CODES_PER_ADDRESS = "120 per minute"


def navigate(url: str):
    """After a tablet action: a redirect, or an htmx redirect that replaces the whole page."""
    if wants_fragment():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


@blueprint.get("/")
@require("use_tablet", denied=not_paired)
def roster():
    if current_user.is_authenticated and current_user.is_pupil:
        return redirect(url_for("tablet.pupil_home"))
    cooperative = current_tablet().cooperative
    return render_template("tablet/roster.html", cooperative=cooperative, pupils=cooperative.active_pupils())


@blueprint.route("/pair/<token>", methods=["GET", "POST"])
@public
@limiter.limit("60 per minute", methods=["POST"])
def pair(token: str):
    link = tablets.pairing_link_for(token)
    if link is None or not link.is_usable(utcnow()) or link.cooperative.is_archived:
        return render_template("tablet/pairing_expired.html"), 410
    form = PairTabletForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("tablet/pair.html", form=form, cooperative=link.cooperative), status
    previous = current_tablet()
    if previous is not None:  # the same browser paired again: its old entry goes, no duplicate in the list
        tablets.revoke_tablet(previous, utcnow())
    _tablet, cookie = tablets.pair_tablet(link, form.label.data.strip(), utcnow())
    db.session.commit()
    flash(_("This tablet is now paired with %(name)s.", name=link.cooperative.name), "success")
    response = redirect(url_for("tablet.roster"))
    response.set_cookie(tablets.COOKIE_NAME, cookie, max_age=tablets.COOKIE_MAX_AGE, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _picks(form: PictureCodeForm) -> list[int]:
    picks = [int(digit) for digit in (form.picks.data or "")]
    if form.pick.data is None:
        return picks
    return [] if form.pick.data == -1 else [*picks, form.pick.data]


def _code_panel(pupil: Pupil, picks: list[int], status: int = 200, message: str | None = None):
    return render("tablet/sign_in.html", "tablet/_code_panel.html", status, pupil=pupil, picks=picks,
                  message=message, pictures=CODE_PICTURES, code_length=CODE_LENGTH,
                  form=PictureCodeForm(formdata=None))


@blueprint.get("/pupils/<int:pupil_id>")
@require("sign_in_pupil", load=load_pupil, denied=not_paired)
def sign_in(pupil: Pupil):
    return _code_panel(pupil, [])


def _refusal_message(refusal: pupil_sign_in.SignInRefused) -> str:
    if refusal.reason == "locked":
        return _("Too many mistakes. Wait 5 minutes or ask your teacher to unlock you.")
    if refusal.reason == "wrong_code":
        return _("These are not your pictures. Try again! (%(count)d tries left)", count=refusal.attempts_left)
    return _("You cannot sign in on this tablet. Ask your teacher.")


@blueprint.post("/pupils/<int:pupil_id>/code")
@require("sign_in_pupil", load=load_pupil, denied=not_paired)
@limiter.limit(WRONG_CODES_PER_ADDRESS, deduct_when=lambda response: response.status_code in (422, 423))
@limiter.limit("40 per minute", key_func=device_key)
def enter_code(pupil: Pupil):
    form = PictureCodeForm()
    if not form.validate_on_submit():
        return _code_panel(pupil, [], 400, _("Something went wrong. Start again."))
    picks = _picks(form)
    if len(picks) < CODE_LENGTH:
        return _code_panel(pupil, picks)
    try:
        pupil_sign_in.check_picture_code(pupil, make_code(picks), utcnow(),
                                         current_app.config["PUPIL_LOCK_FAILURES"],
                                         current_app.config["PUPIL_LOCK_MINUTES"])
    except pupil_sign_in.SignInRefused as refusal:
        db.session.commit()
        return _code_panel(pupil, [], 423 if refusal.reason == "locked" else 422, _refusal_message(refusal))
    db.session.commit()
    return _sign_in_and_go(pupil)


def _sign_in_and_go(pupil: Pupil):
    sign_in_pupil(pupil, current_tablet())
    return navigate(url_for("tablet.pupil_home"))


def _card_holder(token: str):
    try:
        return pupil_sign_in.pupil_for_card(token, current_tablet(), utcnow()), None
    except pupil_sign_in.SignInRefused as refusal:
        messages = {
            "unknown_card": _("We do not know this card. Ask your teacher for a new one."),
            "expired": _("This card is too old. Ask your teacher for a new one."),
            "revoked": _("This card no longer works. Ask your teacher for a new one."),
            "other_class": _("This card is for another class's tablets."),
            "locked": _("Too many mistakes. Wait 5 minutes or ask your teacher to unlock you."),
            "closed": _("This account is closed. Ask your teacher."),
        }
        status = 404 if refusal.reason == "unknown_card" else 403
        return None, (render_template("tablet/card_refused.html", message=messages[refusal.reason]), status)


@blueprint.route("/card/<token>", methods=["GET", "POST"])
@require("use_tablet", denied=not_paired)
@limiter.limit("30 per minute", key_func=device_key)
def card(token: str):
    pupil, refused = _card_holder(token)
    if refused:
        return refused
    if request.method == "POST":
        return _sign_in_and_go(pupil)
    return render_template("tablet/card.html", pupil=pupil, token=token)


def _own_class(kwargs: dict):
    return current_user.cooperative if current_user.is_authenticated and current_user.is_pupil else None


@blueprint.get("/me")
@require("use_class_tablet", load=_own_class, denied=lambda: redirect(url_for("tablet.roster")))
def pupil_home():
    waiting = polls.open_polls_for(current_user)
    return render_template("tablet/home.html", pupil=current_user, open_polls=waiting,
                           version=polls.open_polls_version(waiting),
                           published=polls.recently_published(current_user.cooperative),
                           decisions=register.open_decisions(current_user.cooperative)[:6],
                           keeps_money=allowed("record_treasury_on_tablet",
                                               treasury.treasurer_assembly(current_user.cooperative_id)))


@blueprint.post("/still-here")
@require("use_class_tablet", load=_own_class, denied=lambda: ("", 401))
def still_here():
    return "", 204


@blueprint.post("/sign-out")
@public
def sign_out():
    if current_user.is_authenticated and current_user.is_pupil:
        reason = request.form.get("reason")
        message = _("You were signed out because nobody used the tablet for a while.") if reason == "idle" else _(
            "Thank you! Next pupil →")
        sign_out_pupil(message)
    return navigate(url_for("tablet.roster"))
