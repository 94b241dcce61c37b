"""An assembly's lifecycle and the texts pupils write: plain, short, explained when refused."""

from datetime import date, time

import pytest

from app.domain.assemblies import (
    CLOSED,
    IN_SESSION,
    MAX_TEXT,
    PLANNED,
    RuleBroken,
    agenda_is_editable,
    check_transition,
    clean_long_text,
    clean_text,
    local_to_utc,
    optional_text,
    require_in_session,
)


def test_an_assembly_goes_planned_then_in_session_then_closed():
    check_transition(PLANNED, IN_SESSION)
    check_transition(IN_SESSION, CLOSED)


@pytest.mark.parametrize(("current", "target"), [(PLANNED, CLOSED), (IN_SESSION, PLANNED), (CLOSED, IN_SESSION),
                                                 (CLOSED, PLANNED), (IN_SESSION, IN_SESSION), (CLOSED, CLOSED)])
def test_no_step_is_skipped_and_none_goes_back(current, target):
    with pytest.raises(RuleBroken):
        check_transition(current, target)


def test_the_agenda_is_editable_only_while_planned():
    assert agenda_is_editable(PLANNED)
    assert not agenda_is_editable(IN_SESSION) and not agenda_is_editable(CLOSED)


def test_moving_through_items_needs_a_session():
    require_in_session(IN_SESSION)
    for status in (PLANNED, CLOSED):
        with pytest.raises(RuleBroken, match="not_in_session"):
            require_in_session(status)


def test_a_time_on_the_school_clock_is_stored_in_utc():
    assert local_to_utc(date(2026, 1, 12), time(10, 0), "Europe/Paris").hour == 9
    assert local_to_utc(date(2026, 7, 6), time(10, 0), "Europe/Paris").hour == 8
    assert local_to_utc(date(2026, 7, 6), time(10, 0), "Europe/Paris").utcoffset().total_seconds() == 0


def test_texts_are_trimmed_and_their_spaces_collapsed():
    assert clean_text("  We   could\nplant a garden ") == "We could plant a garden"


@pytest.mark.parametrize(("text", "code"), [("", "empty_text"), ("   \n ", "empty_text"), (None, "empty_text"),
                                            ("x" * (MAX_TEXT + 1), "text_too_long"),
                                            ("<script>alert(1)</script>", "html_in_text"),
                                            ("a <b>bold</b> idea", "html_in_text"),
                                            ("fish &amp; chips", "html_in_text")])
def test_bad_texts_are_refused_with_a_reason(text, code):
    with pytest.raises(RuleBroken, match=code):
        clean_text(text)


def test_plain_signs_are_allowed():
    assert clean_text("3 < 5 and 7 > 2, fish & chips") == "3 < 5 and 7 > 2, fish & chips"
    assert len(clean_text("x" * MAX_TEXT)) == MAX_TEXT


def test_the_minutes_keep_their_lines_and_may_be_empty():
    assert clean_long_text("First line  \r\nSecond line\n\n") == "First line\nSecond line"
    assert clean_long_text("") == ""
    with pytest.raises(RuleBroken, match="html_in_text"):
        clean_long_text("<img src=x>")
    assert optional_text("  ") is None and optional_text(" done ") == "done"
