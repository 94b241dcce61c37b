"""Polls and the ballot box: what is asked, who may vote, who voted, and the sealed ballots — kept apart."""

import json
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.assemblies import AgendaItem, Assembly
from app.models.messages import Message
from app.models.people import Pupil, User
from app.models.schools import Cooperative
from app.models.types import UTCDateTime, utcnow

POLL_KINDS = ("motion", "election", "show_of_hands", "consensus")
POLL_STATUSES = ("draft", "open", "closed", "counted", "cancelled")
RUNNING = "status IN ('draft', 'open', 'closed')"


class Poll(db.Model):
    """A question put to the class; its question, options, rule and voters are frozen when it opens."""

    __tablename__ = "poll"
    __table_args__ = (
        CheckConstraint("kind IN ('motion', 'election', 'show_of_hands', 'consensus')", name="kind"),
        CheckConstraint("status IN ('draft', 'open', 'closed', 'counted', 'cancelled')", name="status"),
        CheckConstraint("custody IN ('server', 'ceremony')", name="custody"),
        CheckConstraint("seats >= 1", name="seats"),
        CheckConstraint("quorum_percent IS NULL OR quorum_percent BETWEEN 1 AND 100", name="quorum_percent"),
        CheckConstraint("round IN (1, 2)", name="round"),
        # One vote per proposal or amendment; a cancelled one may be run again.
        Index("uq_poll_message_id_not_cancelled", "message_id", unique=True,
              sqlite_where=text("status != 'cancelled'"), postgresql_where=text("status != 'cancelled'")),
        # One ballot box at a time per agenda item, from its draft until its count: a second click is refused.
        Index("uq_poll_agenda_item_id_running", "agenda_item_id", unique=True,
              sqlite_where=text(RUNNING), postgresql_where=text(RUNNING)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(24))  # motion rule or election method
    seats: Mapped[int] = mapped_column(default=1)
    quorum_percent: Mapped[int | None] = mapped_column()
    round: Mapped[int] = mapped_column(default=1)
    first_round_id: Mapped[int | None] = mapped_column(ForeignKey("poll.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    custody: Mapped[str] = mapped_column(String(16), default="server")
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary(64))
    wrapped_private_key: Mapped[bytes | None] = mapped_column(LargeBinary(256))
    key_cards_wrapped: Mapped[str | None] = mapped_column(Text)
    # The key store's entry for this poll; None for a poll opened before the key store (docs/ballot-secrecy.md).
    key_name: Mapped[str | None] = mapped_column(String(32))
    trackers: Mapped[str | None] = mapped_column(Text)  # JSON: every ballot's tracker, sorted, kept apart from them
    scrub_pending: Mapped[bool] = mapped_column(default=False)  # dead ballots may still sit in the database files
    eligible_count: Mapped[int] = mapped_column(default=0)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[str | None] = mapped_column(Text)  # JSON: aggregates and outcome, never single ballots
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="SET NULL"), index=True)
    assembly_id: Mapped[int | None] = mapped_column(ForeignKey("assembly.id", ondelete="SET NULL"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True)
    cooperative: Mapped[Cooperative] = relationship()
    created_by: Mapped[User | None] = relationship()
    message: Mapped[Message | None] = relationship(back_populates="polls")  # the proposal or amendment voted on
    assembly: Mapped[Assembly | None] = relationship()  # the assembly whose agenda put it to the vote
    agenda_item: Mapped[AgendaItem | None] = relationship()  # the agenda item it was put from
    options: Mapped[list["PollOption"]] = relationship(
        back_populates="poll", order_by="PollOption.position", cascade="all, delete-orphan"
    )

    @property
    def is_secret(self) -> bool:
        return self.kind in ("motion", "election")

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def adopted(self) -> bool | None:
        """A motion's outcome once announced to the class; None before the announcement."""
        if self.published_at is None or not self.result:
            return None
        return bool(json.loads(self.result)["outcome"].get("adopted"))


class PollOption(db.Model):
    """A candidate of an election (a pupil who stands) or a fixed answer; motions need none."""

    __tablename__ = "poll_option"
    __table_args__ = (UniqueConstraint("poll_id", "position", name="uq_poll_option_poll_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(120))
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupil.id", ondelete="SET NULL"))
    poll: Mapped[Poll] = relationship(back_populates="options")
    pupil: Mapped[Pupil | None] = relationship()

    @property
    def key(self) -> str:
        return str(self.id)


class Eligibility(db.Model):
    """Who may vote in a poll, frozen when it opens."""

    __tablename__ = "poll_eligibility"

    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), primary_key=True)


class Participation(db.Model):
    """The émargement: this pupil has voted in this poll. No time, no link to the ballot, no casting order (SQLite
    keeps it by its key, without a rowid; closing rewrites the rows in pupil order)."""

    __tablename__ = "participation"
    __table_args__ = ({"sqlite_with_rowid": False},)

    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="RESTRICT"), primary_key=True)


class Ballot(db.Model):
    """A sealed ballot: a random id, its poll and ciphertext. No pupil, no time, no sequence."""

    __tablename__ = "ballot"
    __table_args__ = (Index("ix_ballot_poll_id", "poll_id"), {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"))
    sealed: Mapped[bytes] = mapped_column(LargeBinary(1024))


class AuditEvent(db.Model):
    """Who did what to a poll, and when: opening, closing, cancelling, counting, key cards. Never casting."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), index=True)
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(300), default="")
    actor: Mapped[User | None] = relationship()
