"""Pupils signing in on a paired tablet: picture codes with a lock after repeated failures, and QR cards."""

import hmac
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from app.domain.collation import by_name
from app.domain.school_year import school_year_end
from app.extensions import db
from app.models import Cooperative, PairedTablet, Pupil, SignInCard
from app.services.tokens import hash_token, new_token

TEMPORARY_CARD_LIFETIME = timedelta(hours=12)


@dataclass
class SignInRefused(Exception):
    reason: str  # wrong_code | locked | unknown_card | expired | revoked | other_class | closed
    attempts_left: int = 0
    locked_until: datetime | None = None


def check_picture_code(pupil: Pupil, code: str, now: datetime, max_failures: int, lock_minutes: int) -> None:
    """Accept the code or count a failure; the fifth failure in a row locks the pupil for a few minutes.

    The pupil's row is read afresh and locked first: wrong codes tapped at once on several tablets all count.
    """
    db.session.refresh(pupil, with_for_update=True)
    if pupil.closed_at is not None:
        raise SignInRefused("closed")
    if pupil.is_locked(now):
        raise SignInRefused("locked", locked_until=pupil.locked_until)
    if hmac.compare_digest(code.encode(), pupil.picture_code.encode()):
        pupil.failed_attempts, pupil.locked_until = 0, None
        return
    pupil.failed_attempts += 1
    if pupil.failed_attempts >= max_failures:
        pupil.failed_attempts, pupil.locked_until = 0, now + timedelta(minutes=lock_minutes)
        raise SignInRefused("locked", locked_until=pupil.locked_until)
    raise SignInRefused("wrong_code", attempts_left=max_failures - pupil.failed_attempts)


def unlock(pupil: Pupil) -> None:
    pupil.failed_attempts, pupil.locked_until = 0, None


def issue_card(pupil: Pupil, now: datetime, temporary: bool = False) -> str:
    """A new card for pupil; the token is returned once and only its hash is kept."""
    token, token_hash = new_token()
    school = pupil.cooperative.school
    expires_at = now + TEMPORARY_CARD_LIFETIME if temporary else school_year_end(
        pupil.cooperative.school_year, school.timezone
    )
    db.session.add(
        SignInCard(pupil=pupil, token_hash=token_hash, kind="temporary" if temporary else "yearly",
                   created_at=now, expires_at=expires_at)
    )
    return token


def issue_class_cards(cooperative: Cooperative, now: datetime) -> dict[int, str]:
    """New yearly cards for every pupil of the class; the cards printed before stop working."""
    revoke_all_cards(cooperative, now)
    return {pupil.id: issue_card(pupil, now) for pupil in cooperative.active_pupils()}


@dataclass
class CardsRefused(Exception):
    reason: str  # none_chosen | not_in_class | departed
    names: list[str] = field(default_factory=list)


def chosen_pupils(cooperative: Cooperative, ids: list[int]) -> list[Pupil]:
    """The pupils of the class the educator ticked, in roster order; refused whole if one cannot have a card.

    An id that is not a pupil of this class (another class's, or a pupil deleted since the page was shown) is
    refused without saying whose it is.
    """
    wanted = set(ids)
    if not wanted:
        raise CardsRefused("none_chosen")
    members = {pupil.id: pupil for pupil in cooperative.pupils}
    if not wanted <= members.keys():
        raise CardsRefused("not_in_class")
    departed = [members[pupil_id] for pupil_id in wanted if members[pupil_id].closed_at is not None]
    if departed:
        raise CardsRefused("departed", [pupil.display_name for pupil in by_name(departed)])
    return [pupil for pupil in cooperative.active_pupils() if pupil.id in wanted]


def issue_pupil_cards(pupils: list[Pupil], now: datetime) -> dict[int, str]:
    """New yearly cards for a few pupils; each one's cards printed before stop working, as for the whole class.

    Their rows are locked first (in id order): two sheets sent at once for a pupil leave them one working card.
    """
    db.session.scalars(select(Pupil.id).where(Pupil.id.in_([pupil.id for pupil in pupils]))
                       .order_by(Pupil.id).with_for_update()).all()
    for pupil in pupils:
        revoke_pupil_cards(pupil, now)
    return {pupil.id: issue_card(pupil, now) for pupil in pupils}


def revoke_all_cards(cooperative: Cooperative, now: datetime) -> int:
    cards = db.session.scalars(
        select(SignInCard).join(Pupil).where(Pupil.cooperative_id == cooperative.id, SignInCard.revoked_at.is_(None))
    ).all()
    for card in cards:
        card.revoked_at = now
    return len(cards)


def revoke_pupil_cards(pupil: Pupil, now: datetime) -> int:
    cards = db.session.scalars(
        select(SignInCard).where(SignInCard.pupil_id == pupil.id, SignInCard.revoked_at.is_(None))
    ).all()
    for card in cards:
        card.revoked_at = now
    return len(cards)


def valid_cards(cooperative: Cooperative, now: datetime) -> dict[int, Counter]:
    """For each pupil of the class, how many of their cards sign in now, by kind ('yearly', 'temporary')."""
    cards = db.session.scalars(
        select(SignInCard).join(Pupil).where(Pupil.cooperative_id == cooperative.id, SignInCard.revoked_at.is_(None),
                                             SignInCard.expires_at > now)
    ).all()
    counts = {pupil.id: Counter() for pupil in cooperative.pupils}
    for card in cards:
        counts[card.pupil_id][card.kind] += 1
    return counts


def pupil_for_card(token: str, tablet: PairedTablet, now: datetime) -> Pupil:
    card = db.session.scalar(select(SignInCard).where(SignInCard.token_hash == hash_token(token)))
    if card is None:
        raise SignInRefused("unknown_card")
    refusal = card.refusal(now)
    if refusal:
        raise SignInRefused(refusal)
    if card.pupil.cooperative_id != tablet.cooperative_id:
        raise SignInRefused("other_class")
    if card.pupil.closed_at is not None:
        raise SignInRefused("closed")
    if card.pupil.is_locked(now):
        raise SignInRefused("locked", locked_until=card.pupil.locked_until)
    return card.pupil
