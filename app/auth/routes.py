"""Adults sign in with e-mail and password, sign out, reset a forgotten password, accept an invitation."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import identity
from app.auth.forms import AcceptInvitationForm, ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm, SignInForm
from app.authz import public, require
from app.errors import abort_with
from app.extensions import db, limiter
from app.forms import ButtonForm
from app.home import home_url
from app.links import external_url
from app.mail import send_mail
from app.models.types import utcnow
from app.security import safe_local_path
from app.services import accounts

blueprint = Blueprint("auth", __name__, url_prefix="/account")


def _email_key() -> str:
    return "sign-in:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _refused(response) -> bool:
    """Only refused sign-ins count against a limit: a school's adults share one address and sign in all day."""
    return response.status_code == 422


def _safe_next(target: str | None) -> str:
    return safe_local_path(target) or home_url()


@blueprint.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute; 60 per hour", methods=["POST"], deduct_when=_refused)
@limiter.limit("10 per 10 minutes", methods=["POST"], key_func=_email_key, deduct_when=_refused)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            _open_session(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("This e-mail address and password do not match. Check them and try again."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/sign_in.html", form=form), status


def _open_session(user, remember: bool = False) -> None:
    config = current_app.config
    lifetime = config["REMEMBER_COOKIE_DURATION"] if remember else config["PERMANENT_SESSION_LIFETIME"]
    if not isinstance(lifetime, timedelta):  # Flask converts its own setting, Flask-Login leaves seconds
        lifetime = timedelta(seconds=lifetime)
    accounts.open_session(user, utcnow(), lifetime)
    db.session.commit()
    identity.sign_in(user, remember=remember)


@blueprint.post("/sign-out")
@require("view_dashboard")
def sign_out():
    return _signed_out(accounts.end_session, _("You are signed out."))


@blueprint.route("/", methods=["GET", "POST"])
@require("view_dashboard")
def account():
    """The adult's own account: a new password, and where they are signed in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            user = current_user._get_current_object()
            user.set_password(form.password.data)
            accounts.end_every_session(user)
            _open_session(user)
            flash(_("Your password is changed. You stay signed in here; everywhere else you are signed out."),
                  "success")
            return redirect(url_for("auth.account"))
    sign_ins = accounts.session_count(current_user, utcnow())
    return render_template("auth/account.html", form=form, sign_ins=sign_ins, button=ButtonForm()), (
        422 if form.is_submitted() else 200)


@blueprint.post("/sign-out-everywhere")
@require("view_dashboard")
def sign_out_everywhere():
    return _signed_out(accounts.end_every_session, _("You are signed out on every device and browser."))


def _signed_out(end_sessions, message: str):
    end_sessions(current_user)
    db.session.commit()
    identity.sign_out()
    flash(message, "info")
    return redirect(url_for("public.home"))


@blueprint.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.user_by_email(form.email.data)
        if user is not None:
            link = external_url("auth.reset_password", token=accounts.password_reset_token(user))
            send_mail(user.email, _("Reset your Agora password"),
                      _("Open this link within an hour to choose a new password:\n%(link)s", link=link))
        flash(_("If an account uses this address, we have sent it a link to choose a new password."), "info")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html", form=form), 422 if form.is_submitted() else 200


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = accounts.user_from_reset_token(token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return render_template("auth/forgot_password.html", form=ForgotPasswordForm()), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        accounts.end_every_session(user)  # whoever asked for the reset may not be the only one signed in
        db.session.commit()
        flash(_("Your password is changed. You can sign in with it now."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form), 422 if form.is_submitted() else 200


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    invitation = accounts.read_invitation(token, current_app.config["INVITATION_MAX_AGE"])
    if invitation is None:
        abort_with(400, _("This invitation has expired or was already used. Ask your school head for a new one."))
    school, email = invitation
    existing = accounts.user_by_email(email)
    if existing is not None:
        return _join_with_existing_account(school, existing)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        user = accounts.create_user(email, form.display_name.data, form.password.data)
        accounts.add_staff(school, user, "educator")
        db.session.commit()
        _open_session(user)
        flash(_("Welcome to Agora! You can now create your class."), "success")
        return redirect(url_for("classes.dashboard"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/accept_invitation.html", form=form, school=school, email=email), status


def _join_with_existing_account(school, user):
    """An invitation for an address that has an account: its owner signs in and accepts, or not."""
    signed_in = current_user.is_authenticated and not current_user.is_pupil
    if signed_in and current_user.id != user.id:
        abort_with(403, _("This invitation is for another address. Sign out, then open the link again."))
    if signed_in and accounts.is_staff(school, user, "educator"):
        abort_with(400, _("This invitation was already accepted: you are an educator of %(school)s.",
                          school=school.name))
    form = ButtonForm()
    if signed_in and form.validate_on_submit():
        accounts.add_staff(school, user, "educator")
        db.session.commit()
        flash(_("You are now an educator of %(school)s.", school=school.name), "success")
        return redirect(url_for("classes.dashboard"))
    return render_template("auth/join_school.html", school=school, email=user.email, signed_in=signed_in, form=form)
