"""Words for the year page: pupils' names (none for a pupil who left), months, decisions' standings."""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import Pupil

STANDING_LABELS = {
    "on_time": _l("Done on time"),
    "late": _l("Done late"),
    "overdue": _l("Still open, overdue"),
    "open": _l("Still open, not yet due"),
    "dropped": _l("Dropped"),
}
# Colours for the message columns: each at least 4.5:1 against white and against the white figures drawn on it.
SERIES_CLASSES = {"congratulate": "series-1", "criticise": "series-2", "wish": "series-3", "propose": "series-4",
                  "amend": "series-5"}


def pupil_names(pupils: list[Pupil]) -> dict[int, str]:
    """Names as the figures show them; pupils who left are numbered, never named."""
    names, left = {}, 0
    for pupil in pupils:
        if pupil.closed_at is None:
            names[pupil.id] = pupil.display_name
        else:
            left += 1
            names[pupil.id] = _("A pupil who left (%(number)d)", number=left)
    return names


def month_name(month: tuple[int, int]) -> str:
    return format_date(date(month[0], month[1], 1), "MMM")


def long_month_name(month: tuple[int, int]) -> str:
    return format_date(date(month[0], month[1], 1), "LLLL yyyy")


def year_presenting() -> dict:
    return {"standing_labels": STANDING_LABELS, "series_classes": SERIES_CLASSES, "month_name": month_name,
            "long_month_name": long_month_name}
