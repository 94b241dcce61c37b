"""Assemblies (the class council): agenda items, the pupils' roles, attendance and the speakers queue."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.messages import Message
from app.models.people import Pupil, User
from app.models.schools import Cooperative
from app.models.types import UTCDateTime, utcnow


class Assembly(db.Model):
    """One council of a class: planned → in session → closed; version grows with every change boards must show."""

    __tablename__ = "assembly"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_session', 'closed')", name="status"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("status = 'planned' OR opened_at IS NOT NULL", name="opened"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed"),
        CheckConstraint("current_position IS NULL OR status = 'in_session'", name="current_in_session"),
        CheckConstraint("minutes_validated_at IS NULL OR status = 'closed'", name="minutes_after_closing"),
        Index("ix_assembly_cooperative_status", "cooperative_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    version: Mapped[int] = mapped_column(default=1)
    current_position: Mapped[int | None] = mapped_column()
    item_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("pupil.id"))
    chair_runs_board: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_text: Mapped[str] = mapped_column(Text, default="")
    minutes_validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cooperative: Mapped[Cooperative] = relationship()
    speaker: Mapped[Pupil | None] = relationship()
    minutes_validated_by: Mapped[User | None] = relationship()
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="assembly", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    roles: Mapped[list["AssemblyRole"]] = relationship(
        back_populates="assembly", order_by="(AssemblyRole.role, AssemblyRole.seat)", cascade="all, delete-orphan"
    )

    @property
    def current_item(self) -> "AgendaItem | None":
        if self.current_position is None or self.current_position >= len(self.items):
            return None
        return self.items[self.current_position]

    @property
    def minutes_frozen(self) -> bool:
        return self.minutes_validated_at is not None

    def touch(self) -> None:
        """Boards and tablets must redraw: the version grows in SQL, in the same transaction as the change."""
        self.version = Assembly.version + 1

    def holders(self, role: str) -> set[int]:
        """Ids of the pupils holding this role in this assembly (the policy asks)."""
        return {held.pupil_id for held in self.roles if held.role == role}


class AgendaItem(db.Model):
    """One item of the agenda; message items carry a message of the box, the others a title."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        UniqueConstraint("assembly_id", "position", name="uq_agenda_item_assembly_position"),
        UniqueConstraint("message_id", name="uq_agenda_item_message"),
        CheckConstraint(
            "section IN ('follow_up', 'news', 'congratulations', 'criticisms', 'wishes', 'proposals', 'elections', "
            "'treasury', 'closing', 'free')", name="section"),
        CheckConstraint("(message_id IS NOT NULL) = (section IN ('congratulations', 'criticisms', 'wishes', "
                        "'proposals'))", name="message_items"),
        CheckConstraint("minutes BETWEEN 1 AND 120", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    section: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200), default="")
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    minutes: Mapped[int] = mapped_column(default=5)
    outcome: Mapped[str | None] = mapped_column(String(280))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assembly: Mapped[Assembly] = relationship(back_populates="items")
    message: Mapped[Message | None] = relationship()


class AssemblyRole(db.Model):
    """A pupil's role in one assembly: chair, secretary, timekeeper, speaker-giver, treasurer, or one of two tellers."""

    __tablename__ = "assembly_role"
    __table_args__ = (
        UniqueConstraint("assembly_id", "role", "seat", name="uq_assembly_role_assembly_role_seat"),
        CheckConstraint("role IN ('chair', 'secretary', 'timekeeper', 'speaker_giver', 'treasurer', 'teller')",
                        name="role"),
        CheckConstraint("seat = 1 OR (role = 'teller' AND seat = 2)", name="seat"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    seat: Mapped[int] = mapped_column(default=1)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    assembly: Mapped[Assembly] = relationship(back_populates="roles")
    pupil: Mapped[Pupil] = relationship()


class Attendance(db.Model):
    """A pupil present at an assembly, as ticked by the educator."""

    __tablename__ = "attendance"

    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"), primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), primary_key=True)
    pupil: Mapped[Pupil] = relationship()


class Speaker(db.Model):
    """A pupil in an assembly's speakers queue: waiting while asked_at is set; spoken counts their turns."""

    __tablename__ = "speaker"
    __table_args__ = (
        UniqueConstraint("assembly_id", "pupil_id", name="uq_speaker_assembly_pupil"),
        CheckConstraint("spoken >= 0", name="spoken"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"))
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    spoken: Mapped[int] = mapped_column(default=0)
    pupil: Mapped[Pupil] = relationship()
