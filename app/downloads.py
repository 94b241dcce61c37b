"""Files people download (CSV tables for a spreadsheet, JSON data), and answers no browser or proxy may keep.

Every CSV export is written here, the same way: UTF-8 with a byte-order mark (so Excel reads accents), semicolons
between columns where the comma is the decimal sign (French) and commas elsewhere (English), and no cell a
spreadsheet would run as a formula. Free text is always text, even "-3": only figures the exports compute
themselves are passed as Number, so that a spreadsheet can add them up.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import wraps

from babel.numbers import get_decimal_symbol
from flask import Response, make_response
from flask_babel import get_locale

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"  # a leading apostrophe makes a spreadsheet read the rest of the cell as text
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


@dataclass(frozen=True)
class Number:
    """A figure already written in the reader's language ("12,50", "-3"): it is written as it is, so a spreadsheet
    reads a number it can add up. A minus sign before digits starts no formula; text given as a Number that is not
    such a plain number is treated as any other text."""

    text: str


Cell = str | Number


def spreadsheet_cell(value: Cell) -> str:
    """The cell as written to the file: text that would start a formula (=, +, -, @, tab, carriage return) gets an
    apostrophe in front, so the spreadsheet shows it instead of running it; every other text is left unchanged."""
    if isinstance(value, Number):
        if _PLAIN_NUMBER.fullmatch(value.text):
            return value.text
        value = value.text
    return NEUTRALISER + value if value.startswith(FORMULA_STARTS) else value


def delimiter_for(locale) -> str:
    """Semicolons where the comma is the decimal sign (French), so "12,50" stays one cell; commas elsewhere."""
    return ";" if get_decimal_symbol(locale) == "," else ","


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([spreadsheet_cell(str(title)) for title in header])
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def uncached(response: Response) -> Response:
    """Neither the browser (a shared computer's Back button) nor a proxy keeps this answer."""
    response.headers["Cache-Control"] = "no-store"
    return response


def no_store(view):
    """For a page that shows what must not stay in a cache: pupils' picture codes, sign-in cards, pairing links."""

    @wraps(view)
    def uncached_view(**kwargs):
        return uncached(make_response(view(**kwargs)))

    return uncached_view


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    """A download: every export holds a class's own data, so none is ever cached."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return uncached(response)


def csv_download(header: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str) -> Response:
    """A CSV table in the reader's language's habits (see the module's docstring)."""
    body = csv_text(header, rows, delimiter_for(get_locale()))
    return _attachment(body.encode("utf-8-sig"), "text/csv; charset=utf-8", filename)


def json_download(data, filename: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return _attachment(body.encode("utf-8"), "application/json", filename)
