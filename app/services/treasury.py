"""A class's treasury: recording income and expenses, cancelling a mistake, the entries and the year report; the
pupils' treasurer recording on the class tablet, and the educator confirming or refusing what they recorded."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import treasury
from app.domain.assemblies import PLANNED
from app.domain.treasury import Draft, TreasuryError
from app.extensions import db
from app.models import Assembly, Cooperative, Decision, Pupil, TreasuryEntry, User


def school_today(cooperative: Cooperative, now: datetime) -> date:
    """Today on the school's clock: just after midnight in Paris it is already tomorrow there."""
    return now.astimezone(ZoneInfo(cooperative.school.timezone)).date()


def _check_decision(cooperative: Cooperative, decision_id: int | None) -> None:
    if decision_id is None:
        return
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        raise TreasuryError("decision_missing", "decision")
    if decision.cooperative_id != cooperative.id:
        raise TreasuryError("decision_other_class", "decision")
    if decision.status == "dropped":
        raise TreasuryError("decision_dropped", "decision")


def _checked_entry(cooperative: Cooperative, draft: Draft, recorded_by: str, now: datetime) -> TreasuryEntry:
    """Checks everything first: a refused draft writes nothing."""
    treasury.check_draft(draft, cooperative.school_year, school_today(cooperative, now))
    _check_decision(cooperative, draft.decision_id)
    return TreasuryEntry(
        cooperative=cooperative, kind=draft.kind, category=draft.category, occurred_on=draft.occurred_on,
        amount_cents=draft.amount_cents, description=draft.description.strip(), decision_id=draft.decision_id,
        recorded_at=now, recorded_by=recorded_by,
    )


def _store(entry: TreasuryEntry) -> TreasuryEntry:
    db.session.add(entry)
    db.session.flush()
    return entry


def record_entry(cooperative: Cooperative, draft: Draft, by: User, now: datetime) -> TreasuryEntry:
    """An educator's entry: confirmed as it is recorded, it counts at once."""
    entry = _checked_entry(cooperative, draft, by.display_name, now)
    entry.confirmed_at, entry.confirmed_by = now, by.display_name
    return _store(entry)


def record_for_confirmation(pupil: Pupil, draft: Draft, now: datetime, submission: str | None = None) -> TreasuryEntry:
    """The treasurer's entry from the class tablet, waiting for the educator; counted nowhere until confirmed.

    Whether the pupil holds the treasurer's role is the policy's to say (app.domain.policy). The same submission
    sent again (a lost answer, a double tap) gives back the entry it already stored.
    """
    entry = sent_before(pupil, submission)
    if entry is not None:
        return entry
    entry = _checked_entry(pupil.cooperative, draft, pupil.display_name, now)
    entry.recorded_by_pupil_id, entry.submission_key = pupil.id, submission
    return _store(entry)


def sent_before(pupil: Pupil, submission: str | None) -> TreasuryEntry | None:
    if submission is None:
        return None
    return db.session.scalar(select(TreasuryEntry).where(TreasuryEntry.recorded_by_pupil_id == pupil.id,
                                                         TreasuryEntry.submission_key == submission))


def _locked(entry: TreasuryEntry) -> TreasuryEntry:
    """The entry read again under a row lock: two tabs answering at once are answered one after the other."""
    query = (select(TreasuryEntry).where(TreasuryEntry.id == entry.id).with_for_update()
             .execution_options(populate_existing=True))
    return db.session.scalars(query).one()


def confirm_entry(entry: TreasuryEntry, by: User, now: datetime) -> None:
    """The educator confirms what the treasurer recorded: from now on it counts, with both names kept."""
    entry = _locked(entry)
    treasury.check_waiting(entry.is_confirmed, entry.is_refused)
    _check_decision(entry.cooperative, entry.decision_id)  # dropped since it was recorded: refuse it instead
    entry.confirmed_at, entry.confirmed_by = now, by.display_name
    db.session.flush()


def refuse_entry(entry: TreasuryEntry, by: User, reason: str, now: datetime) -> None:
    """The educator refuses it, saying why (the treasurer reads it on the tablet); it never counts."""
    entry = _locked(entry)
    treasury.check_waiting(entry.is_confirmed, entry.is_refused)
    reason = reason.strip()
    if not reason or len(reason) > treasury.MAX_REASON:
        raise TreasuryError("bad_reason", "reason")
    entry.refused_at, entry.refused_by, entry.refusal_reason = now, by.display_name, reason
    db.session.flush()


