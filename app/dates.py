"""The date filters of every page, in one style (app/domain/school_dates.py): `day`, `clock` and `moment`.

Each takes the school whose clock and country the reader expects; without one, the page's time zone (the signed-in
class's school, or the configured default).
"""

from datetime import date, datetime

from flask import Flask
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

from app.domain import school_dates


def _timezone(school) -> str:
    if school is not None:
        return school.timezone
    zone = get_timezone()
    return getattr(zone, "zone", None) or str(zone)


def _locale(timezone: str):
    return school_dates.school_locale(get_locale().language, timezone)


def day(value: date | datetime | None, school=None) -> str:
    """A calendar day; a UTC datetime is first placed on the school's clock."""
    if value is None:
        return ""
    timezone = _timezone(school)
    if isinstance(value, datetime):
        value = school_dates.school_day(value, timezone)
    return school_dates.day_text(value, _locale(timezone))


def clock(value: datetime | None, school=None) -> str:
    if value is None:
        return ""
    timezone = _timezone(school)
    return school_dates.clock_text(value, timezone, _locale(timezone))


def moment(value: datetime | None, school=None) -> str:
    """A day and its hour: "3 décembre 2026 à 07:43"."""
    if value is None:
        return ""
    return _("%(day)s at %(time)s", day=day(value, school), time=clock(value, school))


def init_app(app: Flask) -> None:
    for name, function in (("day", day), ("clock", clock), ("moment", moment)):
        app.jinja_env.filters[name] = function
