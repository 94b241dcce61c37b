"""Who may see a class's year in figures, from the policy module alone: its educators and its school's head."""

import pytest

from app.domain.policy import ANONYMOUS, can
from tests.unit.test_policy_treasury import ADMIN, ARCHIVED, CLASS, EDUCATOR, HEAD, OTHER_EDUCATOR, OTHER_HEAD, PUPIL


@pytest.mark.parametrize("actor", [EDUCATOR, HEAD])
def test_the_class_educator_and_the_school_head_see_the_year_even_once_archived(actor):
    assert can(actor, "view_class_year", CLASS) and can(actor, "view_class_year", ARCHIVED)


@pytest.mark.parametrize("actor", [OTHER_EDUCATOR, OTHER_HEAD, ADMIN, PUPIL, ANONYMOUS])
def test_nobody_else_sees_the_year(actor):
    assert not can(actor, "view_class_year", CLASS)
