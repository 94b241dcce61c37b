"""Polls: drafting, opening with a sealed box, closing with a shuffle, counting and publishing."""

import json
from dataclasses import dataclass
from datetime import datetime

import nacl.utils
from sqlalchemy import func, select

from app import ballot_keys
from app.domain import ballot_box, key_custody, trackers
from app.domain.collation import by_name
from app.extensions import db
from app.models import (
    AgendaItem,
    Assembly,
    AuditEvent,
    Cooperative,
    Eligibility,
    Message,
    Participation,
    Poll,
    PollOption,
    Pupil,
    User,
)
from app.services import ballot_storage, poll_results

MIN_SECRET_VOTERS = 5
WARN_SECRET_VOTERS = 8
MOTION_RULES = ("simple", "absolute", "two_thirds")
ELECTION_METHODS = ("plurality", "two_round", "approval", "majority_judgment", "schulze")
BALLOT_KINDS = {
    "plurality": ballot_box.SINGLE,
    "two_round": ballot_box.SINGLE,
    "approval": ballot_box.APPROVAL,
    "majority_judgment": ballot_box.GRADES,
    "schulze": ballot_box.RANKING,
}


@dataclass
class PollError(Exception):
    """A poll action refused, with a code the interface turns into a sentence."""

    code: str


def audit(poll: Poll, actor: User | None, action: str, detail: str = "") -> None:
    db.session.add(AuditEvent(actor=actor, cooperative_id=poll.cooperative_id, poll_id=poll.id, action=action,
                              detail=detail[:300]))


def ballot_kind(poll: Poll) -> str:
    return ballot_box.MOTION if poll.kind == "motion" else BALLOT_KINDS[poll.rule]


def candidate_ids(poll: Poll) -> list[str]:
    return [option.key for option in poll.options]


def poll_uid(poll: Poll) -> str:
    return f"poll-{poll.id}-{poll.created_at.isoformat()}"


def create_motion(cooperative: Cooperative, question: str, rule: str, quorum_percent: int | None,
                  author: User | None, message: Message | None = None, assembly: Assembly | None = None,
                  agenda_item: AgendaItem | None = None) -> Poll:
    """A draft motion; one put from an assembly's agenda names its item, the proposal or amendment and the assembly."""
    poll = Poll(cooperative=cooperative, question=question.strip(), kind="motion", rule=rule,
                quorum_percent=quorum_percent or None, created_by=author, message=message, assembly=assembly,
                agenda_item=agenda_item)
    db.session.add(poll)
    db.session.flush()
    return poll


def _redraw_assembly(poll: Poll) -> None:
    """The board, the tablets and the agenda of the assembly that put this poll to the vote show how it goes; a
    poll prepared from the Votes tab shows on the class's assembly in session, if one is."""
    assembly = poll.assembly or db.session.scalar(select(Assembly).where(
        Assembly.cooperative_id == poll.cooperative_id, Assembly.status == "in_session").limit(1))
    if assembly is not None:
        assembly.touch()


def create_election(cooperative: Cooperative, question: str, method: str, seats: int, candidates: list[Pupil],
                    author: User | None, first_round: Poll | None = None,
                    agenda_item: AgendaItem | None = None) -> Poll:
    """A draft election; one held from an assembly's "Elections" item names the item and its assembly."""
    if len(candidates) < 2 or seats >= len(candidates):
        raise PollError("too_few_candidates")
    poll = Poll(cooperative=cooperative, question=question.strip(), kind="election", rule=method, seats=seats,
                created_by=author, round=2 if first_round else 1,
                first_round_id=first_round.id if first_round else None, agenda_item=agenda_item,
                assembly=agenda_item.assembly if agenda_item is not None else None)
    poll.options = [PollOption(position=index, label=pupil.display_name, pupil=pupil)
                    for index, pupil in enumerate(candidates)]
    db.session.add(poll)
    db.session.flush()
    return poll


def eligible_pupils(poll: Poll) -> list[Pupil]:
    if poll.status == "draft":
        return poll.cooperative.active_pupils()
    query = select(Pupil).join(Eligibility, Eligibility.pupil_id == Pupil.id).where(Eligibility.poll_id == poll.id)
    return by_name(db.session.scalars(query))


