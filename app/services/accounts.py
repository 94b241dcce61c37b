"""Adults: school applications, approval, educator invitations, sign-in and password reset."""

import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import AdultSession, School, SchoolStaff, User
from app.services.tokens import hash_token, new_token


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
    """The account, if the password is its own; an unknown address costs the same hashing, so the time an answer
    takes does not tell whether an account exists."""
    user = user_by_email(email)
    if user is None:
        check_password_hash(_stand_in_hash(), password)
        return None
    return user if user.check_password(password) else None


def _stand_in_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    cache = current_app.extensions.setdefault("stand_in_password_hashes", {})
    if method not in cache:
        cache[method] = generate_password_hash(secrets.token_urlsafe(16), method)
    return cache[method]


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


def is_staff(school: School, user: User, role: str) -> bool:
    return any(staff.school_id == school.id and staff.role == role for staff in user.staff_roles)


def add_staff(school: School, user: User, role: str) -> None:
    if not is_staff(school, user, role):
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


def open_session(user: User, now: datetime, lifetime: timedelta) -> str:
    """A new sign-in of user, lasting at most lifetime; returns the key its cookies carry (kept only as a hash)."""
    db.session.execute(delete(AdultSession).where(AdultSession.user_id == user.id, AdultSession.expires_at <= now))
    key, key_hash = new_token()
    db.session.add(AdultSession(user_id=user.id, key_hash=key_hash, created_at=now, expires_at=now + lifetime))
    user.session_key = key
    return key


def user_for_session(user_id: int, key: str, now: datetime) -> User | None:
    """The adult signed in with this key, while the sign-in is neither ended nor expired."""
    user = db.session.scalar(select(User).join(AdultSession).where(
        AdultSession.user_id == user_id, AdultSession.key_hash == hash_token(key), AdultSession.expires_at > now))
    if user is not None:
        user.session_key = key
    return user


def end_session(user: User) -> None:
    key = getattr(user, "session_key", None)
    if key:
        db.session.execute(delete(AdultSession).where(AdultSession.key_hash == hash_token(key)))


def end_every_session(user: User) -> None:
    db.session.execute(delete(AdultSession).where(AdultSession.user_id == user.id))


def session_count(user: User, now: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(AdultSession).where(
        AdultSession.user_id == user.id, AdultSession.expires_at > now))
