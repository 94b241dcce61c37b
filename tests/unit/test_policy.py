"""The policy module alone: who may do what, without Flask."""

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.policy import ANONYMOUS, RULES, Actor, can


@dataclass
class School:
    id: int
    is_approved: bool = True


@dataclass
class Cooperative:
    id: int
    school_id: int
    is_archived: bool = False


@dataclass
class Pupil:
    cooperative_id: int
    closed_at: object = None


CLASS = Cooperative(id=10, school_id=1)
EDUCATOR = Actor(kind="adult", educator_at=frozenset({1}), guides=frozenset({10}))
HEAD = Actor(kind="adult", head_of=frozenset({1}))
PUPIL = Actor(kind="pupil", cooperative_id=10, tablet_cooperative_id=10)


def test_unknown_actions_are_a_programming_error():
    with pytest.raises(KeyError):
        can(EDUCATOR, "launch_rockets", CLASS)


def test_an_educator_manages_only_the_classes_they_guide():
    assert can(EDUCATOR, "manage_cooperative", CLASS)
    assert not can(EDUCATOR, "manage_cooperative", Cooperative(id=11, school_id=1))


def test_an_archived_class_is_read_only():
    archived = Cooperative(id=10, school_id=1, is_archived=True)
    assert can(EDUCATOR, "view_cooperative", archived)
    assert not can(EDUCATOR, "manage_cooperative", archived)
    assert not can(PUPIL, "use_class_tablet", archived)


def test_a_head_reviews_every_class_of_their_school_but_manages_none():
    assert can(HEAD, "view_cooperative", CLASS)
    assert can(HEAD, "view_cooperative", Cooperative(id=99, school_id=1))
    assert not can(HEAD, "view_cooperative", Cooperative(id=99, school_id=2))
    assert not can(HEAD, "manage_cooperative", CLASS)


def test_a_pupil_uses_only_a_tablet_of_their_own_class():
    assert can(PUPIL, "use_class_tablet", CLASS)
    assert not can(Actor(kind="pupil", cooperative_id=10, tablet_cooperative_id=11), "use_class_tablet", CLASS)
    assert not can(Actor(kind="pupil", cooperative_id=10), "use_class_tablet", CLASS)


def test_a_tablet_offers_only_its_own_pupils():
    tablet = Actor(tablet_cooperative_id=10)
    assert can(tablet, "sign_in_pupil", Pupil(cooperative_id=10))
    assert not can(tablet, "sign_in_pupil", Pupil(cooperative_id=11))
    assert not can(tablet, "sign_in_pupil", Pupil(cooperative_id=10, closed_at="closed"))
    assert not can(ANONYMOUS, "use_tablet")


def test_educators_create_classes_only_in_approved_schools():
    assert can(EDUCATOR, "create_cooperative", School(id=1))
    assert not can(EDUCATOR, "create_cooperative", School(id=1, is_approved=False))
    assert not can(EDUCATOR, "create_cooperative", School(id=2))


actors = st.builds(
    Actor,
    kind=st.sampled_from(["anonymous", "pupil", "adult"]),
    cooperative_id=st.none() | st.integers(1, 3),
    federation_admin=st.booleans(),
    head_of=st.frozensets(st.integers(1, 3)),
    educator_at=st.frozensets(st.integers(1, 3)),
    guides=st.frozensets(st.integers(1, 3)),
    tablet_cooperative_id=st.none() | st.integers(1, 3),
)
cooperatives = st.builds(Cooperative, id=st.integers(1, 3), school_id=st.integers(1, 3), is_archived=st.booleans())


@given(actors, cooperatives)
def test_only_adults_ever_see_or_manage_a_class_register(actor, cooperative):
    if can(actor, "view_cooperative", cooperative) or can(actor, "manage_cooperative", cooperative):
        assert actor.kind == "adult"


@given(actors, cooperatives)
def test_managing_implies_viewing(actor, cooperative):
    if can(actor, "manage_cooperative", cooperative):
        assert can(actor, "view_cooperative", cooperative)


@given(actors)
def test_only_federation_admins_manage_the_federation(actor):
    assert can(actor, "manage_federation") == (actor.kind == "adult" and actor.federation_admin)


@given(actors, cooperatives)
def test_a_pupil_never_acts_in_another_class(actor, cooperative):
    if actor.kind == "pupil" and actor.cooperative_id != cooperative.id:
        assert not any(can(actor, action, cooperative) for action in
                       ("use_class_tablet", "view_cooperative", "manage_cooperative"))


def test_every_rule_is_reachable_by_someone():
    assert set(RULES) >= {"manage_cooperative", "view_cooperative", "use_class_tablet", "manage_federation"}


def test_the_list_of_ones_schools_is_for_heads_only():
    assert can(HEAD, "view_own_schools")
    assert can(HEAD, "view_school", School(id=1)) and not can(HEAD, "view_school", School(id=2))
    for someone in (EDUCATOR, PUPIL, ANONYMOUS, Actor(kind="adult", federation_admin=True)):
        assert not can(someone, "view_own_schools")
