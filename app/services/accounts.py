"""Adults: school applications, approval, educator invitations, sign-in and password reset."""

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.extensions import db
from app.models import School, SchoolStaff, User


class EmailTaken(Exception):
    """An account already uses this e-mail address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, display_name: str, password: str, federation_admin: bool = False) -> User:
    if user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(email=normalise_email(email), display_name=display_name.strip(), is_federation_admin=federation_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    return user if user is not None and user.check_password(password) else None


def apply_school(name: str, city: str, timezone: str, head: User) -> School:
    """A school asks to join; its head can sign in at once but manages nothing until approval."""
    school = School(name=name.strip(), city=city.strip(), timezone=timezone)
    school.staff.append(SchoolStaff(user=head, role="head"))
    db.session.add(school)
    db.session.flush()
    return school


def decide_application(school: School, approve: bool, now: datetime) -> None:
    school.status = "approved" if approve else "rejected"
    school.decided_at = now


def pending_schools() -> list[School]:
    return list(db.session.scalars(select(School).where(School.status == "pending").order_by(School.applied_at)))


def add_staff(school: School, user: User, role: str) -> None:
    if not any(staff.school_id == school.id and staff.role == role for staff in user.staff_roles):
        db.session.add(SchoolStaff(school=school, user=user, role=role))
    db.session.flush()


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def password_reset_token(user: User) -> str:
    return _serializer("password-reset").dumps({"user": user.id, "since": user.password_changed_at.isoformat()})


def user_from_reset_token(token: str, max_age: int) -> User | None:
    """The user whose reset link this is, if it is genuine, recent and not used yet."""
    try:
        data = _serializer("password-reset").loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or data.get("since") != user.password_changed_at.isoformat():
        return None
    return user


def invitation_token(school: School, email: str) -> str:
    return _serializer("educator-invitation").dumps({"school": school.id, "email": normalise_email(email)})


def read_invitation(token: str, max_age: int) -> tuple[School, str] | None:
    try:
        data = _serializer("educator-invitation").loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    school = db.session.get(School, data.get("school")) if isinstance(data, dict) else None
    return (school, data["email"]) if school is not None else None
