"""School years run from 1 September to 31 August, in the school's own time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def school_year_of(day: date) -> int:
    """The year the school year containing day started in (2026 for 2026–2027)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_end(school_year: int, timezone: str) -> datetime:
    """The first instant after the school year, as an aware UTC datetime."""
    return datetime(school_year + 1, 9, 1, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def school_year_start(school_year: int, timezone: str) -> datetime:
    return datetime(school_year, 9, 1, tzinfo=ZoneInfo(timezone)).astimezone(UTC)
