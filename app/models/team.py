"""The federation's team as the public home page presents it, kept by the federation admins."""

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

MAX_NAME = 120
MAX_ROLE = 120
MAX_BIO = 600


class TeamMember(db.Model):
    """A person of the federation's team; position orders the list (smallest first)."""

    __tablename__ = "team_member"
    __table_args__ = (CheckConstraint("position >= 0", name="position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    role: Mapped[str] = mapped_column(String(MAX_ROLE))
    bio: Mapped[str] = mapped_column(String(MAX_BIO), default="")
    position: Mapped[int] = mapped_column(default=0, index=True)
