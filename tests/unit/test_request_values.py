"""Reading integers and days from a request: ASCII digits within bounds, real calendar days, or a BadValue."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.request_values import FIRST_DAY, LAST_DAY, MAX_ID, BadValue, is_id, parse_day, parse_id, parse_int


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("7", 7), ("-1", -1), ("007", 7), (" 12 ", 12),
                                                ("12\n", 12)])
def test_integers_in_ascii_digits_are_read(text, expected):
    assert parse_int(text, -10, 20) == expected


@pytest.mark.parametrize("text", ["", " ", "²", "٣", "1e9", "1_000", "+1", "1.0", "0x1F", "1 2", "--1",
                                  "1\x00", None, 3])
def test_anything_else_is_not_a_number(text):
    with pytest.raises(BadValue) as refused:
        parse_int(text, -(10**6), 10**6)
    assert refused.value.code == "not_a_number"


@pytest.mark.parametrize("text", ["21", "-11", str(2**63), "9" * 5000])
def test_numbers_outside_the_bounds_are_refused(text):
    with pytest.raises(BadValue) as refused:
        parse_int(text, -10, 20)
    assert refused.value.code == "out_of_range"


@given(st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1))
def test_every_integer_written_out_is_read_back(number):
    assert parse_int(str(number), -(10**12), 10**12) == number


@given(st.text(max_size=30))
def test_any_text_is_a_number_within_bounds_or_a_bad_value(text):
    try:
        value = parse_int(text, -50, 50)
    except BadValue:
        return
    assert -50 <= value <= 50 and text.strip(" \t\r\n").lstrip("-").isascii()


def test_ids_stop_where_a_32_bit_column_stops():
    assert parse_id("1") == 1 and parse_id(str(MAX_ID)) == MAX_ID == 2**31 - 1
    for text in ("0", "-1", str(2**31), str(2**63)):
        with pytest.raises(BadValue):
            parse_id(text)
    assert is_id(5) and not is_id(0) and not is_id(2**31) and not is_id(True) and not is_id("5")


@pytest.mark.parametrize("text", ["2027-01-12", " 2027-01-12\n", "2000-01-01", "2200-12-31", "2028-02-29"])
def test_real_days_are_read(text):
    assert parse_day(text) == date.fromisoformat(text.strip())


@pytest.mark.parametrize(("text", "code"), [
    ("2026-02-30", "not_a_date"), ("12/01/2027", "not_a_date"), ("2027-1-5", "not_a_date"), ("", "not_a_date"),
    ("٢٠٢٧-٠١-١٢", "not_a_date"), ("0001-01-01", "out_of_range"), ("9999-12-31", "out_of_range"),
    ("1999-12-31", "out_of_range")])
def test_other_days_are_refused(text, code):
    with pytest.raises(BadValue) as refused:
        parse_day(text)
    assert refused.value.code == code


def test_a_use_may_narrow_the_days_it_takes():
    with pytest.raises(BadValue):
        parse_day("2027-01-12", first=date(2027, 2, 1))


@given(st.dates())
def test_any_day_is_read_when_in_range_and_refused_otherwise(day):
    try:
        assert parse_day(day.isoformat()) == day and FIRST_DAY <= day <= LAST_DAY
    except BadValue:
        assert not FIRST_DAY <= day <= LAST_DAY
