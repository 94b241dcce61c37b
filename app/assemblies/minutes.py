"""The minutes: drafted from what happened, completed by the secretary, validated by the educator, then frozen."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.assemblies.forms import AttendanceForm, MinutesForm
from app.assemblies.refusals import refuse, sentence, status_of
from app.assemblies.routes import blueprint, load_assembly
from app.authz import require
from app.domain.assemblies import RuleBroken
from app.domain.collation import by_name
from app.extensions import db
from app.forms import ButtonForm
from app.models import Assembly
from app.models.types import utcnow
from app.services import minutes


def minutes_form(assembly: Assembly, submitted: bool = False) -> MinutesForm:
    if submitted:
        return MinutesForm()
    outcomes = [item.outcome or "" for item in assembly.items]
    return MinutesForm(formdata=None, text=assembly.minutes_text, outcomes=outcomes)


def attendance_form(assembly: Assembly, submitted: bool = False) -> AttendanceForm:
    """Until attendance is saved, everyone is ticked present: the educator unticks the few absent pupils."""
    present = minutes.present_ids(assembly) or {pupil.id for pupil in assembly.cooperative.active_pupils()}
    form = AttendanceForm() if submitted else AttendanceForm(formdata=None, present=list(present))
    form.present.choices = [(pupil.id, pupil.display_name) for pupil in by_name(assembly.cooperative.pupils)
                            if pupil.closed_at is None or pupil.id in (form.present.data or [])]
    return form


def render_minutes(assembly: Assembly, status: int = 200, **forms):
    forms.setdefault("form", minutes_form(assembly))
    forms.setdefault("attendance", attendance_form(assembly))
    layout = "layout/tablet.html" if current_user.is_pupil else "layout/base.html"
    return render_template("assemblies/minutes.html", minutes=minutes.minutes_of(assembly), assembly=assembly,
                           cooperative=assembly.cooperative, layout=layout, button=ButtonForm(), **forms), status


def _saved(assembly: Assembly, message: str):
    db.session.commit()
    flash(message, "success")
    if current_user.is_pupil:
        return redirect(url_for("tablet.pupil_home"))
    return redirect(url_for("assemblies.minutes_page", assembly_id=assembly.id))


@blueprint.get("/<int:assembly_id>/minutes")
@require("view_minutes", load=load_assembly)
def minutes_page(assembly: Assembly):
    return render_minutes(assembly)


@blueprint.post("/<int:assembly_id>/minutes")
@require("write_minutes", load=load_assembly)
def write_minutes(assembly: Assembly):
    form = minutes_form(assembly, submitted=True)
    if not form.validate_on_submit():
        return render_minutes(assembly, 422, form=form)
    outcomes = {item.id: entry.data for item, entry in zip(assembly.items, form.outcomes.entries, strict=False)}
    try:
        minutes.write_minutes(assembly, form.text.data, outcomes)
    except RuleBroken as error:
        if status_of(error) != 422:
            refuse(error)
        form.text.errors = [sentence(error)]
        return render_minutes(assembly, 422, form=form)
    return _saved(assembly, _("The minutes are saved."))


@blueprint.post("/<int:assembly_id>/attendance")
@require("manage_assembly", load=load_assembly)
def record_attendance(assembly: Assembly):
    form = attendance_form(assembly, submitted=True)
    if not form.validate_on_submit():
        return render_minutes(assembly, 422, attendance=form)
    try:
        minutes.record_attendance(assembly, set(form.present.data or []))
    except RuleBroken as error:
        refuse(error)
    return _saved(assembly, _("The attendance is saved."))


@blueprint.post("/<int:assembly_id>/minutes/validate")
@require("manage_assembly", load=load_assembly)
def validate_minutes(assembly: Assembly):
    try:
        minutes.validate_minutes(assembly, current_user._get_current_object(), utcnow())
    except RuleBroken as error:
        refuse(error)
    return _saved(assembly, _("The minutes are validated. They are now frozen and ready to print."))
