"""A cooperative's year's report as its educator submitted it to the federation: the figures of that day, kept."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.schools import Cooperative
from app.models.types import UTCDateTime, utcnow


class YearReportSubmission(db.Model):
    __tablename__ = "year_report_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), unique=True)
    school_year: Mapped[int] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by: Mapped[str] = mapped_column(String(120))
    figures: Mapped[str] = mapped_column(Text)  # app/domain/year_report.py to_json
    cooperative: Mapped[Cooperative] = relationship()
