"""Role rotation: the pupils who have held a role least come first; nobody gets two seats."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.assemblies import SEATS, suggest_roles


def test_the_least_experienced_pupils_take_the_seats_in_order():
    held = {1: 3, 2: 0, 3: 1, 4: 0}
    suggestion = suggest_roles([1, 2, 3, 4], held)
    assert suggestion[("chair", 1)] == 2
    assert suggestion[("secretary", 1)] == 4
    assert suggestion[("timekeeper", 1)] == 3
    assert suggestion[("speaker_giver", 1)] == 1
    assert ("teller", 2) not in suggestion


def test_a_class_with_no_history_follows_the_roster():
    suggestion = suggest_roles(list(range(10, 20)), {})
    assert [suggestion[seat] for seat in SEATS] == list(range(10, 17))


@given(st.lists(st.integers(1, 500), unique=True, max_size=30), st.dictionaries(st.integers(1, 500), st.integers(0, 9)))
def test_nobody_chosen_has_held_more_roles_than_anyone_left_out(pupils, held):
    suggestion = suggest_roles(pupils, held)
    chosen = list(suggestion.values())
    assert len(chosen) == len(set(chosen)) == min(len(pupils), len(SEATS))
    left_out = [pupil for pupil in pupils if pupil not in chosen]
    if left_out and chosen:
        assert max(held.get(pupil, 0) for pupil in chosen) <= min(held.get(pupil, 0) for pupil in left_out)


def test_between_equals_the_role_goes_to_someone_who_has_not_held_it():
    pupils = [1, 2, 3, 4, 5, 6]
    first = suggest_roles(pupils, {})
    held = {pupil: 1 for pupil in pupils}
    held_role = {(pupil, role): 1 for (role, _seat), pupil in first.items()}
    second = suggest_roles(pupils, held, held_role)
    for seat, pupil in second.items():
        assert first.get(seat) != pupil


@given(st.lists(st.integers(1, 500), unique=True, min_size=8, max_size=30))
def test_after_a_round_the_next_suggestion_gives_the_roles_to_others(pupils):
    first = suggest_roles(pupils, {})
    held = {pupil: 1 for pupil in first.values()}
    second = suggest_roles(pupils, held)
    assert set(first.values()).isdisjoint(second.values()) or len(pupils) < 2 * len(SEATS)
