"""The educator's "Our year" page for a class: its councils' roles, speaking turns, messages and decisions."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template

from app.authz import by_id, require
from app.domain import charts
from app.domain.treasury import first_day, last_day
from app.domain.year_figures import MESSAGE_KINDS, STANDINGS
from app.models import Cooperative
from app.models.types import utcnow
from app.services.year_figures import year_figures
from app.year.presenting import STANDING_LABELS, pupil_names, year_presenting

blueprint = Blueprint("year", __name__, url_prefix="/year")
blueprint.context_processor(year_presenting)
load_cooperative = by_id(Cooperative, "cooperative_id", "cooperative")


def _today(cooperative: Cooperative, now: datetime):
    return now.astimezone(ZoneInfo(cooperative.school.timezone)).date()


@blueprint.get("/classes/<int:cooperative_id>")
@require("view_class_year", load=load_cooperative)
def overview(cooperative: Cooperative):
    figures = year_figures(cooperative, _today(cooperative, utcnow()))
    names = pupil_names(list(figures.pupils.values()))
    return render_template(
        "year/overview.html", cooperative=cooperative, figures=figures, names=names,
        year_start=first_day(cooperative.school_year), year_end=last_day(cooperative.school_year),
        roles_chart=charts.horizontal_bars([(names[row.pupil_id], row.total) for row in figures.roles]),
        turns_chart=charts.horizontal_bars([(names[pupil_id], turns) for pupil_id, turns in figures.turns]),
        messages_chart=charts.stacked_columns(figures.messages, MESSAGE_KINDS),
        decisions_chart=charts.horizontal_bars([(str(STANDING_LABELS[name]), figures.decisions[name])
                                                for name in STANDINGS]),
    )