def _put_key(name: str) -> bytes:
    key = nacl.utils.random(ballot_keys.KEY_SIZE)
    try:
        ballot_keys.current_key_store().put(name, key)
    except ballot_keys.KeyStoreError as error:
        raise PollError("key_store_unavailable") from error
    return key


def _get_key(name: str | None) -> bytes:
    """A key from the key store; for a poll opened before the key store (no name), the empty key."""
    if name is None:
        return b""
    try:
        return ballot_keys.current_key_store().get(name)
    except ballot_keys.KeyMissing as error:
        raise PollError("key_destroyed") from error
    except ballot_keys.KeyStoreError as error:
        raise PollError("key_store_unavailable") from error


def open_poll(poll: Poll, actor: User, now: datetime, server_secret: bytes, custody: str = "server",
              closes_at: datetime | None = None) -> list[key_custody.KeyCard]:
    """Freezes the voters, makes the poll's key pair and opens the box; returns the key cards in ceremony mode.

    The private key is stored only wrapped under a key kept in the key store, outside the database
    (docs/ballot-secrecy.md): once that key is destroyed, no copy of the database opens any ballot.
    """
    if poll.status != "draft":
        raise PollError("not_a_draft")
    voters = poll.cooperative.active_pupils()
    if len(voters) < MIN_SECRET_VOTERS:
        raise PollError("too_few_voters")
    poll.key_name = ballot_keys.new_key_name()
    kek = _put_key(poll.key_name)
    public_key, private_key = ballot_box.make_poll_keypair()
    poll.public_key, poll.custody, poll.closes_at = public_key, custody, closes_at
    cards: list[key_custody.KeyCard] = []
    if custody == "ceremony":
        cards, wrapped = key_custody.make_key_cards(private_key, kek)
        poll.key_cards_wrapped = json.dumps(key_custody.dump_wrapped_copies(wrapped))
    else:
        poll.wrapped_private_key = key_custody.wrap_private_key(private_key, server_secret, poll_uid(poll), kek)
    db.session.add_all(Eligibility(poll_id=poll.id, pupil_id=pupil.id) for pupil in voters)
    poll.eligible_count, poll.status, poll.opened_at = len(voters), "open", now
    audit(poll, actor, "opened", f"{len(voters)} eligible, custody {custody}")
    _redraw_assembly(poll)
    return cards


def not_voted(poll: Poll) -> list[Pupil]:
    """Eligible pupils without an émargement: for the educator's eyes while the box is open."""
    if poll.status != "open":
        return []
    voted = select(Participation.pupil_id).where(Participation.poll_id == poll.id)
    return [pupil for pupil in eligible_pupils(poll) if pupil.id not in set(db.session.scalars(voted))]


def ballots_cast(poll: Poll) -> int:
    return db.session.scalar(select(func.count()).select_from(Participation).where(Participation.poll_id == poll.id))


def has_voted(poll: Poll, pupil: Pupil) -> bool:
    return db.session.get(Participation, (poll.id, pupil.id)) is not None


def is_eligible(poll: Poll, pupil: Pupil) -> bool:
    return db.session.get(Eligibility, (poll.id, pupil.id)) is not None


def cancel_poll(poll: Poll, actor: User, now: datetime) -> None:
    """Stops a poll before its count (a closed box whose key cards are lost included): its ballots are deleted and,
    once committed, its key destroyed and the database files scrubbed as after a count."""
    if poll.status not in ("draft", "open", "closed"):
        raise PollError("already_closed")
    ballot_storage.delete_ballots(poll)
    ballot_storage.rewrite_participation(poll)
    poll.wrapped_private_key = poll.key_cards_wrapped = None
    poll.scrub_pending = poll.status != "draft"
    poll.status, poll.closed_at = "cancelled", now
    audit(poll, actor, "cancelled")
    _redraw_assembly(poll)


