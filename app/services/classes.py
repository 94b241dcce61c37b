"""Class cooperatives: creating them, their roster, renaming and archiving at year end."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain import pictures
from app.domain.roster import RosterRow
from app.extensions import db
from app.models import Cooperative, Pupil, School, User
from app.models.register import decision_responsible
from app.services import pupil_sign_in, tablets


class NameTaken(Exception):
    """Another class of the school already has this name this year."""


def _name_taken(school: School, name: str, school_year: int, exclude_id: int | None = None) -> bool:
    query = select(Cooperative.id).where(
        Cooperative.school_id == school.id, Cooperative.name == name, Cooperative.school_year == school_year
    )
    found = db.session.scalar(query)
    return found is not None and found != exclude_id


def create_cooperative(school: School, educator: User, name: str, school_year: int, kind: str = "class"):
    name = name.strip()
    if _name_taken(school, name, school_year):
        raise NameTaken(name)
    cooperative = Cooperative(school=school, name=name, school_year=school_year, kind=kind)
    cooperative.educators.append(educator)
    db.session.add(cooperative)
    db.session.flush()
    return cooperative


def rename_cooperative(cooperative: Cooperative, name: str) -> None:
    name = name.strip()
    if _name_taken(cooperative.school, name, cooperative.school_year, exclude_id=cooperative.id):
        raise NameTaken(name)
    cooperative.name = name


def existing_names(cooperative: Cooperative) -> set[tuple[str, str]]:
    return {(pupil.first_name, pupil.initial) for pupil in cooperative.pupils}


def add_pupils(cooperative: Cooperative, rows: list[RosterRow]) -> list[Pupil]:
    """Adds checked rows, giving each pupil an avatar and a picture code unique in the class."""
    taken_codes = [pupil.picture_code for pupil in cooperative.pupils]
    codes = pictures.new_picture_codes(taken_codes, len(rows))
    avatars = pictures.new_avatars([pupil.avatar for pupil in cooperative.active_pupils()], len(rows))
    added = [
        Pupil(cooperative=cooperative, first_name=row.first_name, initial=row.initial, birth_year=row.birth_year,
              picture_code=code, avatar=avatar)
        for row, code, avatar in zip(rows, codes, avatars, strict=True)
    ]
    db.session.add_all(added)
    db.session.flush()
    return added


def new_picture_code(pupil: Pupil) -> str:
    taken = [other.picture_code for other in pupil.cooperative.pupils]
    pupil.picture_code = pictures.new_picture_codes(taken, 1)[0]
    pupil_sign_in.unlock(pupil)
    return pupil.picture_code


def remove_pupil(pupil: Pupil, now: datetime) -> bool:
    """Deletes a pupil added by mistake; one with a history in the class (a vote, a decision they are responsible
    for, whose register entries name them) is closed instead. True if deleted."""
    if not _responsible_for_a_decision(pupil):
        try:
            with db.session.begin_nested():
                db.session.delete(pupil)
            return True
        except IntegrityError:
            pass
    pupil.closed_at = now
    pupil_sign_in.revoke_pupil_cards(pupil, now)
    return False


def _responsible_for_a_decision(pupil: Pupil) -> bool:
    named = select(decision_responsible.c.pupil_id).where(decision_responsible.c.pupil_id == pupil.id)
    return db.session.scalar(named.limit(1)) is not None


def archive_cooperative(cooperative: Cooperative, now: datetime) -> None:
    """Year end: the class becomes read-only, pupil accounts are closed, cards and tablets stop working."""
    cooperative.archived_at = now
    pupil_sign_in.revoke_all_cards(cooperative, now)
    tablets.revoke_pairing(cooperative, now)
    for pupil in cooperative.active_pupils():
        pupil.closed_at = now
