"""The rules of the class council: lifecycle, the agenda's order, the speakers queue, role rotation, texts."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

PLANNED, IN_SESSION, CLOSED = "planned", "in_session", "closed"
STATUSES = (PLANNED, IN_SESSION, CLOSED)
TRANSITIONS = {PLANNED: (IN_SESSION,), IN_SESSION: (CLOSED,), CLOSED: ()}

# The council's order (§5): follow-up first, always; the closing re-reading last.
SECTIONS = ("follow_up", "news", "congratulations", "criticisms", "wishes", "proposals", "elections", "treasury",
            "closing", "free")
SECTION_OF_KIND = {"congratulate": "congratulations", "criticise": "criticisms", "wish": "wishes",
                   "propose": "proposals"}
DEFAULT_MINUTES = {"follow_up": 3, "news": 5, "congratulations": 2, "criticisms": 3, "wishes": 2, "proposals": 5,
                   "elections": 10, "treasury": 5, "closing": 5, "free": 5}
FIXED_SECTIONS = ("news", "elections", "treasury", "closing")  # one item each, put there at planning time

ROLES = ("chair", "secretary", "timekeeper", "speaker_giver", "treasurer", "teller")
SEATS = (("chair", 1), ("secretary", 1), ("timekeeper", 1), ("speaker_giver", 1), ("treasurer", 1), ("teller", 1),
         ("teller", 2))

MESSAGE_KINDS = ("congratulate", "criticise", "wish", "propose")
MAX_TEXT = 280
MAX_MINUTES_TEXT = 5000
_TAG = re.compile(r"<\s*[a-zA-Z/!?]|&[#a-zA-Z0-9]+;")


class RuleBroken(Exception):
    """An action the rules refuse; code names the rule for the sentence shown to the user."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Lifecycle ---------------------------------------------------------------------------------------------------------

def check_transition(current: str, target: str) -> None:
    """planned → in session → closed, one step at a time, never back."""
    if target not in TRANSITIONS.get(current, ()):
        raise RuleBroken(f"cannot_{target}")


def agenda_is_editable(status: str) -> bool:
    return status == PLANNED


def require_in_session(status: str) -> None:
    if status != IN_SESSION:
        raise RuleBroken("not_in_session")


def local_to_utc(day: date, at: time, timezone: str) -> datetime:
    """A date and time read on the school's clock, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


# Texts -------------------------------------------------------------------------------------------------------------

def clean_text(text: str | None, limit: int = MAX_TEXT) -> str:
    """Plain text, trimmed, spaces collapsed; refused when empty, too long, or written as HTML."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise RuleBroken("empty_text")
    if len(cleaned) > limit:
        raise RuleBroken("text_too_long")
    if _TAG.search(cleaned):
        raise RuleBroken("html_in_text")
    return cleaned


def clean_long_text(text: str | None, limit: int = MAX_MINUTES_TEXT) -> str:
    """Plain text over several lines (the minutes): may be empty; refused when too long or written as HTML."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    cleaned = "\n".join(line.rstrip() for line in lines).strip()
    if len(cleaned) > limit:
        raise RuleBroken("text_too_long")
    if _TAG.search(cleaned):
        raise RuleBroken("html_in_text")
    return cleaned


def optional_text(text: str | None, limit: int = MAX_TEXT) -> str | None:
    return clean_text(text, limit) if (text or "").strip() else None


# Agenda ------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WaitingMessage:
    """An approved message of the box, as the agenda needs it."""

    id: int
    kind: str
    supports: int
    created_at: datetime


@dataclass(frozen=True)
class ItemDraft:
    section: str
    title: str = ""
    message_id: int | None = None
    minutes: int = 5


def proposals_by_support(messages: Iterable[WaitingMessage]) -> list[WaitingMessage]:
    """Most supported first; between equals, the one posted first."""
    return sorted(messages, key=lambda message: (-message.supports, message.created_at, message.id))


def _message_items(messages: Sequence[WaitingMessage], section: str) -> list[ItemDraft]:
    chosen = [message for message in messages if SECTION_OF_KIND[message.kind] == section]
    ordered = proposals_by_support(chosen) if section == "proposals" else sorted(chosen, key=_posted)
    return [ItemDraft(section, message_id=message.id, minutes=DEFAULT_MINUTES[section]) for message in ordered]


def _posted(message: WaitingMessage) -> tuple[datetime, int]:
    return message.created_at, message.id


def build_agenda(follow_ups: Sequence[str], messages: Sequence[WaitingMessage]) -> list[ItemDraft]:
    """The agenda of a new assembly, in the council's order (§5)."""
    items = [ItemDraft("follow_up", title, minutes=DEFAULT_MINUTES["follow_up"]) for title in follow_ups]
    for section in SECTIONS:
        if section in FIXED_SECTIONS:
            items.append(ItemDraft(section, minutes=DEFAULT_MINUTES[section]))
        elif section in SECTION_OF_KIND.values():
            items.extend(_message_items(messages, section))
    return items


