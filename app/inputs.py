"""What any request may carry: ids in URLs within the database's range, and no NUL character anywhere.

An id no row can have (0, 2**31 and beyond, "٣", thousands of digits) matches no route and answers 404; a NUL
character, which PostgreSQL refuses to store, answers 400 before any view reads it. Both would otherwise be 500s.
"""

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map

from app.errors import abort_with
from app.request_values import MAX_ID, BadValue, parse_int


class IdConverter(IntegerConverter):
    """The <int:…> converter of every route."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, fixed_digits: int = 0, min: int = 1, max: int = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> int:
        try:
            return parse_int(value, self.min, self.max)
        except BadValue as error:
            # Not Werkzeug's ValidationError: where the path also takes another method, it would answer 405.
            raise NotFound() from error


def refuse_nul_characters() -> None:
    values = [value for _name, values in request.values.lists() for value in values]
    if "\x00" in request.path or any("\x00" in value for value in values):
        abort_with(400, _("What you sent contains an invisible character (NUL) that cannot be saved. Type the text "
                          "again rather than pasting it."))


def init_app(app: Flask) -> None:
    """Called before the blueprints are registered: Werkzeug picks a rule's converter when the rule is added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_characters)
