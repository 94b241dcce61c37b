"""The class message box: what pupils post in the four Freinet columns, amendments, and supports for proposals."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.agenda_votes import step_state
from app.extensions import db
from app.models.people import Pupil
from app.models.schools import Cooperative
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.polls import Poll

MESSAGE_KINDS = ("congratulate", "criticise", "wish", "propose", "amend")
MESSAGE_STATUSES = ("pending", "approved", "declined", "merged")


class Message(db.Model):
    """A pupil's message; the author is always known to the educator, shown to the class unless anonymous."""

    __tablename__ = "message"
    __table_args__ = (
        CheckConstraint("kind IN ('congratulate', 'criticise', 'wish', 'propose', 'amend')", name="kind"),
        CheckConstraint("status IN ('pending', 'approved', 'declined', 'merged')", name="status"),
        CheckConstraint("(kind = 'amend') = (amends_id IS NOT NULL)", name="amendment_of_a_proposal"),
        CheckConstraint("status != 'declined' OR decline_reason IS NOT NULL", name="declined_with_a_reason"),
        CheckConstraint("(status = 'merged') = (merged_into_id IS NOT NULL)", name="merged_into"),
        CheckConstraint("length(text) BETWEEN 1 AND 280", name="text_length"),
        Index("ix_message_cooperative_status", "cooperative_id", "status"),
        # A form sent again (its answer lost on the way, or a double tap) names the same submission: stored once.
        UniqueConstraint("author_id", "submission_key", name="uq_message_author_submission"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(280))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    anonymous: Mapped[bool] = mapped_column(default=False)
    decline_reason: Mapped[str | None] = mapped_column(String(280))
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submission_key: Mapped[str | None] = mapped_column(String(43))
    cooperative: Mapped[Cooperative] = relationship()
    author: Mapped[Pupil] = relationship()
    amends: Mapped["Message | None"] = relationship(remote_side=[id], foreign_keys=[amends_id])
    merged_into: Mapped["Message | None"] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    supports: Mapped[list["Support"]] = relationship(back_populates="message", cascade="all, delete-orphan")
    polls: Mapped[list["Poll"]] = relationship(back_populates="message", order_by="Poll.id")

    @property
    def is_proposal(self) -> bool:
        return self.kind == "propose"

    @property
    def support_count(self) -> int:
        return len(self.supports)

    def supported_by(self, pupil_id: int) -> bool:
        return any(support.pupil_id == pupil_id for support in self.supports)

    @property
    def current_poll(self) -> "Poll | None":
        """The poll putting this proposal or amendment to the vote: the one not cancelled (there is at most one)."""
        running = [poll for poll in self.polls if poll.status != "cancelled"]
        return running[-1] if running else None

    @property
    def adopted(self) -> bool | None:
        """Whether the class adopted this proposal or amendment; None until its result is announced."""
        poll = self.current_poll
        return poll.adopted if poll is not None else None

    @property
    def vote_state(self) -> str:
        """to_vote, voting, adopted or rejected (app.domain.agenda_votes)."""
        return step_state(self.current_poll is not None, self.adopted)


class Support(db.Model):
    """A pupil supports a proposal, once."""

    __tablename__ = "support"
    __table_args__ = (UniqueConstraint("message_id", "pupil_id", name="uq_support_message_pupil"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"))
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    message: Mapped[Message] = relationship(back_populates="supports")
