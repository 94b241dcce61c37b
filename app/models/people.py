"""People: adults who sign in with e-mail and password, and pupils who sign in on a paired class tablet."""

from datetime import datetime

from flask import current_app
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.schools import Cooperative, SchoolStaff
from app.models.types import UTCDateTime, utcnow


class User(db.Model):
    """An adult: educator, school head or federation admin (roles come from their memberships)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    is_federation_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_roles: Mapped[list[SchoolStaff]] = relationship(back_populates="user", cascade="all, delete-orphan")
    cooperatives: Mapped[list[Cooperative]] = relationship(
        secondary="cooperative_educator", viewonly=True, order_by="Cooperative.name"
    )

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_pupil = False
    session_key = None  # the sign-in this request belongs to; set when it is opened or recognised

    def get_id(self) -> str:
        return f"adult:{self.id}:{self.session_key}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def anonymous_name(class_name: str) -> str:
    from flask_babel import gettext

    return gettext("a pupil of %(class_name)s", class_name=class_name)


class Pupil(db.Model):
    """A member of a class cooperative, known by first name and initial; no e-mail, no photo."""

    __tablename__ = "pupil"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "first_name", "initial", name="uq_pupil_cooperative_name"),
        UniqueConstraint("cooperative_id", "picture_code", name="uq_pupil_cooperative_picture_code"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(40))
    initial: Mapped[str] = mapped_column(String(3), default="")
    avatar: Mapped[str] = mapped_column(String(24))
    picture_code: Mapped[str] = mapped_column(String(40))
    birth_year: Mapped[int | None] = mapped_column()
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # name removed after retention
    cooperative: Mapped[Cooperative] = relationship(back_populates="pupils")

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_pupil = True
    is_federation_admin = False
    session_key = None  # matched against the tablet's pupil_session_hash on every request

    def get_id(self) -> str:
        return f"pupil:{self.id}:{self.session_key}"

    @property
    def display_name(self) -> str:
        if self.anonymised_at is not None:
            return anonymous_name(self.cooperative.name)
        return f"{self.first_name} {self.initial}." if self.initial else self.first_name

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now
