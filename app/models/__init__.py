"""SQLAlchemy models, one module per feature; importing this package registers them all."""

from app.models import search  # noqa: F401 - builds the full-text index with the tables
from app.models.assemblies import AgendaItem, Assembly, AssemblyRole, Attendance, Speaker
from app.models.cards import SignInCard
from app.models.devices import PairedTablet, PairingLink
from app.models.messages import Message, Support
from app.models.people import Pupil, User
from app.models.polls import AuditEvent, Ballot, Eligibility, Participation, Poll, PollOption
from app.models.register import Decision, RegisterEntry
from app.models.schools import Cooperative, CooperativeEducator, School, SchoolStaff
from app.models.sessions import AdultSession
from app.models.team import TeamMember
from app.models.treasury import TreasuryEntry
from app.models.year_reports import YearReportSubmission

__all__ = [
    "AdultSession",
    "AgendaItem",
    "Assembly",
    "AssemblyRole",
    "Attendance",
    "Message",
    "Speaker",
    "Support",
    "AuditEvent",
    "Ballot",
    "Decision",
    "Eligibility",
    "Participation",
    "Poll",
    "PollOption",
    "RegisterEntry",
    "Cooperative",
    "CooperativeEducator",
    "PairedTablet",
    "PairingLink",
    "Pupil",
    "School",
    "SchoolStaff",
    "SignInCard",
    "TeamMember",
    "TreasuryEntry",
    "YearReportSubmission",
    "User",
]
