"""The votes on a proposal of the agenda: amendments first, one at a time, each once; texts that fit a poll."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.agenda_votes import (
    ADOPTED,
    ELLIPSIS,
    REJECTED,
    TO_VOTE,
    VOTING,
    check_next,
    fitted,
    next_step,
    shorten,
    step_state,
)
from app.domain.assemblies import RuleBroken


@pytest.mark.parametrize(("put", "adopted", "state"), [
    (False, None, TO_VOTE), (True, None, VOTING), (True, True, ADOPTED), (True, False, REJECTED)])
def test_a_vote_is_to_vote_then_voting_until_announced_then_adopted_or_rejected(put, adopted, state):
    assert step_state(put, adopted) == state


@pytest.mark.parametrize(("states", "expected"), [
    ([TO_VOTE, TO_VOTE, TO_VOTE], 0),
    ([ADOPTED, TO_VOTE, TO_VOTE], 1),
    ([ADOPTED, REJECTED, TO_VOTE], 2),
    ([VOTING, TO_VOTE, TO_VOTE], None),
    ([ADOPTED, REJECTED, VOTING], None),
    ([ADOPTED, REJECTED, ADOPTED], None),
    ([TO_VOTE, VOTING, TO_VOTE], None),  # an amendment posted earlier, approved while the next was voted on
    ([TO_VOTE], 0),
])
def test_the_next_vote_is_the_first_not_put_once_every_earlier_one_is_decided(states, expected):
    assert next_step(states) == expected


@pytest.mark.parametrize(("states", "index", "code"), [
    ([VOTING, TO_VOTE], 0, "already_put_to_vote"),
    ([ADOPTED, TO_VOTE], 0, "already_put_to_vote"),
    ([VOTING, TO_VOTE], 1, "vote_in_progress"),
    ([TO_VOTE, TO_VOTE, TO_VOTE], 2, "amendments_first"),
    ([ADOPTED, TO_VOTE, TO_VOTE], 2, "amendments_first"),
])
def test_votes_out_of_turn_are_refused_with_their_reason(states, index, code):
    with pytest.raises(RuleBroken) as refused:
        check_next(states, index)
    assert refused.value.code == code


orders = st.lists(st.sampled_from([TO_VOTE, VOTING, ADOPTED, REJECTED]), min_size=1, max_size=6)


@given(orders)
def test_only_the_next_vote_can_be_put_and_never_while_another_is_going_on(states):
    allowed = []
    for index in range(len(states)):
        try:
            check_next(states, index)
            allowed.append(index)
        except RuleBroken:
            pass
    assert allowed == ([] if next_step(states) is None else [next_step(states)])
    assert VOTING not in states if allowed else True
    assert all(state in (ADOPTED, REJECTED) for state in states[:allowed[0]]) if allowed else True


def test_a_short_text_is_kept_and_a_long_one_ends_with_an_ellipsis():
    assert shorten("A garden", 8) == "A garden"
    assert shorten("A garden", 6) == "A gar" + ELLIPSIS
    assert shorten("A garden", 1) == ELLIPSIS
    assert shorten("A garden", 0) == ""


@given(st.text(max_size=400), st.text(max_size=60), st.integers(0, 400))
def test_a_fitted_text_never_passes_its_limit_and_is_whole_when_it_fits(text, frame, limit):
    def render(inner: str) -> str:
        return f"{frame}«{inner}»"

    result = fitted(render, text, limit)
    assert len(result) <= limit
    if len(render(text)) <= limit:
        assert result == render(text)
