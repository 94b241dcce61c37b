"""Assemblies: planning with an agenda in the council's order, editing it until the session opens, roles, the
lifecycle (planned → in session → closed), moving through the items, and the version the boards follow.

Every change a board or a tablet shows calls assembly.touch() in the same transaction. Nothing here commits.
"""

from datetime import datetime

from sqlalchemy import func, select

from app.domain import assemblies as rules
from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.models import AgendaItem, Assembly, AssemblyRole, Cooperative, Message, Pupil
from app.services import messages, register, speakers

MAX_TITLE = 200


def follow_up_items(cooperative: Cooperative) -> list[str]:
    """The earlier decisions to follow up, first on every agenda (§5): every decision not yet done or dropped."""
    return [decision.text[:MAX_TITLE] for decision in register.open_decisions(cooperative)]


def board_version(assembly: Assembly) -> str:
    """What a board or a tablet compares to know whether anything changed; read from the assembly row alone.

    The polls work may append the participation of the poll in progress here.
    """
    return str(assembly.version)


def tablet_version(assembly: Assembly | None) -> str:
    """What a pupil's tablet compares: which assembly of the class is in session, and its board version."""
    return f"{assembly.id}.{board_version(assembly)}" if assembly is not None else "none"


# Planning and the agenda -------------------------------------------------------------------------------------------

def plan_assembly(cooperative: Cooperative, starts_at: datetime, place: str, now: datetime) -> Assembly:
    """A new assembly with its agenda built in the council's order and roles suggested by rotation."""
    assembly = Assembly(cooperative=cooperative, starts_at=starts_at, place=place.strip(), created_at=now)
    drafts = rules.build_agenda(follow_up_items(cooperative), messages.waiting_for_agenda(cooperative))
    assembly.items = [AgendaItem(position=index, section=draft.section, title=draft.title,
                                 message_id=draft.message_id, minutes=draft.minutes)
                      for index, draft in enumerate(drafts)]
    db.session.add(assembly)
    db.session.flush()
    set_roles(assembly, suggested_roles(assembly))
    return assembly


def _editable(assembly: Assembly) -> None:
    if not rules.agenda_is_editable(assembly.status):
        raise RuleBroken("agenda_frozen")


def _renumber(assembly: Assembly, items: list[AgendaItem]) -> None:
    """Positions 0..n-1 in the given order, in two steps so the unique (assembly, position) never clashes."""
    assembly.items = items
    for index, item in enumerate(items):
        item.position = -(index + 1)
    db.session.flush()
    for index, item in enumerate(items):
        item.position = index
    assembly.touch()
    db.session.flush()


def _insert(assembly: Assembly, item: AgendaItem) -> AgendaItem:
    index = rules.insertion_index([other.section for other in assembly.items], item.section)
    _renumber(assembly, [*assembly.items[:index], item, *assembly.items[index:]])
    return item


def add_free_item(assembly: Assembly, title: str, minutes: int) -> AgendaItem:
    _editable(assembly)
    title = rules.clean_text(title, MAX_TITLE)
    return _insert(assembly, AgendaItem(section="free", title=title, minutes=minutes))


def add_message_item(assembly: Assembly, message: Message) -> AgendaItem:
    """Puts an approved message that is on no agenda yet in its section."""
    _editable(assembly)
    waiting = {entry.id for entry in messages.waiting_for_agenda(assembly.cooperative)}
    if message.id not in waiting:
        raise RuleBroken("not_waiting")
    section = rules.SECTION_OF_KIND[message.kind]
    return _insert(assembly, AgendaItem(section=section, message=message, minutes=rules.DEFAULT_MINUTES[section]))


def remove_item(item: AgendaItem) -> None:
    """The item leaves the agenda; a message goes back to wait for the next assembly."""
    assembly = item.assembly
    _editable(assembly)
    _renumber(assembly, [other for other in assembly.items if other.id != item.id])


def move_item(item: AgendaItem, delta: int) -> None:
    assembly = item.assembly
    _editable(assembly)
    order = rules.move([other.section for other in assembly.items], assembly.items.index(item), delta)
    _renumber(assembly, [assembly.items[index] for index in order])


def waiting_messages(assembly: Assembly) -> list[Message]:
    return messages.waiting_messages(assembly.cooperative) if assembly.status == rules.PLANNED else []


# Roles -------------------------------------------------------------------------------------------------------------

def roles_held(cooperative: Cooperative, exclude: Assembly | None = None) -> dict[tuple[int, str], int]:
    """How many times each pupil has held each role in the class's other assemblies."""
    query = (select(AssemblyRole.pupil_id, AssemblyRole.role, func.count())
             .join(Assembly, Assembly.id == AssemblyRole.assembly_id)
             .where(Assembly.cooperative_id == cooperative.id).group_by(AssemblyRole.pupil_id, AssemblyRole.role))
    if exclude is not None:
        query = query.where(Assembly.id != exclude.id)
    return {(pupil_id, role): count for pupil_id, role, count in db.session.execute(query)}