def lock_for_closing(poll_id: int) -> Poll | None:
    """The poll row, locked so that no ballot is cast while the box is being closed, and read afresh: an object
    loaded earlier in the request would still say "open" after a concurrent close committed."""
    query = select(Poll).where(Poll.id == poll_id).with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def close_poll(poll: Poll, actor: User | None, now: datetime, counted_next: bool = False) -> None:
    """Reconciles the counts, keeps the trackers as their own sorted list, and rewrites the box in random order
    with fresh ids (unless the count follows in the same transaction: it replaces the box anyway) and the émargement
    in pupil order; nothing is decrypted here."""
    if poll.status != "open":
        raise PollError("already_closed" if poll.status in ("closed", "counted", "cancelled") else "not_open")
    sealed = ballot_storage.box_contents(poll)
    if len(sealed) != ballots_cast(poll):
        raise PollError("counts_differ")
    poll.trackers = json.dumps(sorted(map(trackers.tracker_indices, sealed)))
    if not counted_next:
        ballot_storage.replace_ballots(poll, ballot_box.shuffled(sealed))
    ballot_storage.rewrite_participation(poll)
    poll.status, poll.closed_at = "closed", now
    poll.scrub_pending = True
    audit(poll, actor, "closed", f"{len(sealed)} ballots")


def private_key_for(poll: Poll, server_secret: bytes, cards: tuple[str, str] | None = None) -> bytes:
    if not poll.is_secret or poll.public_key is None or poll.status not in ("open", "closed"):
        raise PollError("not_closed")
    if poll.custody == "server":
        kek = _get_key(poll.key_name)
        return key_custody.unwrap_private_key(poll.wrapped_private_key, server_secret, poll_uid(poll), kek)
    if cards is None:
        raise PollError("cards_needed")
    wrapped = key_custody.load_wrapped_copies(json.loads(poll.key_cards_wrapped))
    first, second = (key_custody.parse_card_code(code) for code in cards)
    return key_custody.open_with_cards(first, second, wrapped, _get_key(poll.key_name))


def open_and_count(poll: Poll, actor: User | None, server_secret: bytes, cards: tuple[str, str] | None = None):
    """Counts a closed poll with the server's key or two key cards."""
    if poll.status != "closed":
        raise PollError("not_closed")
    return count_poll(poll, actor, private_key_for(poll, server_secret, cards))


def count_poll(poll: Poll, actor: User | None, private_key: bytes) -> dict:
    """Opens the closed box in memory, stores the aggregates and the outcome, and replaces the cast ballots by the
    same choices re-sealed under a fresh recount key, shuffled again (for the counting ceremony and audits).

    The poll's own key is destroyed after the commit (app/ballot_scrub.py): the cast ballots, wherever a copy of
    them survives, can then never be opened again.
    """
    if poll.status != "closed":
        raise PollError("not_closed")
    kind, candidates = ballot_kind(poll), candidate_ids(poll)
    poll.key_name = poll.key_name or ballot_keys.new_key_name()
    recount_key = _put_key(ballot_keys.recount_name(poll.key_name))
    sealed = ballot_storage.box_contents(poll)
    aggregates = ballot_box.count_resealing_into(
        ballot_storage.ballot_inserter(poll, len(sealed)), private_key, sealed, kind, candidates, recount_key,
        ballot_box.ballot_size(kind, candidates), while_opening=lambda: ballot_storage.delete_ballots(poll))
    result = poll_results.outcome(poll, aggregates, ballots_cast(poll))
    poll.wrapped_private_key = poll.key_cards_wrapped = None
    poll.result, poll.status, poll.scrub_pending = json.dumps(result, sort_keys=True), "counted", True
    audit(poll, actor, "counted")
    return result


def recounted_ballots(poll: Poll) -> list[ballot_box.Choice]:
    """The counted box's choices in their shuffled order, for the counting ceremony; never linked to anyone."""
    if poll.status != "counted" or not poll.is_secret or poll.key_name is None:
        raise PollError("not_counted")
    key = _get_key(ballot_keys.recount_name(poll.key_name))
    return list(ballot_box.open_resealed(key, ballot_storage.stored_ballots(poll)))


def tracker_list(poll: Poll) -> list[trackers.Tracker]:
    return [tuple(tracker) for tracker in json.loads(poll.trackers or "[]")]


def publish(poll: Poll, actor: User, now: datetime) -> None:
    if poll.status != "counted" or poll.published_at is not None:
        raise PollError("not_counted")
    poll.published_at = now
    audit(poll, actor, "published")
    _redraw_assembly(poll)


