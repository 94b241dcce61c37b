"""Data protection over time: departed pupils' names leave old decisions, and a class's data can be exported
or deleted (SPEC §12)."""

import json
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.models import Cooperative, Decision, Poll, Pupil, RegisterEntry, TreasuryEntry
from app.services import register
from app.services.polls import result_of


def departed_pupils(now: datetime, years: int) -> list[Pupil]:
    """Pupils whose account closed more than `years` ago and whose names are still kept."""
    limit = now - timedelta(days=365 * years)
    query = select(Pupil).where(Pupil.closed_at.is_not(None), Pupil.closed_at < limit, Pupil.anonymised_at.is_(None))
    return list(db.session.scalars(query))


def _names_of(pupil: Pupil) -> list[str]:
    names = [pupil.display_name, f"{pupil.first_name} {pupil.initial}".strip()]
    return sorted({name for name in names if name}, key=len, reverse=True)


def _redact(text: str, names: list[str], replacement: str) -> str:
    for name in names:
        text = text.replace(name, replacement)
    return text


def _redact_register(pupil: Pupil, replacement: str, now: datetime) -> int:
    """Replaces the pupil's names in the class's register entries and decisions; the chain stays verifiable."""
    names, changed = _names_of(pupil), 0
    entries = db.session.scalars(select(RegisterEntry).where(RegisterEntry.cooperative_id == pupil.cooperative_id))
    for entry in entries:
        redacted = _redact(entry.content, names, replacement)
        if redacted != entry.content:
            entry.content, entry.redacted_at, changed = redacted, now, changed + 1
    decisions = db.session.scalars(select(Decision).where(Decision.cooperative_id == pupil.cooperative_id))
    for decision in decisions:
        decision.text = _redact(decision.text, names, replacement)
        decision.figures = _redact(decision.figures, names, replacement)
    return changed


def _redact_treasury(pupil: Pupil, replacement: str) -> None:
    """The treasurer's name leaves the entries they recorded, and every name of theirs the descriptions."""
    names = _names_of(pupil)
    for entry in db.session.scalars(select(TreasuryEntry).where(TreasuryEntry.cooperative_id == pupil.cooperative_id)):
        entry.description = _redact(entry.description, names, replacement)
        if entry.recorded_by_pupil_id == pupil.id:
            entry.recorded_by = replacement


def anonymise(pupil: Pupil, replacement: str, now: datetime) -> int:
    """The pupil becomes 'a pupil of <class>' everywhere; returns how many register entries were redacted."""
    changed = _redact_register(pupil, replacement, now)
    _redact_treasury(pupil, replacement)
    pupil.first_name, pupil.initial, pupil.birth_year = f"#{pupil.id}", "", None
    pupil.anonymised_at = now
    return changed


def class_export(cooperative: Cooperative) -> dict:
    """Everything the class's cooperative holds, as plain data (no ballot, no picture code, no card)."""
    polls = db.session.scalars(select(Poll).where(Poll.cooperative_id == cooperative.id).order_by(Poll.id))
    return {
        "class": {"name": cooperative.name, "school": cooperative.school.name, "school_year": cooperative.year_label},
        "pupils": [{"name": pupil.display_name, "birth_year": pupil.birth_year,
                    "closed": pupil.closed_at.isoformat() if pupil.closed_at else None}
                   for pupil in cooperative.pupils],
        "votes": [{"question": poll.question, "kind": poll.kind, "rule": poll.rule, "status": poll.status,
                   "result": result_of(poll) if poll.published_at else None} for poll in polls],
        "register": [{"position": entry.position, "kind": entry.kind, "content": json.loads(entry.content),
                      "entry_hash": entry.entry_hash, "previous_hash": entry.previous_hash}
                     for entry in register.chain_of(cooperative.id)],
    }


def delete_class(cooperative: Cooperative) -> None:
    """Deletes the class and all it holds; votes first, since a pupil who voted cannot be deleted before them."""
    db.session.execute(delete(Poll).where(Poll.cooperative_id == cooperative.id))
    db.session.execute(delete(Cooperative).where(Cooperative.id == cooperative.id))
    db.session.expunge_all()
