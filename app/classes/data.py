"""A class's data for its educator and school head: export as JSON, and deletion once the class is archived."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from app.authz import require
from app.classes.routes import blueprint, load_cooperative
from app.downloads import json_download
from app.extensions import db
from app.models import Cooperative
from app.services import retention


class DeleteClassForm(FlaskForm):
    name = StringField(_l("Type the name of the class to confirm"), validators=[DataRequired()])


@blueprint.get("/<int:cooperative_id>/export.json")
@require("view_cooperative", load=load_cooperative)
def export_data(cooperative: Cooperative):
    return json_download(retention.class_export(cooperative), f"class-{cooperative.id}.json")


@blueprint.route("/<int:cooperative_id>/delete", methods=["GET", "POST"])
@require("delete_class_data", load=load_cooperative)
def delete_data(cooperative: Cooperative):
    form = DeleteClassForm()
    if form.validate_on_submit() and form.name.data.strip() == cooperative.name:
        name = cooperative.name
        retention.delete_class(cooperative)
        db.session.commit()
        flash(_("All the data of %(name)s is deleted.", name=name), "success")
        return redirect(url_for("classes.dashboard"))
    if form.is_submitted():
        form.name.errors = [_("The name does not match: nothing was deleted.")]
    status = 422 if form.is_submitted() else 200
    return render_template("classes/delete.html", cooperative=cooperative, form=form), status
