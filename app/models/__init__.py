"""SQLAlchemy models, one module per feature; importing this package registers them all."""

from app.models.cards import SignInCard
from app.models.devices import PairedTablet, PairingLink
from app.models.people import Pupil, User
from app.models.polls import AuditEvent, Ballot, Eligibility, Participation, Poll, PollOption
from app.models.schools import Cooperative, CooperativeEducator, School, SchoolStaff

__all__ = [
    "AuditEvent",
    "Ballot",
    "Eligibility",
    "Participation",
    "Poll",
    "PollOption",
    "Cooperative",
    "CooperativeEducator",
    "PairedTablet",
    "PairingLink",
    "Pupil",
    "School",
    "SchoolStaff",
    "SignInCard",
    "User",
]
