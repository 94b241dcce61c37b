"""A class cooperative's treasury: income and expenses, never edited — a mistake is cancelled, with who and when.

An entry the pupils' treasurer records on the class tablet waits for the educator, who confirms it (then it counts)
or refuses it with a reason (then it never counts); an educator's own entries are confirmed as they are recorded.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.treasury import EXPENSE_CATEGORIES, INCOME_CATEGORIES, MAX_DESCRIPTION, MAX_REASON
from app.extensions import db
from app.models.people import Pupil
from app.models.register import Decision
from app.models.schools import Cooperative
from app.models.types import UTCDateTime, utcnow


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class TreasuryEntry(db.Model):
    """Money in or out of a class cooperative; an expense cites the decision of the class that approved it."""

    __tablename__ = "treasury_entry"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint(
            f"(kind = 'income' AND category IN ({_quoted(INCOME_CATEGORIES)}) AND decision_id IS NULL) OR "
            f"(kind = 'expense' AND category IN ({_quoted(EXPENSE_CATEGORIES)}) AND decision_id IS NOT NULL)",
            name="kind_category_decision",
        ),
        CheckConstraint("(cancelled_at IS NULL) = (cancelled_by IS NULL)", name="cancelled_by_whom"),
        CheckConstraint("(confirmed_at IS NULL) = (confirmed_by IS NULL)", name="confirmed_by_whom"),
        CheckConstraint("(refused_at IS NULL) = (refused_by IS NULL)", name="refused_by_whom"),
        # Waiting, confirmed or refused: never both; only a confirmed entry (one that counted) is ever cancelled.
        CheckConstraint("confirmed_at IS NULL OR refused_at IS NULL", name="confirmed_or_refused"),
        CheckConstraint("cancelled_at IS NULL OR confirmed_at IS NOT NULL", name="cancelled_once_confirmed"),
        # The tablet's form sent again after a lost answer (or a double tap) names the same submission: stored once.
        UniqueConstraint("recorded_by_pupil_id", "submission_key", name="uq_treasury_entry_pupil_submission"),
        Index("ix_treasury_entry_cooperative_occurred_on", "cooperative_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(24))
    occurred_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(String(MAX_DESCRIPTION))
    # No ON DELETE action: a cited decision cannot be deleted alone, yet deleting the class removes both.
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(120))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(120))
    cancel_reason: Mapped[str] = mapped_column(String(MAX_REASON), default="")
    # The treasurer who recorded it on the class tablet (None: an educator did). No ON DELETE action: a pupil with
    # an entry is closed, not deleted (app.services.classes.remove_pupil).
    recorded_by_pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupil.id"), index=True)
    submission_key: Mapped[str | None] = mapped_column(String(43))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by: Mapped[str | None] = mapped_column(String(120))
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refused_by: Mapped[str | None] = mapped_column(String(120))
    refusal_reason: Mapped[str] = mapped_column(String(MAX_REASON), default="")
    cooperative: Mapped[Cooperative] = relationship()
    decision: Mapped[Decision | None] = relationship()
    recorded_by_pupil: Mapped[Pupil | None] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_refused(self) -> bool:
        return self.refused_at is not None

    @property
    def is_waiting(self) -> bool:
        return not self.is_confirmed and not self.is_refused

    @property
    def from_tablet(self) -> bool:
        return self.recorded_by_pupil_id is not None
