"""The federation's team on the public home page: admins add, edit, remove and reorder its members."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.authz import by_id, require
from app.extensions import db
from app.federation.forms import TeamMemberForm
from app.federation.routes import blueprint
from app.models import TeamMember
from app.services import team

load_member = by_id(TeamMember, "member_id", "member")


def _team_page(form: TeamMemberForm, status: int = 200):
    return render_template("federation/team.html", members=team.members(), form=form), status


def _back_to_team():
    return redirect(url_for("federation.team_page"))


@blueprint.get("/team")
@require("manage_team")
def team_page():
    return _team_page(TeamMemberForm(formdata=None))


@blueprint.post("/team")
@require("manage_team")
def add_team_member():
    form = TeamMemberForm()
    if not form.validate_on_submit():
        return _team_page(form, 422)
    member = team.add_member(form.name.data, form.role.data, form.bio.data or "")
    db.session.commit()
    flash(_("%(name)s is now shown in the team on the home page.", name=member.name), "success")
    return _back_to_team()


@blueprint.route("/team/<int:member_id>", methods=["GET", "POST"])
@require("manage_team", load=load_member)
def edit_team_member(member: TeamMember):
    form = TeamMemberForm(obj=member)
    if form.validate_on_submit():
        team.edit_member(member, form.name.data, form.role.data, form.bio.data or "")
        db.session.commit()
        flash(_("The presentation of %(name)s is saved.", name=member.name), "success")
        return _back_to_team()
    status = 422 if form.is_submitted() else 200
    return render_template("federation/edit_team_member.html", member=member, form=form), status


@blueprint.post("/team/<int:member_id>/remove")
@require("manage_team", load=load_member)
def remove_team_member(member: TeamMember):
    name = member.name
    team.remove_member(member)
    db.session.commit()
    flash(_("%(name)s is no longer shown in the team.", name=name), "success")
    return _back_to_team()


@blueprint.post("/team/<int:member_id>/<any(up, down):direction>")
@require("manage_team", load=load_member)
def move_team_member(member: TeamMember, direction: str):
    team.move_member(member, -1 if direction == "up" else 1)
    db.session.commit()
    return _back_to_team()