def suggested_roles(assembly: Assembly) -> dict[tuple[str, int], int]:
    pupils = [pupil.id for pupil in assembly.cooperative.active_pupils()]
    by_role = roles_held(assembly.cooperative, exclude=assembly)
    totals: dict[int, int] = {}
    for (pupil_id, _role), count in by_role.items():
        totals[pupil_id] = totals.get(pupil_id, 0) + count
    return rules.suggest_roles(pupils, totals, by_role)


def set_roles(assembly: Assembly, chosen: dict[tuple[str, int], int | None]) -> None:
    """Who holds each seat; changed in place so the unique (assembly, role, seat) holds at every step."""
    if assembly.status == rules.CLOSED:
        raise RuleBroken("assembly_closed")
    members = {pupil.id for pupil in assembly.cooperative.active_pupils()}
    if any(pupil_id is not None and pupil_id not in members for pupil_id in chosen.values()):
        raise RuleBroken("not_a_member")
    held = {(role.role, role.seat): role for role in assembly.roles}
    for seat in rules.SEATS:
        _fill_seat(assembly, held.get(seat), seat, chosen.get(seat))
    assembly.touch()
    db.session.flush()


def _fill_seat(assembly: Assembly, current: AssemblyRole | None, seat: tuple[str, int], pupil_id: int | None):
    if current is not None and pupil_id is None:
        assembly.roles.remove(current)
        db.session.delete(current)
    elif current is not None:
        current.pupil_id = pupil_id
    elif pupil_id is not None:
        assembly.roles.append(AssemblyRole(role=seat[0], seat=seat[1], pupil_id=pupil_id))


def holder(assembly: Assembly, role: str, seat: int = 1) -> Pupil | None:
    found = [held.pupil for held in assembly.roles if (held.role, held.seat) == (role, seat)]
    return found[0] if found else None


def set_chair_runs_board(assembly: Assembly, allowed: bool) -> None:
    if assembly.status == rules.CLOSED:
        raise RuleBroken("assembly_closed")
    assembly.chair_runs_board = allowed
    assembly.touch()


# Lifecycle ---------------------------------------------------------------------------------------------------------

def in_session(cooperative_id: int) -> Assembly | None:
    """The class's assembly in session, if any: one indexed SELECT."""
    query = select(Assembly).where(Assembly.cooperative_id == cooperative_id, Assembly.status == rules.IN_SESSION)
    return db.session.scalars(query.limit(1)).first()


def open_assembly(assembly: Assembly, now: datetime) -> None:
    rules.check_transition(assembly.status, rules.IN_SESSION)
    if in_session(assembly.cooperative_id) is not None:
        raise RuleBroken("another_in_session")
    assembly.status, assembly.opened_at = rules.IN_SESSION, now
    if assembly.items:
        _start_item(assembly, 0, now)
    assembly.touch()


def close_assembly(assembly: Assembly, now: datetime) -> None:
    rules.check_transition(assembly.status, rules.CLOSED)
    item = assembly.current_item
    if item is not None and item.done_at is None:
        item.done_at = now
    assembly.status, assembly.closed_at = rules.CLOSED, now
    assembly.current_position = assembly.item_started_at = assembly.speaker_id = None
    speakers.empty_queue(assembly)
    assembly.touch()


def advance(assembly: Assembly, delta: int, now: datetime) -> AgendaItem:
    """To the next item (delta 1) or back to the previous one (delta -1); only in session."""
    rules.require_in_session(assembly.status)
    target = rules.next_position(assembly.current_position, len(assembly.items), delta)
    current = assembly.current_item
    if current is not None and delta > 0:
        current.done_at = now
    _start_item(assembly, target, now)
    assembly.touch()
    return assembly.items[target]


def _start_item(assembly: Assembly, position: int, now: datetime) -> None:
    item = assembly.items[position]
    item.started_at, item.done_at = now, None
    assembly.current_position, assembly.item_started_at = position, now


def class_assemblies(cooperative: Cooperative) -> list[Assembly]:
    query = select(Assembly).where(Assembly.cooperative_id == cooperative.id)
    return list(db.session.scalars(query.order_by(Assembly.starts_at.desc())))


def votes_of(item: AgendaItem | None) -> list[Message]:
    """The order of votes on a proposal item: each approved amendment first, then the proposal as amended (§4).
    Empty when there is nothing to order (no proposal, or no amendment)."""
    if item is None or item.message_id is None or item.section != "proposals":
        return []
    amendments = messages.amendments_of(item.message)
    return rules.vote_order(item.message, amendments) if amendments else []


def votes_by_item(assembly: Assembly) -> dict[int, list[Message]]:
    return {item.id: votes_of(item) for item in assembly.items if item.section == "proposals"}
