"""The class's school year in figures, read from councils' roles and speakers, messages and the register — never
from ballots or polls' choices."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.domain import year_figures as count
from app.domain.collation import by_name
from app.domain.school_year import school_year_end, school_year_start
from app.extensions import db
from app.models import Assembly, AssemblyRole, Cooperative, Decision, Message, Pupil, RegisterEntry
from app.services import speakers
from app.services.register import entry_fields


@dataclass(frozen=True)
class YearFigures:
    pupils: dict[int, Pupil]  # the pupils in the figures: current ones by name, then those who left
    councils: int
    roles: list[count.PupilRoles]
    never_held: list[int]
    turns: list[tuple[int, int]]
    messages: dict[tuple[int, int], dict[str, int]]
    decisions: dict[str, int]


def _bounds(cooperative: Cooperative) -> tuple[datetime, datetime]:
    timezone = cooperative.school.timezone
    return (school_year_start(cooperative.school_year, timezone),
            school_year_end(cooperative.school_year, timezone))


def _local_day(moment: datetime, cooperative: Cooperative) -> date:
    return moment.astimezone(ZoneInfo(cooperative.school.timezone)).date()


def _held_councils(cooperative: Cooperative):
    """The year's councils that have opened: roles of a council still planned have not been held yet."""
    start, end = _bounds(cooperative)
    return (select(Assembly.id).where(Assembly.cooperative_id == cooperative.id, Assembly.opened_at.is_not(None),
                                      Assembly.starts_at >= start, Assembly.starts_at < end))


def _roles_held(cooperative: Cooperative) -> list[tuple[int, str]]:
    query = select(AssemblyRole.pupil_id, AssemblyRole.role).where(
        AssemblyRole.assembly_id.in_(_held_councils(cooperative)))
    return [(pupil_id, role) for pupil_id, role in db.session.execute(query)]


def _messages_posted(cooperative: Cooperative) -> list[tuple[date, str]]:
    start, end = _bounds(cooperative)
    query = select(Message.created_at, Message.kind).where(
        Message.cooperative_id == cooperative.id, Message.created_at >= start, Message.created_at < end)
    return [(_local_day(created_at, cooperative), kind) for created_at, kind in db.session.execute(query)]


def _done_days(decisions: list[Decision], cooperative: Cooperative) -> dict[int, date]:
    """The day each decision was last marked done, from its register entries (the decision row keeps no date)."""
    query = (select(RegisterEntry).where(RegisterEntry.decision_id.in_([decision.id for decision in decisions]),
                                         RegisterEntry.kind == "follow_up").order_by(RegisterEntry.position))
    days = {}
    for entry in db.session.scalars(query):
        if entry_fields(entry).get("status") == "done":
            days[entry.decision_id] = _local_day(entry.recorded_at, cooperative)
    return days


def _decision_standings(cooperative: Cooperative, today: date) -> dict[str, int]:
    start, end = _bounds(cooperative)
    decisions = list(db.session.scalars(select(Decision).where(
        Decision.cooperative_id == cooperative.id, Decision.decided_at >= start, Decision.decided_at < end)))
    done = _done_days([decision for decision in decisions if decision.status == "done"], cooperative)
    return count.count_standings(count.standing(decision.status, decision.due_on, done.get(decision.id), today)
                                 for decision in decisions)


def _pupils_in_figures(cooperative: Cooperative, active_in_year: set[int]) -> dict[int, Pupil]:
    """Every current pupil; a pupil who left only when they held a role or spoke this year."""
    current = cooperative.active_pupils()
    left = [pupil for pupil in by_name(cooperative.pupils)
            if pupil.closed_at is not None and pupil.id in active_in_year]
    return {pupil.id: pupil for pupil in [*current, *left]}


def year_figures(cooperative: Cooperative, today: date) -> YearFigures:
    held = _roles_held(cooperative)
    turns = speakers.turns_over_year(cooperative)
    pupils = _pupils_in_figures(cooperative, {pupil_id for pupil_id, _role in held} | set(turns))
    roles = count.roles_by_pupil(list(pupils), held)
    return YearFigures(
        pupils=pupils,
        councils=len(db.session.scalars(_held_councils(cooperative)).all()),
        roles=roles,
        never_held=[pupil_id for pupil_id in count.never_held(roles) if pupils[pupil_id].closed_at is None],
        turns=count.turns_by_pupil(list(pupils), turns),
        messages=count.messages_by_month(cooperative.school_year, _messages_posted(cooperative)),
        decisions=_decision_standings(cooperative, today),
    )
