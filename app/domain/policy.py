"""Every authorization decision of Agora: can(actor, action, target)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who is asking, reduced to the facts the rules need."""

    kind: str = "anonymous"  # anonymous | pupil | adult
    cooperative_id: int | None = None  # a pupil's own class
    federation_admin: bool = False
    head_of: frozenset[int] = field(default_factory=frozenset)  # school ids
    educator_at: frozenset[int] = field(default_factory=frozenset)  # school ids
    guides: frozenset[int] = field(default_factory=frozenset)  # cooperative ids
    tablet_cooperative_id: int | None = None  # the class this browser is a paired tablet of
    pupil_id: int | None = None  # a pupil's own id, for the roles they hold in an assembly

    @property
    def is_adult(self) -> bool:
        return self.kind == "adult"

    @property
    def is_pupil(self) -> bool:
        return self.kind == "pupil"


ANONYMOUS = Actor()


def _anyone(actor: Actor, target: Any) -> bool:
    return True


def _adult(actor: Actor, target: Any) -> bool:
    return actor.is_adult


def _pupil(actor: Actor, target: Any) -> bool:
    return actor.is_pupil


def _federation_admin(actor: Actor, target: Any) -> bool:
    return actor.is_adult and actor.federation_admin


def _head_of_school(actor: Actor, school: Any) -> bool:
    return actor.is_adult and school.id in actor.head_of


def _heads_a_school(actor: Actor, target: Any) -> bool:
    return actor.is_adult and bool(actor.head_of)


def _educator_at_school(actor: Actor, school: Any) -> bool:
    return actor.is_adult and school.id in actor.educator_at and school.is_approved


def _guides(actor: Actor, cooperative: Any) -> bool:
    return actor.is_adult and cooperative.id in actor.guides


def _guides_open_class(actor: Actor, cooperative: Any) -> bool:
    return _guides(actor, cooperative) and not cooperative.is_archived


def _reviews(actor: Actor, cooperative: Any) -> bool:
    return _guides(actor, cooperative) or (actor.is_adult and cooperative.school_id in actor.head_of)


def _member_of_open_class(actor: Actor, cooperative: Any) -> bool:
    return (
        actor.is_pupil
        and actor.cooperative_id == cooperative.id
        and actor.tablet_cooperative_id == cooperative.id
        and not cooperative.is_archived
    )


def _class_member_or_reviewer(actor: Actor, cooperative: Any) -> bool:
    return _member_of_open_class(actor, cooperative) or _reviews(actor, cooperative)


def _voter_in_poll(actor: Actor, poll: Any) -> bool:
    return _member_of_open_class(actor, poll.cooperative)


def _deletes_archived_class(actor: Actor, cooperative: Any) -> bool:
    return cooperative.is_archived and _reviews(actor, cooperative)


def _paired_tablet(actor: Actor, target: Any) -> bool:
    return actor.tablet_cooperative_id is not None


def _tablet_of_pupils_class(actor: Actor, pupil: Any) -> bool:
    return (
        not actor.is_adult
        and actor.tablet_cooperative_id == pupil.cooperative_id
        and pupil.closed_at is None
    )


def _in_class_of(rule: Callable[[Actor, Any], bool]) -> Callable[[Actor, Any], bool]:
    """A rule about a class, applied to an assembly (or anything else with a cooperative) of that class."""
    return lambda actor, target: rule(actor, target.cooperative)


def _holds_role(actor: Actor, assembly: Any, role: str) -> bool:
    return actor.pupil_id in assembly.holders(role) and _member_of_open_class(actor, assembly.cooperative)


def _runs_assembly(actor: Actor, assembly: Any) -> bool:
    """The educator, or the chair when the educator lets the chair run the board."""
    chair = assembly.chair_runs_board and _holds_role(actor, assembly, "chair")
    return chair or _guides_open_class(actor, assembly.cooperative)


def _gives_floor(actor: Actor, assembly: Any) -> bool:
    return _holds_role(actor, assembly, "speaker_giver") or _guides_open_class(actor, assembly.cooperative)


def _writes_minutes(actor: Actor, assembly: Any) -> bool:
    return _holds_role(actor, assembly, "secretary") or _guides_open_class(actor, assembly.cooperative)


def _treasurer_now(actor: Actor, assembly: Any) -> bool:
    """The pupil holding the treasurer's role of the assembly whose treasurer keeps the money now (the class's
    latest assembly opened: app.services.treasury.treasurer_assembly); None when no assembly has opened yet."""
    return assembly is not None and _holds_role(actor, assembly, "treasurer")


def _shows_assembly_board(actor: Actor, assembly: Any) -> bool:
    return actor.is_adult and assembly.cooperative_id in actor.guides


RULES: dict[str, Callable[[Actor, Any], bool]] = {
    "view_public": _anyone,
    "sign_in": _anyone,
    "apply_school": _anyone,
    "view_dashboard": _adult,
    "pupil_home": _pupil,
    "use_tablet": _paired_tablet,
    "sign_in_pupil": _tablet_of_pupils_class,
    "manage_federation": _federation_admin,
    "view_own_schools": _heads_a_school,
    "view_school": _head_of_school,
    "manage_school_staff": _head_of_school,
    "create_cooperative": _educator_at_school,
    "view_cooperative": _reviews,
    "manage_cooperative": _guides_open_class,
    "archive_cooperative": _guides_open_class,
    "use_class_tablet": _member_of_open_class,
    "view_register": _reviews,
    "delete_class_data": _deletes_archived_class,
    "keep_register": _guides_open_class,
    "manage_polls": _guides_open_class,
    "view_polls": _reviews,
    "show_board": _guides,
    "vote": _voter_in_poll,
    "see_published_results": _class_member_or_reviewer,
    "see_unannounced_result": _guides,
    "post_message": _member_of_open_class,
    "support_proposal": _member_of_open_class,
    "propose_amendment": _member_of_open_class,
    "view_message_box": _reviews,
    "moderate_messages": _guides_open_class,
    "view_assemblies": _reviews,
    "plan_assembly": _guides_open_class,
    "follow_assemblies": _member_of_open_class,
    "view_assembly": _in_class_of(_reviews),
    "manage_assembly": _in_class_of(_guides_open_class),
    "take_part": _in_class_of(_member_of_open_class),
    "run_assembly": _runs_assembly,
    "put_to_vote": _runs_assembly,
    "give_floor": _gives_floor,
    "write_minutes": _writes_minutes,
    "view_minutes": _in_class_of(_class_member_or_reviewer),
    "show_assembly_board": _shows_assembly_board,
    "view_treasury": _reviews,
    "view_class_year": _reviews,
    "record_treasury": _guides_open_class,
    "view_year_report": _reviews,
    "submit_year_report": _guides,  # also once the class is archived: the report is due after the year ends
    "view_school_reports": _head_of_school,
    "record_treasury_on_tablet": _treasurer_now,
    "manage_team": _federation_admin,
}


def can(actor: Actor, action: str, target: Any = None) -> bool:
    """True when actor may do action on target; an unknown action is a programming error."""
    return RULES[action](actor, target)
