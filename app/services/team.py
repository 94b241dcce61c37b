"""The federation's team shown on the home page: adding, editing, removing and reordering its members."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import TeamMember


def members() -> list[TeamMember]:
    return list(db.session.scalars(select(TeamMember).order_by(TeamMember.position, TeamMember.id)))


def add_member(name: str, role: str, bio: str) -> TeamMember:
    """A new member goes last."""
    last = db.session.scalar(select(func.max(TeamMember.position)))
    member = TeamMember(name=name.strip(), role=role.strip(), bio=bio.strip(), position=(last or 0) + 1)
    db.session.add(member)
    db.session.flush()
    return member


def edit_member(member: TeamMember, name: str, role: str, bio: str) -> None:
    member.name, member.role, member.bio = name.strip(), role.strip(), bio.strip()


def remove_member(member: TeamMember) -> None:
    db.session.delete(member)
    db.session.flush()


def move_member(member: TeamMember, step: int) -> None:
    """Swaps the member with their neighbour (step -1: up, +1: down); numbers the list 0, 1, 2… on the way."""
    ordered = members()
    index = ordered.index(member)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered):
        each.position = position
    db.session.flush()
