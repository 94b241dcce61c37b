"""The class roster: adding pupils by typing, pasting or importing a CSV file; locks, codes, removal."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.authz import by_id, require
from app.classes.forms import ImportCsvForm, TypedNamesForm
from app.classes.routes import blueprint, load_cooperative, render_class_page
from app.domain import roster
from app.extensions import db
from app.models import Cooperative, Pupil
from app.models.types import utcnow
from app.services import classes, pupil_sign_in

load_pupil = by_id(Pupil, "pupil_id", "pupil", target=lambda pupil: pupil.cooperative)


def roster_error_message(error: roster.RosterError) -> str:
    if error.code == "too_many":
        return _("A class has at most %(count)d pupils, and this list would bring it to %(total)s. Add only the "
                 "pupils of this class.", count=roster.MAX_CLASS_SIZE, total=error.text)
    messages = {
        "empty_name": _("the first name is missing"),
        "too_long": _("the name is too long (at most %(count)d letters for the first name)",
                      count=roster.MAX_FIRST_NAME),
        "bad_characters": _("a name may contain only letters, spaces, hyphens and apostrophes"),
        "duplicate": _("this pupil is already in the class or twice in the list (add a second letter after "
                       "the initial to tell them apart)"),
        "bad_birth_year": _("the birth year must be a year such as 2017"),
        "missing_column": _("no column is named “first name” (or “prénom”) in the first line"),
        "bad_csv": _("the file cannot be read as a CSV table: save it from your spreadsheet as “CSV UTF-8”"),
        "bad_file": _("the file is not in UTF-8: in your spreadsheet, save it as “CSV UTF-8” and try again"),
    }
    where = _("Line %(line)d", line=error.line) if error.line else _("File")
    detail = f" ({error.text})" if error.text else ""
    return f"{where}{detail}: {messages[error.code]}"


def _import(cooperative: Cooperative, parsed, form_name: str, form):
    rows, errors = roster.check_roster(parsed, classes.existing_names(cooperative))
    if errors or not rows:
        messages = [roster_error_message(error) for error in errors] or [_("The list contains no name.")]
        form.errors_list = messages
        return render_class_page(cooperative, 422, **{form_name: form})
    classes.add_pupils(cooperative, rows)
    db.session.commit()
    flash(ngettext("%(num)d pupil added.", "%(num)d pupils added.", len(rows)), "success")
    return redirect(url_for("classes.show", cooperative_id=cooperative.id))


@blueprint.post("/<int:cooperative_id>/pupils")
@require("manage_cooperative", load=load_cooperative)
def add_pupils(cooperative: Cooperative):
    form = TypedNamesForm()
    if not form.validate_on_submit():
        return render_class_page(cooperative, 422, names_form=form)
    return _import(cooperative, roster.parse_typed_names(form.names.data), "names_form", form)


@blueprint.post("/<int:cooperative_id>/pupils/import")
@require("manage_cooperative", load=load_cooperative)
def import_pupils(cooperative: Cooperative):
    form = ImportCsvForm()
    if not form.validate_on_submit():
        return render_class_page(cooperative, 422, csv_form=form)
    return _import(cooperative, roster.parse_csv(form.file.data.read()), "csv_form", form)


def _back_to_class(pupil: Pupil):
    return redirect(url_for("classes.show", cooperative_id=pupil.cooperative_id, _anchor=f"pupil-{pupil.id}"))


@blueprint.post("/pupils/<int:pupil_id>/unlock")
@require("manage_cooperative", load=load_pupil)
def unlock_pupil(pupil: Pupil):
    pupil_sign_in.unlock(pupil)
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=pupil.display_name), "success")
    return _back_to_class(pupil)


@blueprint.post("/pupils/<int:pupil_id>/new-code")
@require("manage_cooperative", load=load_pupil)
def new_code(pupil: Pupil):
    classes.new_picture_code(pupil)
    db.session.commit()
    flash(_("%(name)s has a new picture code. Print a new card for them.", name=pupil.display_name), "success")
    return _back_to_class(pupil)


@blueprint.post("/pupils/<int:pupil_id>/remove")
@require("manage_cooperative", load=load_pupil)
def remove_pupil(pupil: Pupil):
    name, cooperative_id = pupil.display_name, pupil.cooperative_id
    deleted = classes.remove_pupil(pupil, utcnow())
    db.session.commit()
    message = _("%(name)s was removed from the class.", name=name) if deleted else _(
        "%(name)s's account is closed; what they did in the class is kept.", name=name)
    flash(message, "success")
    return redirect(url_for("classes.show", cooperative_id=cooperative_id))
