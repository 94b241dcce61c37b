"""Pairing shared tablets with a class, and recognising them from their signed device cookie."""

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.extensions import db
from app.models import Cooperative, PairedTablet, PairingLink
from app.services.tokens import hash_token, new_token, same_hash

COOKIE_NAME = "agora_tablet"
COOKIE_MAX_AGE = 400 * 24 * 3600
PAIRING_LINK_LIFETIME = timedelta(minutes=30)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="agora-paired-tablet")


def new_pairing_link(cooperative: Cooperative, now: datetime, lifetime: timedelta = PAIRING_LINK_LIFETIME):
    token, token_hash = new_token()
    link = PairingLink(cooperative=cooperative, token_hash=token_hash, created_at=now, expires_at=now + lifetime)
    db.session.add(link)
    db.session.flush()
    return link, token


def pairing_link_for(token: str) -> PairingLink | None:
    return db.session.scalar(select(PairingLink).where(PairingLink.token_hash == hash_token(token)))


def pair_tablet(link: PairingLink, label: str, now: datetime) -> tuple[PairedTablet, str]:
    """A new paired tablet and the cookie value that identifies it."""
    secret, secret_hash = new_token()
    tablet = PairedTablet(cooperative_id=link.cooperative_id, label=label, secret_hash=secret_hash, paired_at=now)
    db.session.add(tablet)
    db.session.flush()
    return tablet, _serializer().dumps({"tablet": tablet.id, "secret": secret})


def tablet_from_cookie(value: str) -> PairedTablet | None:
    if not value:
        return None
    try:
        data = _serializer().loads(value)
        tablet_id, secret = int(data["tablet"]), str(data["secret"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    tablet = db.session.get(PairedTablet, tablet_id)
    if tablet is None or not tablet.is_active or not same_hash(secret, tablet.secret_hash):
        return None
    return None if tablet.cooperative.is_archived else tablet


def revoke_tablet(tablet: PairedTablet, now: datetime) -> None:
    tablet.revoked_at = now


def revoke_pairing(cooperative: Cooperative, now: datetime) -> None:
    """Unpair every tablet of the class and void its pairing links."""
    for tablet in active_tablets(cooperative):
        tablet.revoked_at = now
    links = select(PairingLink).where(PairingLink.cooperative_id == cooperative.id, PairingLink.revoked_at.is_(None))
    for link in db.session.scalars(links):
        link.revoked_at = now


def active_tablets(cooperative: Cooperative) -> list[PairedTablet]:
    query = select(PairedTablet).where(
        PairedTablet.cooperative_id == cooperative.id, PairedTablet.revoked_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(PairedTablet.paired_at)))
