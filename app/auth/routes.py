"""Adults sign in with e-mail and password, sign out, reset a forgotten password, accept an invitation."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.auth.forms import AcceptInvitationForm, ForgotPasswordForm, ResetPasswordForm, SignInForm
from app.authz import public, require
from app.errors import abort_with
from app.extensions import db, limiter
from app.mail import send_mail
from app.security import safe_local_path
from app.services import accounts

blueprint = Blueprint("auth", __name__, url_prefix="/account")


def _email_key() -> str:
    return "sign-in:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _safe_next(target: str | None) -> str:
    return safe_local_path(target) or url_for("classes.dashboard")


@blueprint.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute; 60 per hour", methods=["POST"])
@limiter.limit("10 per 10 minutes", methods=["POST"], key_func=_email_key)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.permanent = True
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("This e-mail address and password do not match. Check them and try again."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/sign_in.html", form=form), status


@blueprint.post("/sign-out")
@require("view_dashboard")
def sign_out():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("public.home"))


@blueprint.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.user_by_email(form.email.data)
        if user is not None:
            link = url_for("auth.reset_password", token=accounts.password_reset_token(user), _external=True)
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
        db.session.commit()
        flash(_("Your password is changed. You can sign in with it now."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form), 422 if form.is_submitted() else 200


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    invitation = accounts.read_invitation(token, current_app.config["INVITATION_MAX_AGE"])
    if invitation is None or accounts.user_by_email(invitation[1]) is not None:
        abort_with(400, _("This invitation has expired or was already used. Ask your school head for a new one."))
    school, email = invitation
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        user = accounts.create_user(email, form.display_name.data, form.password.data)
        accounts.add_staff(school, user, "educator")
        db.session.commit()
        login_user(user)
        flash(_("Welcome to Agora! You can now create your class."), "success")
        return redirect(url_for("classes.dashboard"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/accept_invitation.html", form=form, school=school, email=email), status
