"""Reading amounts of money: French and English habits, exact integer cents, clear refusals, never rounding."""

import ast
import pathlib
from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from app.domain import money
from app.domain.money import MAX_CENTS, MoneyError, parse_amount, to_decimal

LOCALES = ("en", "en_GB", "fr", "fr_FR", "fr_BE", "de_DE")
cents = st.integers(min_value=1, max_value=MAX_CENTS)


@pytest.mark.parametrize(("typed", "expected"), [
    ("12,50", 1250), ("12.50", 1250), ("12", 1200), ("1 234,50", 123450), ("1\u202f234,50", 123450),
    ("1\xa0234,50", 123450), ("1,234.50", 123450), ("1.234,50", 123450), ("12,5", 1250), ("0,05", 5), (".5", 50),
    ("€12.50", 1250), ("12,50 €", 1250), ("  7 ", 700), ("100 000,00", MAX_CENTS), ("0012", 1200),
])
def test_amounts_typed_the_french_or_the_english_way(typed, expected):
    assert parse_amount(typed) == expected


@pytest.mark.parametrize(("typed", "code"), [
    ("", "empty"), ("   ", "empty"), (None, "empty"), ("€", "empty"),
    ("-12", "negative"), ("\u221212", "negative"), ("- 3,00", "negative"),
    ("abc", "not_a_number"), ("12abc", "not_a_number"), ("1e3", "not_a_number"), ("12.", "not_a_number"),
    (",", "not_a_number"), ("12 50", "not_a_number"), ("1.234.50", "not_a_number"), ("12,5,0", "not_a_number"),
    ("+12", "not_a_number"), ("٣", "not_a_number"), ("NaN", "not_a_number"), ("inf", "not_a_number"),
    ("12,505", "too_many_decimals"), ("0.001", "too_many_decimals"), ("1,234", "too_many_decimals"),
    ("0", "zero"), ("0,00", "zero"),
    ("100000,01", "too_large"), ("1.234.567", "too_large"), ("9" * 5000, "too_large"),
])
def test_what_cannot_be_read_is_refused_with_a_reason(typed, code):
    with pytest.raises(MoneyError) as refused:
        parse_amount(typed)
    assert refused.value.code == code


@pytest.mark.parametrize(("typed", "expected"), [("0.29", 29), ("4.35", 435), ("1.15", 115), ("0,07", 7),
                                                 ("19.99", 1999), ("1 005,10", 100510)])
def test_amounts_that_floats_get_wrong_are_exact(typed, expected):
    """int(4.35 * 100) is 434 in floating point: the parser never goes through a float."""
    assert parse_amount(typed) == expected


@given(cents, st.sampled_from(LOCALES))
def test_a_formatted_amount_reads_back_exactly(amount, locale):
    assert parse_amount(format_decimal(to_decimal(amount), format="#,##0.00", locale=locale)) == amount
    assert parse_amount(format_decimal(to_decimal(amount), format="0.00", locale=locale)) == amount


@given(cents, st.sampled_from(("en", "fr", "fr_FR", "en_GB")))
def test_a_formatted_price_in_euros_reads_back_exactly(amount, locale):
    assert parse_amount(format_currency(to_decimal(amount), "EUR", locale=locale)) == amount


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=99), st.sampled_from(".,"))
def test_whole_and_cents_give_exact_integer_cents(whole, part, mark):
    typed = f"{whole}{mark}{part:02d}"
    if whole == part == 0:
        return
    parsed = parse_amount(typed)
    assert type(parsed) is int and parsed == whole * 100 + part


@given(cents)
def test_to_decimal_is_exact(amount):
    assert to_decimal(amount) * 100 == Decimal(amount)


def test_the_module_never_touches_a_float():
    tree = ast.parse(pathlib.Path(money.__file__).read_text())
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    floats = [node for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, float)]
    assert "float" not in names and floats == []
