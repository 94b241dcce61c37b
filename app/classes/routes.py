"""The educator's pages: dashboard, creating a class, the class page, renaming and archiving it."""

from datetime import date

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.authz import by_id, ensure, require
from app.classes.forms import ArchiveClassForm, ImportCsvForm, NewClassForm, RenameClassForm, TypedNamesForm
from app.domain.school_year import school_year_of
from app.downloads import uncached
from app.extensions import db
from app.models import Cooperative, School
from app.models.types import utcnow
from app.services import classes

blueprint = Blueprint("classes", __name__, url_prefix="/classes")
load_cooperative = by_id(Cooperative, "cooperative_id", "cooperative")


def _educator_schools() -> list[School]:
    return [staff.school for staff in current_user.staff_roles if staff.role == "educator" and staff.school.is_approved]


def _new_class_form() -> NewClassForm:
    form = NewClassForm()
    form.school_id.choices = [(school.id, school.name) for school in _educator_schools()]
    if form.school_year.data is None:
        form.school_year.data = school_year_of(date.today())
    return form


@blueprint.get("/")
@require("view_dashboard")
def dashboard():
    return render_template("classes/dashboard.html", form=_new_class_form())


@blueprint.post("/new")
@require("view_dashboard")
def create():
    form = _new_class_form()
    if not form.validate_on_submit():
        return render_template("classes/dashboard.html", form=form), 422
    school = db.session.get(School, form.school_id.data)
    ensure("create_cooperative", school)
    try:
        cooperative = classes.create_cooperative(school, current_user, form.name.data, form.school_year.data,
                                                 form.kind.data)
    except classes.NameTaken:
        form.name.errors.append(_("Your school already has a class with this name this year. Choose another name."))
        return render_template("classes/dashboard.html", form=form), 409
    db.session.commit()
    flash(_("The class is created. Now add its pupils."), "success")
    return redirect(url_for("classes.show", cooperative_id=cooperative.id))


def render_class_page(cooperative: Cooperative, status: int = 200, **forms):
    """The class page, whichever request shows it: it holds every pupil's picture code, so it is never cached."""
    forms.setdefault("names_form", TypedNamesForm(formdata=None))
    forms.setdefault("csv_form", ImportCsvForm(formdata=None))
    forms.setdefault("rename_form", RenameClassForm(formdata=None, name=cooperative.name))
    forms.setdefault("archive_form", ArchiveClassForm(formdata=None))
    return uncached(make_response(render_template("classes/show.html", cooperative=cooperative, now=utcnow(),
                                                  **forms), status))


@blueprint.get("/<int:cooperative_id>")
@require("view_cooperative", load=load_cooperative)
def show(cooperative: Cooperative):
    return render_class_page(cooperative)


@blueprint.post("/<int:cooperative_id>/rename")
@require("manage_cooperative", load=load_cooperative)
def rename(cooperative: Cooperative):
    form = RenameClassForm()
    if not form.validate_on_submit():
        return render_class_page(cooperative, 422, rename_form=form)
    try:
        classes.rename_cooperative(cooperative, form.name.data)
    except classes.NameTaken:
        form.name.errors.append(_("Your school already has a class with this name this year. Choose another name."))
        return render_class_page(cooperative, 409, rename_form=form)
    db.session.commit()
    flash(_("The class is renamed."), "success")
    return redirect(url_for("classes.show", cooperative_id=cooperative.id))


@blueprint.post("/<int:cooperative_id>/archive")
@require("archive_cooperative", load=load_cooperative)
def archive(cooperative: Cooperative):
    form = ArchiveClassForm()
    if not form.validate_on_submit():
        return render_class_page(cooperative, 422, archive_form=form)
    classes.archive_cooperative(cooperative, utcnow())
    db.session.commit()
    flash(_("The class is archived. Its register is kept; pupils can no longer sign in."), "success")
    return redirect(url_for("classes.show", cooperative_id=cooperative.id))


from app.classes import data, devices, roster  # noqa: E402, F401 - their routes join this blueprint
