"""Register pages: a class's decisions, the whole school's for its head, one decision at its permanent URL."""

import math

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.authz import by_id, require
from app.domain.decisions import day_decided
from app.errors import abort_with
from app.extensions import db
from app.models import Cooperative, Decision, School
from app.models.types import utcnow
from app.register.forms import CorrectionForm, DecisionForm, FollowUpForm, SearchForm, correction_form
from app.register.presenting import history_of
from app.register.refusals import refusal_of
from app.request_values import BadValue, parse_id
from app.services import register, treasury
from app.services.register_search import COUNT_LIMIT, PAGE_SIZE, DecisionFilters, count, page_of

blueprint = Blueprint("register", __name__, url_prefix="/register")
load_cooperative = by_id(Cooperative, "cooperative_id", "cooperative")
load_school = by_id(School, "school_id", "school")
load_decision = by_id(Decision, "decision_id", "decision", target=lambda decision: decision.cooperative)


def read_search(classes: list[Cooperative]) -> SearchForm:
    """The search form from the URL; anything it does not know is a 400 with a sentence, never a crash."""
    form = SearchForm(request.args)
    form.cooperative.choices = [("", _("All classes"))] + [(str(c.id), f"{c.name} ({c.year_label})") for c in classes]
    if not form.validate():
        first = next(iter(form.errors.values()))[0]
        abort_with(400, _("This search cannot be done: %(problem)s", problem=first))
    return form


def filters_from(form: SearchForm, classes: list[Cooperative], school: School | None = None) -> DecisionFilters:
    """The search's filters; without a chosen class, a school's view covers the school, a class's view the class."""
    scope = {"school_id": school.id} if school is not None and not form.cooperative.data else {
        "cooperative_ids": (int(form.cooperative.data),) if form.cooperative.data else tuple(c.id for c in classes)}
    time_zone = (school or classes[0].school).timezone
    return DecisionFilters(words=form.q.data or "", school_year=form.year.data, status=form.status.data or None,
                           method=form.method.data or None, oldest_first=form.sort.data == "oldest",
                           time_zone=time_zone, **scope)


def render_register(template: str, classes: list[Cooperative], school: School | None = None, **context):
    form = read_search(classes)
    filters = filters_from(form, classes, school)
    total = count(filters, COUNT_LIMIT)
    pages = max(1, math.ceil(min(total, COUNT_LIMIT) / PAGE_SIZE))
    page = form.page.data or 1
    if page > pages:
        abort_with(404, _("There is no page %(page)d: the search has %(pages)d.", page=page, pages=pages))
    return render_template(template, form=form, decisions=page_of(filters, page), total=total, page=page,
                           pages=pages, more=total > COUNT_LIMIT, count_limit=COUNT_LIMIT, school=school, **context)


@blueprint.get("/classes/<int:cooperative_id>")
@require("view_register", load=load_cooperative)
def class_register(cooperative: Cooperative):
    chain = register.verify(cooperative.id)
    return render_register("register/class.html", [cooperative], cooperative=cooperative, chain=chain,
                           decision_form=DecisionForm(formdata=None))


@blueprint.get("/schools/<int:school_id>")
@require("view_school", load=load_school)
def school_register(school: School):
    return render_register("register/school.html", list(school.cooperatives), school)


def render_decision(decision: Decision, status: int = 200, **forms):
    forms.setdefault("follow_up_form", FollowUpForm(formdata=None, status=decision.status))
    forms.setdefault("correction_form", correction_form(decision))
    return render_template("register/decision.html", decision=decision, entries=history_of(decision),
                           spending=treasury.spending_on(decision), **forms), status


@blueprint.get("/decisions/<int:decision_id>")
@require("view_register", load=load_decision)
def show_decision(decision: Decision):
    return render_decision(decision)


def _pupil_ids() -> list[int]:
    """The ids ticked in the responsible checkboxes; anything that is no id is no pupil of the class."""
    try:
        return [parse_id(raw_id) for raw_id in request.form.getlist("responsible")]
    except BadValue:
        abort_with(400, _("A responsible pupil must be a member of the class."))


@blueprint.post("/classes/<int:cooperative_id>/decisions")
@require("keep_register", load=load_cooperative)
def record(cooperative: Cooperative):
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(form.due_on.errors[0] if form.due_on.errors else _("Write the decision (at most 1,000 characters)."),
              "error")
        return redirect(url_for("register.class_register", cooperative_id=cooperative.id)), 303
    try:
        pupils = register.responsible_pupils(cooperative, _pupil_ids())
        new = register.NewDecision(form.text.data, "consensus", figures={}, responsible=tuple(pupils),
                                   due_on=form.due_on.data)
        recorded = register.record_decision(cooperative, new, current_user.display_name)
    except register.RegisterError as error:
        db.session.rollback()
        abort_with(400, refusal_of(error, day_decided(utcnow(), cooperative.school.timezone)).sentence)
    db.session.commit()
    return redirect(url_for("register.show_decision", decision_id=recorded.id))


@blueprint.post("/decisions/<int:decision_id>/follow-up")
@require("keep_register", load=load_decision)
def add_follow_up(decision: Decision):
    form = FollowUpForm()
    if not form.validate_on_submit():
        return render_decision(decision, 422, follow_up_form=form)
    try:
        register.follow_up(decision, form.status.data, form.note.data or "", current_user.display_name)
    except register.RegisterError:
        form.status.errors = [_("This decision is already closed with this status.")]
        return render_decision(decision, 409, follow_up_form=form)
    db.session.commit()
    flash(_("The follow-up is added to the register."), "success")
    return redirect(url_for("register.show_decision", decision_id=decision.id))


@blueprint.post("/decisions/<int:decision_id>/correct")
@require("keep_register", load=load_decision)
def add_correction(decision: Decision):
    """A new wording, the pupils responsible and a due date, as one correction entry of the register."""
    form = correction_form(decision, submitted=True)
    if not form.validate_on_submit():
        return render_decision(decision, 422, correction_form=form)
    correction = register.Correction(form.text.data, tuple(form.responsible.data or ()), form.due_on.data,
                                     form.reason.data or "", form.last_entry.data)
    try:
        register.correct(decision, correction, current_user.display_name)
    except register.RegisterError as error:
        return refused_correction(decision, form, error)
    db.session.commit()
    flash(_("The decision is updated in the register; its first wording stays in its history."), "success")
    if form.back.data == "poll" and decision.poll_id is not None:
        return redirect(url_for("polls.show", poll_id=decision.poll_id, _anchor="decision"))
    return redirect(url_for("register.show_decision", decision_id=decision.id))


def refused_correction(decision: Decision, form: CorrectionForm, error: register.RegisterError):
    """Nothing was written: the page again, the sentence under the field it is about, or over the whole form."""
    db.session.rollback()
    refusal = refusal_of(error, day_decided(decision.decided_at, decision.cooperative.school.timezone))
    if refusal.field is None:
        return render_decision(decision, refusal.status, correction_form=form, correction_refused=refusal.sentence)
    form[refusal.field].errors = [refusal.sentence]
    return render_decision(decision, refusal.status, correction_form=form)


from app.register import exports  # noqa: E402, F401 - the export routes join this blueprint
