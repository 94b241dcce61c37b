"""A school head's landing page: this year's classes, the latest decisions, the register's search, the educators and
inviting them; and the list of their schools for a head of several."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.authz import by_id, require
from app.extensions import db
from app.forms import email_field
from app.identity import current_actor
from app.links import external_url
from app.mail import send_mail
from app.models import School
from app.models.types import utcnow
from app.register.routes import blank_search
from app.services import accounts, school_overview

blueprint = Blueprint("schools", __name__, url_prefix="/schools")


class InviteEducatorForm(FlaskForm):
    email = email_field(_l("Educator's e-mail address"))


@blueprint.get("/")
@require("view_own_schools")
def index():
    schools = db.session.scalars(select(School).where(School.id.in_(current_actor().head_of)).order_by(School.name))
    return render_template("schools/index.html", schools=list(schools))


def render_school_page(school: School, form: InviteEducatorForm | None = None, status: int = 200):
    year = school_overview.current_school_year(school, utcnow())
    return render_template(
        "schools/show.html", school=school, form=form or InviteEducatorForm(), year=year,
        classes=school_overview.classes_of_year(school, year),
        other_classes=school_overview.classes_of_other_years(school, year),
        decisions=school_overview.latest_decisions(school),
        search=blank_search(list(school.cooperatives)),
    ), status


@blueprint.get("/<int:school_id>")
@require("view_school", load=by_id(School, "school_id", "school"))
def show(school: School):
    return render_school_page(school)


@blueprint.post("/<int:school_id>/educators")
@require("manage_school_staff", load=by_id(School, "school_id", "school"))
def invite_educator(school: School):
    form = InviteEducatorForm()
    if not school.is_approved:
        form.email.errors = [_("Your school must be approved by the federation before you invite educators.")]
        return render_school_page(school, form, 409)
    if not form.validate_on_submit():
        return render_school_page(school, form, 422)
    _send_invitation(school, form.email.data)
    db.session.commit()
    return redirect(url_for("schools.show", school_id=school.id))


def _send_invitation(school: School, email: str) -> None:
    """The same answer whether or not the address has an account: a head learns nothing, and the invited person
    accepts or not. A head who teaches may make themselves an educator at once."""
    if accounts.normalise_email(email) == current_user.email:
        accounts.add_staff(school, current_user, "educator")
        flash(_("You are now also an educator of your school."), "success")
        return
    link = external_url("auth.accept_invitation", token=accounts.invitation_token(school, email))
    existing = accounts.user_by_email(email)
    if existing is not None:
        body = _("%(school)s invites you to work with it as an educator on Agora. Open this link within a week, "
                 "sign in with this address and accept:\n%(link)s", school=school.name, link=link)
    else:
        body = _("Open this link within a week to create your account:\n%(link)s", link=link)
    send_mail(email, _("Join %(school)s on Agora", school=school.name), body)
    current_app.logger.info("Invitation sent for school %s", school.id)
    flash(_("An invitation was sent to %(email)s.", email=email), "success")
