"""The live figures of the public home page, counted from the database on every request (nothing is cached in a
worker's memory, so every worker shows the same numbers) and never typed in by anyone."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.domain import public_figures
from app.extensions import db
from app.models import Cooperative, Decision, Participation, TreasuryEntry


@dataclass(frozen=True)
class Counters:
    cooperatives: int
    assemblies_held: int
    decisions_taken: int
    ballots_cast: int
    money: dict[str, int]  # cents per figure, in app.domain.public_figures.FIGURES order


def cooperatives() -> int:
    """Every class cooperative and council of delegates ever opened (one per class and school year)."""
    return db.session.scalar(select(func.count()).select_from(Cooperative)) or 0


def assemblies_held() -> int:
    """Assemblies whose status is 'closed'.

    The assemblies feature owns its table; looking it up in the metadata rather than importing its model keeps
    this counter working (at 0) in a build where that table does not exist yet.
    """
    assembly = db.metadata.tables.get("assembly")
    if assembly is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(assembly).where(assembly.c.status == "closed")) or 0


def decisions_taken() -> int:
    """Every decision recorded in a class's register."""
    return db.session.scalar(select(func.count()).select_from(Decision)) or 0


def ballots_cast() -> int:
    """Every participation (émargement) in every poll: one per pupil who voted in a poll; counts no ballot."""
    return db.session.scalar(select(func.count()).select_from(Participation)) or 0


def money_figures() -> dict[str, int]:
    """The four money figures in cents, from every cooperative's entries that count (confirmed by an adult, not
    cancelled: app.domain.treasury.counts), each category counted where app.domain.public_figures.FIGURE_OF places
    it."""
    query = (select(TreasuryEntry.kind, TreasuryEntry.category, func.sum(TreasuryEntry.amount_cents))
             .where(TreasuryEntry.cancelled_at.is_(None), TreasuryEntry.confirmed_at.is_not(None))
             .group_by(TreasuryEntry.kind, TreasuryEntry.category))
    totals = {(kind, category): int(total) for kind, category, total in db.session.execute(query)}
    return public_figures.public_figures(totals)


def public_counters() -> Counters:
    return Counters(cooperatives(), assemblies_held(), decisions_taken(), ballots_cast(), money_figures())
