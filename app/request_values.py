"""Reading the integers and dates a request carries: ASCII digits only, within bounds, or a refusal that says why.

Pure functions: the URL converter, the form fields and the views turn a BadValue into a 4xx with a sentence.
"""

import re
from datetime import date

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL (SQLite would take up to 2**63 - 1)
FIRST_DAY = date(2000, 1, 1)  # school years run from 2000 to 2200 (the cooperative table's check constraint)
LAST_DAY = date(2200, 12, 31)
MAX_DIGITS = 12  # more than any id or count needs
LARGEST = 10**MAX_DIGITS - 1
_INTEGER = re.compile(r"-?[0-9]+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPACES = " \t\r\n"


class BadValue(ValueError):
    """A value that is not what the request should carry; code says which way it is wrong."""

    def __init__(self, code: str) -> None:  # not_a_number, out_of_range, not_a_date
        super().__init__(code)
        self.code = code


def parse_int(text: object, lowest: int, highest: int) -> int:
    """An integer written with ASCII digits (and a leading minus), between lowest and highest included.

    Spaces around it are forgiven, as a browser's number field would; "²", "٣", "1e3" or "1_000" are not numbers.
    """
    written = text.strip(_SPACES) if isinstance(text, str) else ""
    if not _INTEGER.fullmatch(written):
        raise BadValue("not_a_number")
    if len(written.lstrip("-").lstrip("0")) > MAX_DIGITS:  # never in bounds, and slow for int() when thousands long
        raise BadValue("out_of_range")
    value = int(written)
    if not lowest <= value <= highest:
        raise BadValue("out_of_range")
    return value


def parse_id(text: object) -> int:
    """A database id: an integer from 1 to the largest id a column can hold."""
    return parse_int(text, 1, MAX_ID)


def is_id(value: object) -> bool:
    """Whether an integer could be an id (for values some other code already read as integers)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def parse_day(text: object, first: date = FIRST_DAY, last: date = LAST_DAY) -> date:
    """A calendar day written YYYY-MM-DD (as a browser's date field sends it), between first and last."""
    if not isinstance(text, str) or not _DAY.fullmatch(text.strip(_SPACES)):
        raise BadValue("not_a_date")
    try:
        day = date.fromisoformat(text.strip(_SPACES))
    except ValueError as error:  # 2026-02-30
        raise BadValue("not_a_date") from error
    if not first <= day <= last:
        raise BadValue("out_of_range")
    return day
