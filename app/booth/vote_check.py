"""The signed ticket behind "Is my vote in the box?": issued with a pupil's confirm page, it lets that tablet ask
the émargement about that pupil and poll for a few minutes, even after the cast signed the pupil out."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.extensions import db
from app.models import PairedTablet, Poll, Pupil

SALT = "agora-vote-check"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def token_for(poll: Poll, pupil: Pupil) -> str:
    return _serializer().dumps({"poll": poll.id, "pupil": pupil.id})


def pupil_of(token: str, poll: Poll, tablet: PairedTablet | None, max_age: int) -> Pupil | None:
    """The pupil the ticket was issued to, if it is genuine, recent, for this poll and used on their class's tablet."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # expired tickets included
        return None
    if not isinstance(data, dict) or data.get("poll") != poll.id or not isinstance(data.get("pupil"), int):
        return None
    pupil = db.session.get(Pupil, data["pupil"])
    if pupil is None or tablet is None or tablet.cooperative_id != pupil.cooperative_id:
        return None
    return pupil
