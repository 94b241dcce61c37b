"""The speakers queue of an assembly: asking to speak, cancelling, giving the floor to the next, speaking counts."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.domain import assemblies as rules
from app.domain.assemblies import RuleBroken, Waiting
from app.domain.collation import name_key
from app.domain.school_year import school_year_end, school_year_start
from app.extensions import db
from app.models import Assembly, Cooperative, Pupil, Speaker


def _rows(assembly: Assembly) -> list[Speaker]:
    query = select(Speaker).where(Speaker.assembly_id == assembly.id).options(joinedload(Speaker.pupil))
    return list(db.session.scalars(query))


def _row(assembly: Assembly, pupil: Pupil) -> Speaker | None:
    query = select(Speaker).where(Speaker.assembly_id == assembly.id, Speaker.pupil_id == pupil.id)
    return db.session.scalar(query)


def turns_over_year(cooperative: Cooperative, exclude: Assembly | None = None,
                    pupil_ids: set[int] | None = None) -> dict[int, int]:
    """How many turns each pupil had in the councils of the class's school year (but the excluded one)."""
    timezone = cooperative.school.timezone
    query = (select(Speaker.pupil_id, func.sum(Speaker.spoken))
             .join(Assembly, Assembly.id == Speaker.assembly_id)
             .where(Assembly.cooperative_id == cooperative.id,
                    Assembly.starts_at >= school_year_start(cooperative.school_year, timezone),
                    Assembly.starts_at < school_year_end(cooperative.school_year, timezone))
             .group_by(Speaker.pupil_id))
    if exclude is not None:
        query = query.where(Assembly.id != exclude.id)
    if pupil_ids is not None:
        query = query.where(Speaker.pupil_id.in_(pupil_ids))
    return {pupil_id: int(turns or 0) for pupil_id, turns in db.session.execute(query)}


def queue(assembly: Assembly) -> list[Speaker]:
    """Who waits to speak, in the order they will speak: those who spoke least over the school year first."""
    waiting = {row.pupil_id: row for row in _rows(assembly) if row.asked_at is not None}
    earlier = turns_over_year(assembly.cooperative, exclude=assembly, pupil_ids=set(waiting)) if waiting else {}
    entries = [Waiting(row.pupil_id, row.spoken, row.asked_at, earlier.get(row.pupil_id, 0))
               for row in waiting.values()]
    return [waiting[entry.pupil_id] for entry in rules.queue_order(entries)]


def place_in_queue(waiting: list[Speaker], pupil: Pupil) -> int | None:
    """The pupil's place in the queue (1: speaks next); None when not waiting."""
    for place, row in enumerate(waiting, start=1):
        if row.pupil_id == pupil.id:
            return place
    return None


def _row_for(assembly: Assembly, pupil: Pupil) -> Speaker:
    """The pupil's row, created once: two taps on two workers meet the unique (assembly, pupil)."""
    row = _row(assembly, pupil)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = Speaker(assembly_id=assembly.id, pupil_id=pupil.id)
            db.session.add(row)
    except IntegrityError:
        row = _row(assembly, pupil)
    return row


def ask_to_speak(assembly: Assembly, pupil: Pupil, now: datetime) -> None:
    rules.require_in_session(assembly.status)
    row = _row_for(assembly, pupil)
    if row.asked_at is not None:
        raise RuleBroken("already_asked")
    row.asked_at = now
    assembly.touch()


def cancel(assembly: Assembly, pupil: Pupil) -> None:
    rules.require_in_session(assembly.status)
    row = _row(assembly, pupil)
    if row is None or row.asked_at is None:
        raise RuleBroken("not_in_queue")
    row.asked_at = None
    assembly.touch()


def call_next(assembly: Assembly) -> Pupil | None:
    """The floor goes to the first in the queue; with nobody waiting, the current speaker's turn simply ends."""
    rules.require_in_session(assembly.status)
    waiting = queue(assembly)
    if not waiting and assembly.speaker_id is None:
        raise RuleBroken("queue_empty")
    chosen = waiting[0] if waiting else None
    if chosen is not None:
        chosen.asked_at, chosen.spoken = None, chosen.spoken + 1
    assembly.speaker = chosen.pupil if chosen else None
    assembly.touch()
    return assembly.speaker


def empty_queue(assembly: Assembly) -> None:
    for row in _rows(assembly):
        row.asked_at = None


def spoken_counts(assembly: Assembly) -> dict[int, int]:
    return {row.pupil_id: row.spoken for row in _rows(assembly)}


def speakers_by_turns(assembly: Assembly) -> list[Speaker]:
    rows = [row for row in _rows(assembly) if row.spoken > 0]
    return sorted(rows, key=lambda row: (-row.spoken, name_key(row.pupil)))


def participation(assembly: Assembly) -> tuple[int, int]:
    """(how many different pupils spoke, how many turns in all)."""
    return rules.participation(spoken_counts(assembly))
