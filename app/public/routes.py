"""Public pages: home, language switch, a school's application to join, and the health check."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from app.authz import public
from app.errors import abort_with
from app.extensions import db, limiter
from app.public.forms import ApplySchoolForm, LanguageForm
from app.security import safe_local_path
from app.services import accounts, federation_figures, team

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
@public
def home():
    if current_user.is_authenticated and current_user.is_pupil:
        return redirect(url_for("tablet.pupil_home"))
    return render_template("public/home.html", counters=federation_figures.public_counters(), team=team.members())


@blueprint.post("/language")
@public
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort_with(400, _("This language is not available."))
    session["language"] = form.language.data
    return redirect(safe_local_path(form.next.data) or url_for("public.home"))


@blueprint.route("/join", methods=["GET", "POST"])
@public
@limiter.limit("5 per hour", methods=["POST"])
def apply_school():
    form = ApplySchoolForm()
    if form.validate_on_submit():
        try:
            head = accounts.create_user(form.email.data, form.head_name.data, form.password.data)
        except accounts.EmailTaken:
            form.email.errors.append(_("An account already uses this address. Sign in, or use another address."))
        else:
            accounts.apply_school(form.school_name.data, form.city.data, form.timezone.data, head)
            db.session.commit()
            flash(_("Thank you! The federation will review your application. You can sign in to follow it."),
                  "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("public/apply.html", form=form), 422 if form.is_submitted() else 200


@blueprint.get("/health")
@public
@limiter.exempt
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


@blueprint.app_context_processor
def language_form():
    return {"language_form": LanguageForm(formdata=None, next=request.full_path.rstrip("?"))}