def insertion_index(sections: Sequence[str], section: str) -> int:
    """Where an item of this section goes: after the last item of its section or of any section before it."""
    rank = SECTIONS.index(section)
    before = [index for index, other in enumerate(sections) if SECTIONS.index(other) <= rank and other != "free"]
    if section == "free":
        return _before_closing(sections)
    return before[-1] + 1 if before else 0


def _before_closing(sections: Sequence[str]) -> int:
    return sections.index("closing") if "closing" in sections else len(sections)


def move(sections: Sequence[str], index: int, delta: int) -> list[int]:
    """The new order (old indices) after moving one item up or down; follow-up stays first."""
    order = list(range(len(sections)))
    target = index + delta
    if not 0 <= index < len(sections) or not 0 <= target < len(sections):
        raise RuleBroken("cannot_move")
    if (sections[index] == "follow_up") != (sections[target] == "follow_up"):
        raise RuleBroken("follow_up_first")
    order[index], order[target] = order[target], order[index]
    return order


def vote_order(proposal: Any, amendments: Sequence[Any]) -> list[Any]:
    """The class votes on each amendment first (in the order they were posted), then on the proposal as amended."""
    return [*amendments, proposal]


def next_position(current: int | None, count: int, delta: int) -> int | None:
    """The item after (or before) the current one; None before the first item. Refused past either end."""
    start = -1 if current is None else current
    target = start + delta
    if not 0 <= target < count:
        raise RuleBroken("no_more_items" if delta > 0 else "no_previous_item")
    return target


# Speakers queue ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    """A pupil who asked to speak: how many times they already spoke in this assembly, when they asked, and how
    many turns they had in the school year's earlier councils."""

    pupil_id: int
    spoken: int
    asked_at: datetime
    spoken_earlier: int = 0

    @property
    def spoken_this_year(self) -> int:
        return self.spoken_earlier + self.spoken


def queue_order(waiting: Iterable[Waiting]) -> list[Waiting]:
    """Those who have spoken least over the school year first; between equals, those who have spoken least in
    this assembly, then whoever asked first."""
    return sorted(waiting, key=lambda entry: (entry.spoken_this_year, entry.spoken, entry.asked_at, entry.pupil_id))


def next_speaker(waiting: Iterable[Waiting]) -> Waiting | None:
    ordered = queue_order(waiting)
    return ordered[0] if ordered else None


def participation(spoken: dict[int, int]) -> tuple[int, int]:
    """(how many different pupils spoke, how many turns in all)."""
    return sum(1 for count in spoken.values() if count > 0), sum(spoken.values())


# Roles -------------------------------------------------------------------------------------------------------------

def suggest_roles(pupil_ids: Sequence[int], held: dict[int, int],
                  held_role: dict[tuple[int, str], int] | None = None) -> dict[tuple[str, int], int]:
    """One pupil per seat: those who have held a role least come first; between equals, the one who held this
    role least, then roster order. With fewer pupils than seats, the last seats stay empty (nobody holds two).
    """
    held_role = held_role or {}
    rank = {pupil_id: index for index, pupil_id in enumerate(pupil_ids)}
    remaining, suggestion = list(pupil_ids), {}
    for seat in SEATS[:len(pupil_ids)]:
        chosen = min(remaining, key=lambda pupil_id: (held.get(pupil_id, 0), held_role.get((pupil_id, seat[0]), 0),
                                                      rank[pupil_id]))
        remaining.remove(chosen)
        suggestion[seat] = chosen
    return suggestion