def cancel_entry(entry: TreasuryEntry, by: User, reason: str, now: datetime) -> None:
    """Marks the entry cancelled, with who, when and why; it stays listed and leaves every total."""
    if entry.is_cancelled:
        raise TreasuryError("already_cancelled", "reason")
    if not entry.is_confirmed:  # waiting or refused: it never counted, so there is nothing to cancel
        raise TreasuryError("not_confirmed", "reason")
    reason = reason.strip()
    if not reason or len(reason) > treasury.MAX_REASON:
        raise TreasuryError("bad_reason", "reason")
    entry.cancelled_at, entry.cancelled_by, entry.cancel_reason = now, by.display_name, reason
    db.session.flush()


def entries_of(cooperative: Cooperative) -> list[TreasuryEntry]:
    """The class's book: every confirmed entry (cancelled ones too, which count nowhere), by date. Entries that
    wait for the educator's confirmation, or that were refused, are not in it."""
    query = (select(TreasuryEntry).where(TreasuryEntry.cooperative_id == cooperative.id,
                                         TreasuryEntry.confirmed_at.is_not(None))
             .options(selectinload(TreasuryEntry.decision))
             .order_by(TreasuryEntry.occurred_on, TreasuryEntry.id))
    return list(db.session.scalars(query))


def not_confirmed(cooperative: Cooperative, refused: bool = False) -> list[TreasuryEntry]:
    """What the treasurer recorded and the educator has not confirmed: waiting (the oldest first), or refused (the
    latest first)."""
    query = (select(TreasuryEntry).where(TreasuryEntry.cooperative_id == cooperative.id,
                                         TreasuryEntry.confirmed_at.is_(None))
             .options(selectinload(TreasuryEntry.decision)))
    if refused:
        query = query.where(TreasuryEntry.refused_at.is_not(None)).order_by(TreasuryEntry.refused_at.desc())
    else:
        query = query.where(TreasuryEntry.refused_at.is_(None)).order_by(TreasuryEntry.recorded_at, TreasuryEntry.id)
    return list(db.session.scalars(query))


def year_report(cooperative: Cooperative, entries: list[TreasuryEntry]) -> treasury.YearReport:
    return treasury.year_report(entries, cooperative.school_year)


def approving_decisions(cooperative: Cooperative) -> list[Decision]:
    """The decisions of the class an expense may cite: every one not dropped, the latest first."""
    query = (select(Decision).where(Decision.cooperative_id == cooperative.id, Decision.status != "dropped")
             .order_by(Decision.decided_at.desc(), Decision.id.desc()))
    return list(db.session.scalars(query))


def spending_on(decision: Decision) -> list[TreasuryEntry]:
    """The expenses that cite a decision and count (confirmed, not cancelled), in the order they were spent."""
    query = (select(TreasuryEntry).where(TreasuryEntry.decision_id == decision.id, TreasuryEntry.cancelled_at.is_(None),
                                         TreasuryEntry.confirmed_at.is_not(None))
             .order_by(TreasuryEntry.occurred_on, TreasuryEntry.id))
    return list(db.session.scalars(query))


# The pupils' treasurer -------------------------------------------------------------------------------------------

def treasurer_assembly(cooperative_id: int) -> Assembly | None:
    """The assembly whose treasurer keeps the class's money now: the latest one opened (in session, or the last
    held). Roles rotate at each assembly, so a treasurer's term runs from the opening of their assembly to the
    opening of the next; the roles of an assembly still planned are only a suggestion."""
    query = (select(Assembly).where(Assembly.cooperative_id == cooperative_id, Assembly.status != PLANNED)
             .order_by(Assembly.opened_at.desc(), Assembly.id.desc()))
    return db.session.scalars(query.limit(1)).first()


def current_treasurer(cooperative: Cooperative) -> Pupil | None:
    """The pupil who may record money on the class tablet now, if any (one still in the class)."""
    assembly = treasurer_assembly(cooperative.id)
    held = [role.pupil for role in assembly.roles if role.role == "treasurer"] if assembly else []
    return held[0] if held and held[0].closed_at is None else None
