"""Federation admins review schools' applications to join."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.authz import by_id, require
from app.extensions import db
from app.forms import ButtonForm
from app.models import Cooperative, Pupil, School
from app.models.types import utcnow
from app.services import accounts, register

blueprint = Blueprint("federation", __name__, url_prefix="/federation")


@blueprint.get("/")
@require("manage_federation")
def overview():
    schools = db.session.scalars(select(School).where(School.status == "approved").order_by(School.name)).all()
    totals = {
        "schools": len(schools),
        "cooperatives": db.session.scalar(select(func.count(Cooperative.id))),
        "pupils": db.session.scalar(select(func.count(Pupil.id)).where(Pupil.closed_at.is_(None))),
    }
    return render_template("federation/overview.html", pending=accounts.pending_schools(), schools=schools,
                           totals=totals, decisions=register.aggregate_by_method_and_status(), form=ButtonForm())


@blueprint.post("/schools/<int:school_id>/<any(approve, reject):decision>")
@require("manage_federation", load=by_id(School, "school_id", "school"))
def decide(school: School, decision: str):
    if school.status != "pending":
        flash(_("This application was already decided."), "info")
        return redirect(url_for("federation.overview"))
    accounts.decide_application(school, decision == "approve", utcnow())
    db.session.commit()
    message = _("%(school)s can now use Agora.", school=school.name) if decision == "approve" else _(
        "The application of %(school)s was declined.", school=school.name)
    flash(message, "success")
    return redirect(url_for("federation.overview"))


from app.federation import team  # noqa: E402, F401 - its routes join this blueprint
