"""Decisions and the register: an append-only chain of entries per class, and the decisions it records."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.people import Pupil
from app.models.schools import Cooperative
from app.models.types import UTCDateTime, utcnow

DECISION_METHODS = ("secret_ballot", "show_of_hands", "consensus", "election")
DECISION_STATUSES = ("to_do", "in_progress", "done", "dropped")

decision_responsible = Table(
    "decision_responsible",
    db.metadata,
    Column("decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True),
    Column("pupil_id", ForeignKey("pupil.id", ondelete="CASCADE"), primary_key=True),
)


class Decision(db.Model):
    """What the class decided; its text and status mirror the latest register entries, which are the proof."""

    __tablename__ = "decision"
    __table_args__ = (
        CheckConstraint("method IN ('secret_ballot', 'show_of_hands', 'consensus', 'election')", name="method"),
        CheckConstraint("status IN ('to_do', 'in_progress', 'done', 'dropped')", name="status"),
        UniqueConstraint("poll_id", name="uq_decision_poll_id"),
        Index("ix_decision_cooperative_status", "cooperative_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), index=True)
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("poll.id", ondelete="SET NULL"))
    assembly_id: Mapped[int | None] = mapped_column(ForeignKey("assembly.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(String(1000))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    method: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(24), default="")
    figures: Mapped[str] = mapped_column(Text, default="{}")  # JSON: counts, eligible, participants, quorum
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="to_do")
    cooperative: Mapped[Cooperative] = relationship()
    responsible: Mapped[list[Pupil]] = relationship(secondary=decision_responsible, order_by="Pupil.first_name")
    entries: Mapped[list["RegisterEntry"]] = relationship(
        back_populates="decision", order_by="RegisterEntry.position", foreign_keys="RegisterEntry.decision_id"
    )

    @property
    def is_open(self) -> bool:
        return self.status in ("to_do", "in_progress")


class RegisterEntry(db.Model):
    """One link of a class's register chain: a decision, a follow-up or a correction — never edited.

    The chain links content hashes, so removing pupils' names after the retention period (redaction)
    leaves the chain verifiable: a redacted entry keeps the hash of what it first said.
    """

    __tablename__ = "register_entry"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "position", name="uq_register_entry_cooperative_position"),
        CheckConstraint("kind IN ('decision', 'follow_up', 'correction')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"), index=True)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("register_entry.id", ondelete="SET NULL"))
    content: Mapped[str] = mapped_column(Text)  # canonical JSON of what the entry says
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of content as first written
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # names removed after the retention period
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(120), default="")
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    decision: Mapped[Decision] = relationship(back_populates="entries", foreign_keys=[decision_id])
