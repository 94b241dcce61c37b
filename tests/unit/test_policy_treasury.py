"""Who may read and keep a class's treasury, and the federation's team, from the policy module alone."""

from dataclasses import dataclass

import pytest

from app.domain.policy import ANONYMOUS, Actor, can


@dataclass
class Cooperative:
    id: int
    school_id: int
    is_archived: bool = False


CLASS = Cooperative(id=10, school_id=1)
ARCHIVED = Cooperative(id=10, school_id=1, is_archived=True)
EDUCATOR = Actor(kind="adult", educator_at=frozenset({1}), guides=frozenset({10}))
OTHER_EDUCATOR = Actor(kind="adult", educator_at=frozenset({1}), guides=frozenset({12}))
HEAD = Actor(kind="adult", head_of=frozenset({1}))
OTHER_HEAD = Actor(kind="adult", head_of=frozenset({2}))
ADMIN = Actor(kind="adult", federation_admin=True)
PUPIL = Actor(kind="pupil", cooperative_id=10, tablet_cooperative_id=10, pupil_id=7)


def test_the_educator_of_the_class_records_and_reads():
    assert can(EDUCATOR, "record_treasury", CLASS) and can(EDUCATOR, "view_treasury", CLASS)


def test_the_school_head_reads_every_class_but_records_nothing():
    assert can(HEAD, "view_treasury", CLASS)
    assert not can(HEAD, "record_treasury", CLASS)


@pytest.mark.parametrize("actor", [OTHER_EDUCATOR, OTHER_HEAD, ADMIN, PUPIL, ANONYMOUS])
def test_nobody_else_sees_the_treasury(actor):
    assert not can(actor, "view_treasury", CLASS)
    assert not can(actor, "record_treasury", CLASS)


def test_an_archived_class_treasury_is_read_only():
    assert can(EDUCATOR, "view_treasury", ARCHIVED) and can(HEAD, "view_treasury", ARCHIVED)
    assert not can(EDUCATOR, "record_treasury", ARCHIVED)


def test_only_federation_admins_manage_the_team():
    assert can(ADMIN, "manage_team")
    for actor in (EDUCATOR, HEAD, PUPIL, ANONYMOUS, Actor(kind="pupil", federation_admin=True)):
        assert not can(actor, "manage_team")


@dataclass
class Assembly:
    cooperative: Cooperative
    roles: dict

    def holders(self, role: str) -> set[int]:
        return self.roles.get(role, set())


TERM = Assembly(CLASS, {"treasurer": {7}, "chair": {8}})


def test_only_the_treasurer_of_the_latest_assembly_records_on_the_tablet():
    assert can(PUPIL, "record_treasury_on_tablet", TERM)
    chair = Actor(kind="pupil", cooperative_id=10, tablet_cooperative_id=10, pupil_id=8)
    assert not can(chair, "record_treasury_on_tablet", TERM)
    assert not can(PUPIL, "record_treasury_on_tablet", None), "no assembly has opened yet: nobody is treasurer"


@pytest.mark.parametrize("actor", [
    Actor(kind="pupil", cooperative_id=10, tablet_cooperative_id=12, pupil_id=7),  # on another class's tablet
    Actor(kind="pupil", cooperative_id=12, tablet_cooperative_id=12, pupil_id=7),  # same id, another class
    EDUCATOR, HEAD, ADMIN, ANONYMOUS,
])
def test_nobody_else_records_on_the_tablet(actor):
    assert not can(actor, "record_treasury_on_tablet", TERM)


def test_an_archived_class_has_no_treasurer():
    assert not can(PUPIL, "record_treasury_on_tablet", Assembly(ARCHIVED, {"treasurer": {7}}))
