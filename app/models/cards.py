"""QR sign-in cards: random tokens stored hashed, expiring at the end of the school year or after 12 hours."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.people import Pupil
from app.models.types import UTCDateTime, utcnow


class SignInCard(db.Model):
    __tablename__ = "sign_in_card"
    __table_args__ = (CheckConstraint("kind IN ('yearly', 'temporary')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="yearly")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pupil: Mapped[Pupil] = relationship()

    def refusal(self, now: datetime) -> str | None:
        """Why this card cannot sign in now ('revoked', 'expired'), or None when it can."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return None
