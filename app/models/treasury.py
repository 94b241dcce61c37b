"""A class cooperative's treasury: income and expenses, never edited — a mistake is cancelled, with who and when."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.treasury import EXPENSE_CATEGORIES, INCOME_CATEGORIES, MAX_DESCRIPTION, MAX_REASON
from app.extensions import db
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
    cooperative: Mapped[Cooperative] = relationship()
    decision: Mapped[Decision | None] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None
