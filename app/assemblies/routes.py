"""The educator's assemblies: the class's list, planning one, its page (agenda, roles), opening and closing it."""


from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import ballot_scrub
from app.assemblies.forms import PlanForm
from app.assemblies.page import render_show
from app.assemblies.presenting import presenting
from app.assemblies.refusals import refuse
from app.authz import by_id, require
from app.database import begin_writing
from app.domain.assemblies import RuleBroken, local_to_utc
from app.extensions import db
from app.models import AgendaItem, Assembly, Cooperative
from app.models.types import utcnow
from app.services import assemblies, item_votes, speakers

blueprint = Blueprint("assemblies", __name__, url_prefix="/assemblies")
load_cooperative = by_id(Cooperative, "cooperative_id", "cooperative")
load_assembly = by_id(Assembly, "assembly_id", "assembly")
load_item = by_id(AgendaItem, "item_id", "item", target=lambda item: item.assembly)


def own_class(kwargs: dict):
    """A loader for pupils' pages: the signed-in pupil's own class (None for anyone else)."""
    pupil = current_user.is_authenticated and current_user.is_pupil
    kwargs["cooperative"] = current_user.cooperative if pupil else None
    return kwargs["cooperative"]


blueprint.app_context_processor(presenting)


@blueprint.before_request
def write_in_turn():
    """A change holds SQLite's write lock from the start, so concurrent taps wait instead of failing."""
    if request.method == "POST":
        begin_writing(db.session)


def changed(assembly: Assembly, change, *args):
    """Runs one change of the assembly, commits it, and comes back to the assembly's page."""
    try:
        change(*args)
    except RuleBroken as error:
        refuse(error)
    db.session.commit()
    return redirect(url_for("assemblies.show", assembly_id=assembly.id))


def _plan_form(cooperative: Cooperative, submitted: bool = True) -> PlanForm:
    form = PlanForm() if submitted else PlanForm(formdata=None)
    form.at.description = _("On the school's clock (%(zone)s).", zone=cooperative.school.timezone)
    return form


def render_index(cooperative: Cooperative, status: int = 200, form: PlanForm | None = None):
    held = assemblies.class_assemblies(cooperative)
    return render_template("assemblies/index.html", cooperative=cooperative, assemblies=held,
                           participation={assembly.id: speakers.participation(assembly) for assembly in held},
                           form=form or _plan_form(cooperative, submitted=False)), status


@blueprint.get("/classes/<int:cooperative_id>")
@require("view_assemblies", load=load_cooperative)
def index(cooperative: Cooperative):
    return render_index(cooperative)


@blueprint.post("/classes/<int:cooperative_id>")
@require("plan_assembly", load=load_cooperative)
def plan(cooperative: Cooperative):
    form = _plan_form(cooperative)
    if not form.validate_on_submit():
        return render_index(cooperative, 422, form)
    starts_at = local_to_utc(form.day.data, form.at.data, cooperative.school.timezone)
    assembly = assemblies.plan_assembly(cooperative, starts_at, form.place.data or "", utcnow())
    db.session.commit()
    flash(_("The assembly is planned. Its agenda is ready: check it and choose the roles."), "success")
    return redirect(url_for("assemblies.show", assembly_id=assembly.id))


@blueprint.get("/<int:assembly_id>")
@require("view_assembly", load=load_assembly)
def show(assembly: Assembly):
    poll = item_votes.followed_poll(assembly)
    if request.args.get("since") == item_votes.panel_version(assembly, poll, utcnow()):
        return "", 204  # the "Run the assembly" panel asks every 2 s: nothing changed
    if poll is not None and poll.scrub_pending and poll.status != "open":
        ballot_scrub.finish(poll, wait_seconds=0.5)  # as the poll's page does: a scrub the count left is retried
    return render_show(assembly)


@blueprint.post("/<int:assembly_id>/open")
@require("manage_assembly", load=load_assembly)
def open_session(assembly: Assembly):
    return changed(assembly, assemblies.open_assembly, assembly, utcnow())


@blueprint.post("/<int:assembly_id>/close")
@require("manage_assembly", load=load_assembly)
def close_session(assembly: Assembly):
    return changed(assembly, assemblies.close_assembly, assembly, utcnow())


from app.assemblies import agenda, board, minutes, speakers_queue, votes  # noqa: E402, F401 - their routes join
