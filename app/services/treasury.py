"""A class's treasury: recording income and expenses, cancelling a mistake, the entries and the year report."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import treasury
from app.domain.treasury import Draft, TreasuryError
from app.extensions import db
from app.models import Cooperative, Decision, TreasuryEntry, User


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


def record_entry(cooperative: Cooperative, draft: Draft, by: User, now: datetime) -> TreasuryEntry:
    """Checks everything first, then adds the entry: a refused draft writes nothing."""
    treasury.check_draft(draft, cooperative.school_year, school_today(cooperative, now))
    _check_decision(cooperative, draft.decision_id)
    entry = TreasuryEntry(
        cooperative=cooperative, kind=draft.kind, category=draft.category, occurred_on=draft.occurred_on,
        amount_cents=draft.amount_cents, description=draft.description.strip(), decision_id=draft.decision_id,
        recorded_at=now, recorded_by=by.display_name,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def cancel_entry(entry: TreasuryEntry, by: User, reason: str, now: datetime) -> None:
    """Marks the entry cancelled, with who, when and why; it stays listed and leaves every total."""
    if entry.is_cancelled:
        raise TreasuryError("already_cancelled", "reason")
    reason = reason.strip()
    if not reason or len(reason) > treasury.MAX_REASON:
        raise TreasuryError("bad_reason", "reason")
    entry.cancelled_at, entry.cancelled_by, entry.cancel_reason = now, by.display_name, reason
    db.session.flush()


def entries_of(cooperative: Cooperative) -> list[TreasuryEntry]:
    query = (select(TreasuryEntry).where(TreasuryEntry.cooperative_id == cooperative.id)
             .options(selectinload(TreasuryEntry.decision))
             .order_by(TreasuryEntry.occurred_on, TreasuryEntry.id))
    return list(db.session.scalars(query))


def year_report(cooperative: Cooperative, entries: list[TreasuryEntry]) -> treasury.YearReport:
    return treasury.year_report(entries, cooperative.school_year)


def approving_decisions(cooperative: Cooperative) -> list[Decision]:
    """The decisions of the class an expense may cite: every one not dropped, the latest first."""
    query = (select(Decision).where(Decision.cooperative_id == cooperative.id, Decision.status != "dropped")
             .order_by(Decision.decided_at.desc(), Decision.id.desc()))
    return list(db.session.scalars(query))


def spending_on(decision: Decision) -> list[TreasuryEntry]:
    """The expenses that cite a decision and still count, in the order they were spent."""
    query = (select(TreasuryEntry).where(TreasuryEntry.decision_id == decision.id, TreasuryEntry.cancelled_at.is_(None))
             .order_by(TreasuryEntry.occurred_on, TreasuryEntry.id))
    return list(db.session.scalars(query))
