"""Reading a class roster typed, pasted or imported from CSV, reporting every bad row and importing none."""

import csv
import io
import re
from dataclasses import dataclass

from app.request_values import BadValue, parse_int

MAX_CLASS_SIZE = 200  # pupils ever in a class, closed accounts included (their picture codes stay taken)
MAX_FIRST_NAME = 40
MAX_INITIAL = 3
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[-' ’][^\W\d_]+)*$")
FIRST_NAME_HEADERS = {"first_name", "firstname", "first name", "prénom", "prenom"}
LAST_NAME_HEADERS = {"last_name", "lastname", "last name", "surname", "nom", "nom de famille"}
BIRTH_YEAR_HEADERS = {"birth_year", "birth year", "année de naissance", "annee de naissance", "année", "annee"}


@dataclass(frozen=True)
class RosterRow:
    first_name: str
    initial: str
    birth_year: int | None = None
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.first_name.casefold(), self.initial.casefold())


@dataclass(frozen=True)
class RosterError:
    line: int
    # empty_name, too_long, bad_characters, duplicate, bad_birth_year, bad_file, bad_csv, missing_column, too_many
    code: str
    text: str = ""


def _initial_of(last_name: str) -> str:
    letters = last_name.strip().rstrip(".")
    return letters[:1].upper() if len(letters) > MAX_INITIAL or " " in letters else letters.upper()


def _row_from_parts(line: int, first: str, last: str, year_text: str = "") -> RosterRow | RosterError:
    first, last, year_text = first.strip(), last.strip(), year_text.strip()
    if not first:
        return RosterError(line, "empty_name", last)
    if len(first) > MAX_FIRST_NAME or len(last) > 80:
        return RosterError(line, "too_long", first[:50])
    if not NAME_PATTERN.match(first) or (last and not NAME_PATTERN.match(last.rstrip("."))):
        return RosterError(line, "bad_characters", f"{first} {last}".strip())
    try:
        birth_year = parse_int(year_text, 1990, 2100) if year_text else None
    except BadValue:
        return RosterError(line, "bad_birth_year", year_text[:20])
    return RosterRow(first[0].upper() + first[1:], _initial_of(last) if last else "", birth_year, line)


def parse_typed_names(text: str) -> list[RosterRow | RosterError]:
    """One pupil a line: a first name, then optionally a last name or initial (spaces or tabs between)."""
    results: list[RosterRow | RosterError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        first, *rest = line.split(None, 1)
        results.append(_row_from_parts(number, first, " ".join(rest)))
    return results


def _column(headers: list[str], names: set[str]) -> int | None:
    for index, header in enumerate(headers):
        if header.strip().casefold() in names:
            return index
    return None


def parse_csv(data: bytes) -> list[RosterRow | RosterError]:
    """A CSV export with a header row naming the first-name column (last name and birth year optional)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [RosterError(0, "bad_file")]
    try:
        delimiter = ";" if text.count(";") > text.count(",") else ","
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return [RosterError(0, "bad_csv")]
    if not rows:
        return [RosterError(0, "missing_column")]
    first_col = _column(rows[0], FIRST_NAME_HEADERS)
    if first_col is None:
        return [RosterError(1, "missing_column", ", ".join(rows[0])[:80])]
    last_col, year_col = _column(rows[0], LAST_NAME_HEADERS), _column(rows[0], BIRTH_YEAR_HEADERS)
    results: list[RosterRow | RosterError] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda col: row[col] if col is not None and col < len(row) else ""  # noqa: E731, B023
        results.append(_row_from_parts(number, cell(first_col), cell(last_col), cell(year_col)))
    return results


def check_roster(
    parsed: list[RosterRow | RosterError], existing: set[tuple[str, str]]
) -> tuple[list[RosterRow], list[RosterError]]:
    """Rows to import and the errors; duplicates within the list or with the class are errors too, and a list
    that would make the class larger than MAX_CLASS_SIZE is refused whole (one error, not one per line)."""
    if len(existing) + len(parsed) > MAX_CLASS_SIZE:
        return [], [RosterError(0, "too_many", str(len(existing) + len(parsed)))]
    rows: list[RosterRow] = []
    errors: list[RosterError] = []
    seen = {(first.casefold(), initial.casefold()) for first, initial in existing}
    for item in parsed:
        if isinstance(item, RosterError):
            errors.append(item)
        elif item.key in seen:
            errors.append(RosterError(item.line, "duplicate", f"{item.first_name} {item.initial}".strip()))
        else:
            seen.add(item.key)
            rows.append(item)
    return rows, errors

