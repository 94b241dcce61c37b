"""Who may do what in the message box and the assemblies, from the policy module alone."""

from dataclasses import dataclass, field

import pytest

from app.domain.policy import ANONYMOUS, Actor, can


@dataclass
class Cooperative:
    id: int
    school_id: int
    is_archived: bool = False


@dataclass
class Assembly:
    cooperative: Cooperative
    chair_runs_board: bool = False
    roles: dict = field(default_factory=dict)

    @property
    def cooperative_id(self) -> int:
        return self.cooperative.id

    def holders(self, role: str) -> set[int]:
        return self.roles.get(role, set())


CLASS = Cooperative(id=10, school_id=1)
OTHER_CLASS = Cooperative(id=11, school_id=2)
EDUCATOR = Actor(kind="adult", educator_at=frozenset({1}), guides=frozenset({10}))
OTHER_EDUCATOR = Actor(kind="adult", educator_at=frozenset({2}), guides=frozenset({11}))
HEAD = Actor(kind="adult", head_of=frozenset({1}))
ADMIN = Actor(kind="adult", federation_admin=True)


def pupil(pupil_id: int = 7, cooperative_id: int = 10, tablet: int | None = 10) -> Actor:
    return Actor(kind="pupil", cooperative_id=cooperative_id, tablet_cooperative_id=tablet, pupil_id=pupil_id)


def assembly(**fields) -> Assembly:
    return Assembly(CLASS, **fields)


@pytest.mark.parametrize("action", ["post_message", "support_proposal", "propose_amendment", "follow_assemblies"])
def test_pupils_use_the_box_only_in_their_class_and_on_its_tablet(action):
    assert can(pupil(), action, CLASS)
    assert not can(pupil(), action, OTHER_CLASS)
    assert not can(pupil(tablet=None), action, CLASS)
    assert not can(pupil(tablet=11), action, CLASS)
    assert not can(pupil(), action, Cooperative(id=10, school_id=1, is_archived=True))
    for adult in (EDUCATOR, HEAD, ADMIN, ANONYMOUS):
        assert not can(adult, action, CLASS)


def test_the_educator_moderates_and_plans_and_the_head_only_reads():
    for action in ("moderate_messages", "plan_assembly"):
        assert can(EDUCATOR, action, CLASS)
        assert not any(can(actor, action, CLASS) for actor in (HEAD, OTHER_EDUCATOR, pupil()))
    for action in ("view_message_box", "view_assemblies"):
        assert can(EDUCATOR, action, CLASS) and can(HEAD, action, CLASS)
        assert not any(can(actor, action, CLASS) for actor in (OTHER_EDUCATOR, ADMIN, pupil()))


def test_an_archived_class_keeps_its_assemblies_readable_but_frozen():
    archived = Assembly(Cooperative(id=10, school_id=1, is_archived=True))
    assert can(EDUCATOR, "view_assembly", archived) and can(EDUCATOR, "view_minutes", archived)
    assert not can(EDUCATOR, "manage_assembly", archived)


def test_the_chair_runs_the_board_only_when_the_educator_allows_it():
    chair = pupil(pupil_id=7)
    assert not can(chair, "run_assembly", assembly(roles={"chair": {7}}))
    assert can(chair, "run_assembly", assembly(roles={"chair": {7}}, chair_runs_board=True))
    assert not can(pupil(pupil_id=8), "run_assembly", assembly(roles={"chair": {7}}, chair_runs_board=True))
    untethered = pupil(pupil_id=7, tablet=None)
    assert not can(untethered, "run_assembly", assembly(roles={"chair": {7}}, chair_runs_board=True))
    assert can(EDUCATOR, "run_assembly", assembly())
    assert not can(HEAD, "run_assembly", assembly())


def test_the_speaker_giver_gives_the_floor_and_the_secretary_writes_the_minutes():
    roles = {"speaker_giver": {7}, "secretary": {8}}
    assert can(pupil(7), "give_floor", assembly(roles=roles)) and not can(pupil(8), "give_floor", assembly(roles=roles))
    assert can(pupil(8), "write_minutes", assembly(roles=roles))
    assert not can(pupil(7), "write_minutes", assembly(roles=roles))
    assert can(EDUCATOR, "give_floor", assembly()) and can(EDUCATOR, "write_minutes", assembly())
    assert not can(HEAD, "give_floor", assembly()) and not can(HEAD, "write_minutes", assembly())


def test_a_role_in_another_class_gives_nothing():
    other = Assembly(OTHER_CLASS, chair_runs_board=True, roles={"chair": {7}, "secretary": {7}})
    for action in ("run_assembly", "write_minutes", "take_part", "view_minutes"):
        assert not can(pupil(7), action, other)


def test_pupils_take_part_and_read_minutes_of_their_class_only():
    assert can(pupil(), "take_part", assembly()) and can(pupil(), "view_minutes", assembly())
    assert not can(pupil(), "view_assembly", assembly())
    assert can(HEAD, "view_minutes", assembly()) and not can(HEAD, "take_part", assembly())


def test_only_the_class_educator_shows_the_board():
    assert can(EDUCATOR, "show_assembly_board", assembly())
    for actor in (OTHER_EDUCATOR, HEAD, ADMIN, pupil(), ANONYMOUS):
        assert not can(actor, "show_assembly_board", assembly())
