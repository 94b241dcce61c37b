"""Reading a pupil's choice from the booth's form, for each kind of ballot."""

from werkzeug.datastructures import MultiDict

from app.domain import ballot_box
from app.domain.ballot_box import InvalidBallot
from app.request_values import BadValue, parse_int


def _grades(form: MultiDict, keys: list[str]) -> dict[str, int]:
    grades = {}
    for key in keys:
        try:
            grades[key] = parse_int(form.get(f"grade-{key}", ""), 0, ballot_box.GRADE_COUNT - 1)
        except BadValue as error:
            raise InvalidBallot("every candidate needs one of the grades") from error
    return grades


def grades_given(form: MultiDict, keys: list[str]) -> dict[str, int]:
    """The grades a pupil did give, when some are missing: the booth shows them again instead of starting over."""
    given = {}
    for key in keys:
        try:
            given[key] = parse_int(form.get(f"grade-{key}", ""), 0, ballot_box.GRADE_COUNT - 1)
        except BadValue:
            continue
    return given


def _ranking(form: MultiDict, keys: list[str]) -> list[list[str]]:
    ranks: dict[int, list[str]] = {}
    for key in keys:
        value = form.get(f"rank-{key}", "")
        if not value:
            continue
        try:
            ranks.setdefault(parse_int(value, 1, len(keys)), []).append(key)
        except BadValue as error:
            raise InvalidBallot("a rank is a number from 1 to the number of candidates") from error
    return [ranks[rank] for rank in sorted(ranks)]


def choice_from_form(kind: str, form: MultiDict, keys: list[str]) -> object:
    """The raw choice; ballot_box.validate_choice then checks it against the poll's options."""
    if form.get("blank") == "1":
        return ballot_box.BLANK
    if kind in (ballot_box.MOTION, ballot_box.SINGLE):
        return form.get("choice", "")
    if kind == ballot_box.APPROVAL:
        return form.getlist("approve")
    if kind == ballot_box.GRADES:
        return _grades(form, keys)
    return _ranking(form, keys) or ballot_box.BLANK


def choice_as_fields(kind: str, choice: object) -> list[tuple[str, str]]:
    """The hidden fields that carry a confirmed choice to the cast step."""
    if choice == ballot_box.BLANK:
        return [("blank", "1")]
    if kind in (ballot_box.MOTION, ballot_box.SINGLE):
        return [("choice", str(choice))]
    if kind == ballot_box.APPROVAL:
        return [("approve", key) for key in choice] or [("blank", "1")]
    if kind == ballot_box.GRADES:
        return [(f"grade-{key}", str(grade)) for key, grade in choice.items()]
    return [(f"rank-{key}", str(rank)) for rank, tier in enumerate(choice, start=1) for key in tier]
