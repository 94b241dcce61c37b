"""Paired class tablets and the pairing links that pair them."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.schools import Cooperative
from app.models.types import UTCDateTime, utcnow


class PairingLink(db.Model):
    """A link (shown as a QR code) that pairs any tablet opening it with one class, until it expires."""

    __tablename__ = "pairing_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cooperative: Mapped[Cooperative] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class PairedTablet(db.Model):
    """A shared tablet bound to one class by a signed device cookie; revocable by the educator."""

    __tablename__ = "paired_tablet"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    secret_hash: Mapped[str] = mapped_column(String(64))
    paired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The hash of the key of the pupil signed in on it: signing out empties it, so a copied cookie opens nothing.
    pupil_session_hash: Mapped[str | None] = mapped_column(String(64))
    cooperative: Mapped[Cooperative] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
