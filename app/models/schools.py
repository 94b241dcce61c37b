"""Schools, their staff, and class cooperatives (one per class and school year)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.collation import by_name
from app.extensions import db
from app.models.types import UTCDateTime, utcnow

SCHOOL_STATUSES = ("pending", "approved", "rejected")
STAFF_ROLES = ("head", "educator")
COOPERATIVE_KINDS = ("class", "council")


class School(db.Model):
    __tablename__ = "school"
    __table_args__ = (CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cooperatives: Mapped[list["Cooperative"]] = relationship(back_populates="school", order_by="Cooperative.name")
    staff: Mapped[list["SchoolStaff"]] = relationship(back_populates="school", cascade="all, delete-orphan")

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"


class SchoolStaff(db.Model):
    """An adult's role in a school: its head, one of its educators, or both (many heads teach a class)."""

    __tablename__ = "school_staff"
    __table_args__ = (
        UniqueConstraint("school_id", "user_id", "role", name="uq_school_staff_school_user_role"),
        CheckConstraint("role IN ('head', 'educator')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    school: Mapped[School] = relationship(back_populates="staff")
    user: Mapped["User"] = relationship(back_populates="staff_roles")  # noqa: F821


class Cooperative(db.Model):
    """A class cooperative for one school year (or the school's council of delegates)."""

    __tablename__ = "cooperative"
    __table_args__ = (
        UniqueConstraint("school_id", "name", "school_year", name="uq_cooperative_school_name_year"),
        CheckConstraint("kind IN ('class', 'council')", name="kind"),
        CheckConstraint("school_year BETWEEN 2000 AND 2200", name="school_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    school_year: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16), default="class")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    school: Mapped[School] = relationship(back_populates="cooperatives")
    educators: Mapped[list["User"]] = relationship(secondary="cooperative_educator")  # noqa: F821
    pupils: Mapped[list["Pupil"]] = relationship(  # noqa: F821
        back_populates="cooperative", order_by="(Pupil.first_name, Pupil.initial)"
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def year_label(self) -> str:
        return f"{self.school_year}–{self.school_year + 1}"

    def active_pupils(self) -> list["Pupil"]:  # noqa: F821
        return by_name(pupil for pupil in self.pupils if pupil.closed_at is None)


class CooperativeEducator(db.Model):
    __tablename__ = "cooperative_educator"

    cooperative_id: Mapped[int] = mapped_column(
        ForeignKey("cooperative.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
