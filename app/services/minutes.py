"""Minutes of an assembly: attendance, the secretary's text and the outcomes, validation that freezes them all."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain import assemblies as rules
from app.domain.assemblies import RuleBroken
from app.domain.collation import by_name
from app.extensions import db
from app.models import AgendaItem, Assembly, AssemblyRole, Attendance, Message, Pupil, User
from app.services import assemblies, speakers
from app.services.minutes_outcomes import CouncilOutcomes, outcomes_of


def _editable(assembly: Assembly) -> None:
    if assembly.minutes_frozen:
        raise RuleBroken("minutes_frozen")
    if assembly.status == rules.PLANNED:
        raise RuleBroken("not_started")


def present_ids(assembly: Assembly) -> set[int]:
    return set(db.session.scalars(select(Attendance.pupil_id).where(Attendance.assembly_id == assembly.id)))


def record_attendance(assembly: Assembly, pupil_ids: set[int]) -> None:
    """The pupils the educator ticked as present, and no one else."""
    _editable(assembly)
    if not pupil_ids <= {pupil.id for pupil in assembly.cooperative.pupils}:
        raise RuleBroken("not_a_member")
    present = present_ids(assembly)
    for pupil_id in present - pupil_ids:
        db.session.delete(db.session.get(Attendance, (assembly.id, pupil_id)))
    db.session.add_all(Attendance(assembly_id=assembly.id, pupil_id=pupil_id) for pupil_id in pupil_ids - present)
    db.session.flush()


def write_minutes(assembly: Assembly, text: str, outcomes: dict[int, str | None]) -> None:
    """The secretary's free text and what came out of each item; checked whole before anything is written."""
    _editable(assembly)
    cleaned = rules.clean_long_text(text)
    checked = {item_id: rules.optional_text(outcome) for item_id, outcome in outcomes.items()}
    assembly.minutes_text = cleaned
    for item in assembly.items:
        if item.id in checked:
            item.outcome = checked[item.id]


def validate_minutes(assembly: Assembly, educator: User, now: datetime) -> None:
    _editable(assembly)
    if assembly.status != rules.CLOSED:
        raise RuleBroken("close_first")
    assembly.minutes_validated_at, assembly.minutes_validated_by = now, educator


def awaiting_secretary(pupil: Pupil) -> list[Assembly]:
    """Assemblies this pupil was secretary of whose minutes are not validated yet."""
    query = (select(Assembly).join(AssemblyRole, AssemblyRole.assembly_id == Assembly.id)
             .where(AssemblyRole.pupil_id == pupil.id, AssemblyRole.role == "secretary",
                    Assembly.status != rules.PLANNED, Assembly.minutes_validated_at.is_(None))
             .order_by(Assembly.starts_at))
    return list(db.session.scalars(query))


@dataclass
class Minutes:
    """Everything the minutes show, drafted from what happened."""

    assembly: Assembly
    present: list[Pupil]
    absent: list[Pupil]
    roles: list[tuple[str, Pupil]]
    items: list[AgendaItem]
    votes: dict[int, list[Message]]
    speakers: list
    different_speakers: int
    turns: int
    outcomes: CouncilOutcomes
    signatories: list[tuple[str, str]]


def minutes_of(assembly: Assembly) -> Minutes:
    present = present_ids(assembly)
    pupils = by_name(pupil for pupil in assembly.cooperative.pupils if pupil.id in present or pupil.closed_at is None)
    different, turns = speakers.participation(assembly)
    return Minutes(
        assembly=assembly,
        present=[pupil for pupil in pupils if pupil.id in present],
        absent=[pupil for pupil in pupils if pupil.id not in present],
        roles=[(held.role, held.pupil) for held in sorted(assembly.roles, key=_seat_order)],
        items=list(assembly.items),
        votes=assemblies.votes_by_item(assembly),
        speakers=speakers.speakers_by_turns(assembly),
        different_speakers=different,
        turns=turns,
        outcomes=outcomes_of(assembly),
        signatories=signatories(assembly),
    )


def signatories(assembly: Assembly) -> list[tuple[str, str]]:
    """Who signs the printed minutes, as (role, name): the chair, the secretary, the educator; a name left empty
    is written by hand."""
    chair, secretary = assemblies.holder(assembly, "chair"), assemblies.holder(assembly, "secretary")
    educator = assembly.minutes_validated_by or next(iter(assembly.cooperative.educators), None)
    return [("chair", chair.display_name if chair else ""), ("secretary", secretary.display_name if secretary else ""),
            ("educator", educator.display_name if educator else "")]


def _seat_order(held) -> int:
    return rules.SEATS.index((held.role, held.seat))
