"""CSV exports of any filtered register view: UTF-8 with a byte-order mark so spreadsheets read accents."""

import csv
import io
import json

from flask import Response
from flask_babel import format_date
from flask_babel import gettext as _

from app.authz import require
from app.models import Cooperative, Decision, School
from app.register.routes import blueprint, filters_from, load_cooperative, load_school, read_search
from app.services.register_search import all_of


def _row(decision: Decision) -> list[str]:
    figures = json.loads(decision.figures or "{}")
    return [str(decision.id), format_date(decision.decided_at, "short"), decision.cooperative.name,
            decision.cooperative.year_label, decision.text, decision.method, decision.rule,
            "; ".join(f"{key}={value}" for key, value in sorted(figures.items()) if isinstance(value, int)),
            ", ".join(pupil.display_name for pupil in decision.responsible),
            decision.due_on.isoformat() if decision.due_on else "", decision.status]


def _csv(decisions, filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Number"), _("Date"), _("Class"), _("School year"), _("Decision"), _("Method"), _("Rule"),
                     _("Figures"), _("Responsible"), _("Due"), _("Status")])
    writer.writerows(_row(decision) for decision in decisions)
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blueprint.get("/classes/<int:cooperative_id>/register.csv")
@require("view_register", load=load_cooperative)
def export_class(cooperative: Cooperative):
    filters = filters_from(read_search([cooperative]), [cooperative])
    return _csv(all_of(filters), f"register-{cooperative.id}.csv")


@blueprint.get("/schools/<int:school_id>/register.csv")
@require("view_school", load=load_school)
def export_school(school: School):
    classes = list(school.cooperatives)
    return _csv(all_of(filters_from(read_search(classes), classes, school)), f"register-school-{school.id}.csv")