def _decide_openly(poll: Poll, kind: str) -> None:
    if poll.kind != "motion":
        raise PollError("not_a_motion")
    if poll.status != "draft":
        raise PollError("not_a_draft")
    poll.kind, poll.eligible_count = kind, len(poll.cooperative.active_pupils())
    _redraw_assembly(poll)


def record_show_of_hands(poll: Poll, actor: User, counts: dict, now: datetime) -> None:
    """A vote by show of hands: not secret, the educator enters the counts."""
    _decide_openly(poll, "show_of_hands")
    participants = sum(counts.values())
    if participants > poll.eligible_count:
        raise PollError("too_many_hands")
    result = poll_results.outcome(poll, counts, participants)
    poll.result, poll.status, poll.closed_at, poll.published_at = json.dumps(result), "counted", now, now
    audit(poll, actor, "recorded", "show of hands")


def record_consensus(poll: Poll, actor: User, now: datetime) -> None:
    """The class agrees without a vote: recorded as adopted by consensus."""
    _decide_openly(poll, "consensus")
    result = {"outcome": {"adopted": True, "reason": "consensus"}, "eligible": poll.eligible_count}
    poll.result, poll.status, poll.closed_at, poll.published_at = json.dumps(result), "counted", now, now
    audit(poll, actor, "recorded", "consensus")


def is_due(poll: Poll, now: datetime) -> bool:
    return poll.status == "open" and poll.closes_at is not None and poll.closes_at <= now


def close_if_due(poll: Poll, now: datetime) -> bool:
    """Closes a poll whose closing time has passed; True when it did."""
    if not is_due(poll, now):
        return False
    locked = lock_for_closing(poll.id)
    if not is_due(locked, now):  # another request closed it meanwhile
        return False
    close_poll(locked, None, now)
    return True


def start_second_round(poll: Poll, actor: User, now: datetime) -> Poll:
    """A run-off between the finalists of a two-round election whose first round elected nobody."""
    result = result_of(poll)
    if poll.rule != "two_round" or poll.round != 1 or not result or result["outcome"].get("elected"):
        raise PollError("no_second_round")
    finalists = set(result["outcome"]["finalists"]) | set(result["outcome"]["tied_for_finalist"])
    candidates = [option.pupil for option in poll.options if option.key in finalists and option.pupil]
    second = create_election(poll.cooperative, poll.question, "two_round", 1, candidates, actor, first_round=poll,
                             agenda_item=poll.agenda_item)
    audit(poll, actor, "second_round", f"poll {second.id}")
    return second


def result_of(poll: Poll) -> dict | None:
    return json.loads(poll.result) if poll.result else None


def cooperative_polls(cooperative: Cooperative) -> list[Poll]:
    query = select(Poll).where(Poll.cooperative_id == cooperative.id).order_by(Poll.created_at.desc())
    return list(db.session.scalars(query))


def open_polls_for(pupil: Pupil) -> list[Poll]:
    query = (select(Poll).join(Eligibility, Eligibility.poll_id == Poll.id)
             .where(Eligibility.pupil_id == pupil.id, Poll.status == "open").order_by(Poll.opened_at))
    return [poll for poll in db.session.scalars(query) if not has_voted(poll, pupil)]


def open_polls_version(open_polls: list[Poll]) -> str:
    return "-".join(str(poll.id) for poll in open_polls) or "none"


def recently_published(cooperative: Cooperative, limit: int = 5) -> list[Poll]:
    query = (select(Poll).where(Poll.cooperative_id == cooperative.id, Poll.published_at.is_not(None))
             .order_by(Poll.published_at.desc()).limit(limit))
    return list(db.session.scalars(query))


def poll_for_board(cooperative: Cooperative, announced_since: datetime | None = None) -> Poll | None:
    """The poll in progress, else the last one announced (since a moment, when given: the current agenda item's
    start, so the board goes back to the agenda once the next item starts)."""
    base = select(Poll).where(Poll.cooperative_id == cooperative.id, Poll.kind.in_(("motion", "election")))
    running = db.session.scalar(base.where(Poll.status.in_(("open", "closed"))).order_by(Poll.opened_at.desc()))
    announced = base.where(Poll.published_at.is_not(None)).order_by(Poll.published_at.desc())
    if announced_since is not None:
        announced = announced.where(Poll.published_at >= announced_since)
    return running or db.session.scalar(announced.limit(1))
