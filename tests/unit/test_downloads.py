"""The CSV writer every export uses: no cell starts a formula, no text is lost, numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.downloads import NEUTRALISER, Number, csv_text, delimiter_for, spreadsheet_cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets run as a formula, or skip to find one
texts = st.text(alphabet=st.characters(exclude_categories=("Cs",)))
risky_texts = st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), texts)


def recovered(cell: str) -> str:
    """The text as it was, once the neutralising apostrophe is taken off."""
    neutralised = cell.startswith(NEUTRALISER) and cell[len(NEUTRALISER):].startswith(FORMULA_STARTS)
    return cell[len(NEUTRALISER):] if neutralised else cell


@given(texts | risky_texts)
def test_no_text_starts_a_formula_and_none_is_lost(text):
    cell = spreadsheet_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert recovered(cell) == text


@given(texts | risky_texts)
def test_text_given_as_a_number_is_still_neutralised(text):
    assert not spreadsheet_cell(Number(text)).startswith(FORMULA_STARTS)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([".", ","]))
def test_numbers_are_written_as_numbers_even_below_zero(amount: Decimal, decimal_sign: str):
    written = f"{amount:.2f}".replace(".", decimal_sign)
    assert spreadsheet_cell(Number(written)) == written


@pytest.mark.parametrize("text", ["-1+2", "-1e5", "+12", "- 3", "-", "-12,50 €", "=12"])
def test_only_a_plain_number_escapes_the_neutraliser(text):
    assert spreadsheet_cell(Number(text)) == NEUTRALISER + text


@given(st.lists(st.lists(texts | risky_texts, min_size=3, max_size=3), max_size=5), st.sampled_from([",", ";"]))
def test_every_row_reads_back_cell_for_cell(rows, delimiter):
    written = csv_text(["A", "B", "C"], rows, delimiter)
    header, *read = csv.reader(io.StringIO(written, newline=""), delimiter=delimiter)
    assert header == ["A", "B", "C"]
    assert read == [[spreadsheet_cell(cell) for cell in row] for row in rows]


def test_semicolons_where_the_comma_is_the_decimal_sign():
    assert delimiter_for("fr") == ";" and delimiter_for("fr_CA") == ";"
    assert delimiter_for("en") == "," and delimiter_for("en_GB") == ","
