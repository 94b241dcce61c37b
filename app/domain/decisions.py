"""What a decision of the register may say: its wording, and a due date the class can keep (SPEC §8)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

MAX_TEXT = 1000  # the decision table's text column
MAX_REASON = 300
YEARS_AHEAD = 5  # a class decides for its school year, a school council for a few: further is a slip of the finger


def wording_problem(text: str) -> str | None:
    """None when text can be a decision's wording; else why not: empty_text or text_too_long."""
    cleaned = text.strip()
    if not cleaned:
        return "empty_text"
    return "text_too_long" if len(cleaned) > MAX_TEXT else None


def day_decided(decided_at: datetime, time_zone: str) -> date:
    """The day a decision was taken, in its school's time zone (a decision at 00:30 in Paris is not of the day
    before, as it is in UTC)."""
    return decided_at.astimezone(ZoneInfo(time_zone)).date()


def latest_due_date(decided_on: date) -> date:
    """The last day a decision taken on decided_on may be due: YEARS_AHEAD years later (28 February for a 29th)."""
    try:
        return decided_on.replace(year=decided_on.year + YEARS_AHEAD)
    except ValueError:  # 29 February, in a year that has none
        return date(decided_on.year + YEARS_AHEAD, 2, 28)


def due_date_problem(decided_on: date, due_on: date | None) -> str | None:
    """None when due_on may be the due date of a decision taken on decided_on; else due_before_decision or
    due_too_far. No due date is always allowed."""
    if due_on is None:
        return None
    if due_on < decided_on:
        return "due_before_decision"
    return "due_too_far" if due_on > latest_due_date(decided_on) else None
