"""The class's year in figures: who held which council role, speaking turns, messages per month, how decisions
were kept. Counting only: no ballot and no poll's choice ever reaches these functions."""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

ROLES = ("chair", "secretary", "timekeeper", "speaker_giver", "treasurer", "teller")
MESSAGE_KINDS = ("congratulate", "criticise", "wish", "propose", "amend")
STANDINGS = ("on_time", "late", "overdue", "open", "dropped")
TEACHING_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6)
SUMMER_MONTHS = (7, 8)


@dataclass(frozen=True)
class PupilRoles:
    pupil_id: int
    by_role: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_role.values())


def roles_by_pupil(pupil_ids: Sequence[int], held: Iterable[tuple[int, str]]) -> list[PupilRoles]:
    """One row per pupil, in the order given, with how often they held each role (one (pupil, role) per seat)."""
    counts = Counter(held)
    return [PupilRoles(pupil_id, {role: counts[(pupil_id, role)] for role in ROLES}) for pupil_id in pupil_ids]


def never_held(rows: Iterable[PupilRoles]) -> list[int]:
    return [row.pupil_id for row in rows if row.total == 0]


def turns_by_pupil(pupil_ids: Sequence[int], turns: dict[int, int]) -> list[tuple[int, int]]:
    """(pupil, turns over the year) for every pupil given, in that order, those who never spoke with 0."""
    return [(pupil_id, turns.get(pupil_id, 0)) for pupil_id in pupil_ids]


def months_of_year(school_year: int, posted_in: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(year, month) from September to June; July and August only when something was posted then."""
    summer = {month for _year, month in posted_in if month in SUMMER_MONTHS}
    months = [*TEACHING_MONTHS, *sorted(summer)]
    return [(school_year if month >= 9 else school_year + 1, month) for month in months]


def messages_by_month(school_year: int, posted: Iterable[tuple[date, str]]) -> dict[tuple[int, int], dict[str, int]]:
    """For each month of the school year, how many messages were posted in each column."""
    counts = Counter(((day.year, day.month), kind) for day, kind in posted)
    months = months_of_year(school_year, [month for month, _kind in counts])
    return {month: {kind: counts[(month, kind)] for kind in MESSAGE_KINDS} for month in months}


def standing(status: str, due_on: date | None, done_on: date | None, today: date) -> str:
    """How a decision was kept: done on time or late, still open and overdue, open (not due yet), or dropped.
    A decision done without a due date, or whose completion day is unknown, counts as done on time."""
    if status == "dropped":
        return "dropped"
    if status == "done":
        return "late" if due_on and done_on and done_on > due_on else "on_time"
    return "overdue" if due_on and due_on < today else "open"


def count_standings(standings: Iterable[str]) -> dict[str, int]:
    counts = Counter(standings)
    return {name: counts[name] for name in STANDINGS}
