"""CSV exports of any filtered register view, in the reader's language: how each decision was taken, its figures
and its status in words, as the register's pages show them."""

import json

from flask_babel import format_date
from flask_babel import gettext as _

from app.authz import require
from app.downloads import Cell, Number, csv_download
from app.models import Cooperative, Decision, School
from app.register.presenting import METHOD_LABELS, RULE_LABELS, STATUS_LABELS, figures_line, label_of
from app.register.routes import blueprint, filters_from, load_cooperative, load_school, read_search
from app.services.register_search import all_of


def _row(decision: Decision) -> list[Cell]:
    return [Number(str(decision.id)), format_date(decision.decided_at, "short"), decision.cooperative.name,
            decision.cooperative.year_label, decision.text, label_of(METHOD_LABELS, decision.method),
            label_of(RULE_LABELS, decision.rule), figures_line(json.loads(decision.figures or "{}")),
            ", ".join(pupil.display_name for pupil in decision.responsible),
            decision.due_on.isoformat() if decision.due_on else "", label_of(STATUS_LABELS, decision.status)]


def _header() -> list[str]:
    return [_("Number"), _("Date"), _("Class"), _("School year"), _("Decision"), _("Method"), _("Rule"),
            _("Figures"), _("Responsible"), _("Due"), _("Status")]


@blueprint.get("/classes/<int:cooperative_id>/register.csv")
@require("view_register", load=load_cooperative)
def export_class(cooperative: Cooperative):
    filters = filters_from(read_search([cooperative]), [cooperative])
    return csv_download(_header(), map(_row, all_of(filters)), f"register-{cooperative.id}.csv")


@blueprint.get("/schools/<int:school_id>/register.csv")
@require("view_school", load=load_school)
def export_school(school: School):
    classes = list(school.cooperatives)
    decisions = all_of(filters_from(read_search(classes), classes, school))
    return csv_download(_header(), map(_row, decisions), f"register-school-{school.id}.csv")
