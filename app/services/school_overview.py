"""What a school head sees first of their school: this year's classes, each with its latest council and the messages
waiting for its educator, and the school's latest decisions. A few grouped queries, whatever the number of classes."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain.school_year import school_year_of
from app.extensions import db
from app.models import Assembly, Cooperative, Decision, Pupil, School
from app.services.messages import waiting_for_moderation
from app.services.register_search import DecisionFilters, filtered

LATEST_DECISIONS = 10


@dataclass(frozen=True)
class ClassOverview:
    cooperative: Cooperative
    pupils: int
    last_council: datetime | None  # when the latest assembly that took place opened
    waiting_messages: int  # shown only to those the policy lets read the class's message box


def current_school_year(school: School, now: datetime) -> int:
    """The school year under way on the school's own clock."""
    return school_year_of(now.astimezone(ZoneInfo(school.timezone)).date())


def _counted(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def classes_of_year(school: School, school_year: int) -> list[ClassOverview]:
    cooperatives = list(db.session.scalars(
        select(Cooperative).where(Cooperative.school_id == school.id, Cooperative.school_year == school_year)
        .options(selectinload(Cooperative.educators)).order_by(Cooperative.name)))
    ids = [cooperative.id for cooperative in cooperatives]
    pupils = _counted(select(Pupil.cooperative_id, func.count()).where(
        Pupil.cooperative_id.in_(ids), Pupil.closed_at.is_(None)).group_by(Pupil.cooperative_id))
    councils = _counted(select(Assembly.cooperative_id, func.max(Assembly.opened_at)).where(
        Assembly.cooperative_id.in_(ids), Assembly.opened_at.is_not(None)).group_by(Assembly.cooperative_id))
    waiting = waiting_for_moderation(ids)
    return [ClassOverview(cooperative, pupils.get(cooperative.id, 0), councils.get(cooperative.id),
                          waiting.get(cooperative.id, 0)) for cooperative in cooperatives]


def classes_of_other_years(school: School, school_year: int) -> list[Cooperative]:
    """The school's classes of every other year, the most recent first: their registers stay with the school."""
    return list(db.session.scalars(
        select(Cooperative).where(Cooperative.school_id == school.id, Cooperative.school_year != school_year)
        .order_by(Cooperative.school_year.desc(), Cooperative.name)))


def latest_decisions(school: School, limit: int = LATEST_DECISIONS) -> list[Decision]:
    """The school's most recent decisions, every class and year, as the register's school search orders them."""
    query = filtered(DecisionFilters(school_id=school.id, time_zone=school.timezone)).limit(limit)
    readable = query.options(selectinload(Decision.responsible), selectinload(Decision.cooperative))
    return list(db.session.scalars(readable))
