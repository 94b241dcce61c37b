"""The message box: posting, moderating (approve, rewrite, merge, decline, anonymous), supports and amendments.

Every refusal is a RuleBroken with a code; the views turn codes into sentences. Nothing here commits.
"""

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app.domain.assemblies import CLOSED, MESSAGE_KINDS, RuleBroken, WaitingMessage, clean_text
from app.extensions import db
from app.models import AgendaItem, Assembly, Cooperative, Message, Pupil, Support

OPEN_STATUSES = ("pending", "approved")


def waiting_for_moderation(cooperative_ids: list[int]) -> dict[int, int]:
    """How many messages each class's educator still has to read, by class id (classes with none are left out)."""
    if not cooperative_ids:
        return {}
    query = (select(Message.cooperative_id, func.count()).where(Message.cooperative_id.in_(cooperative_ids),
                                                                 Message.status == "pending")
             .group_by(Message.cooperative_id))
    return dict(db.session.execute(query).all())


def post_message(pupil: Pupil, kind: str, text: str, now: datetime, submission: str | None = None) -> Message:
    """A new message, or the one this submission already stored (the form sent again after a lost answer)."""
    if kind not in MESSAGE_KINDS:
        raise RuleBroken("unknown_kind")
    return sent_before(pupil, submission) or _store(Message(
        cooperative_id=pupil.cooperative_id, author=pupil, kind=kind, text=clean_text(text), created_at=now,
        submission_key=submission))


def sent_before(pupil: Pupil, submission: str | None) -> Message | None:
    if submission is None:
        return None
    return db.session.scalar(select(Message).where(Message.author_id == pupil.id,
                                                   Message.submission_key == submission))


def _store(message: Message) -> Message:
    db.session.add(message)
    db.session.flush()
    return message


def agenda_item_of(message: Message) -> AgendaItem | None:
    return db.session.scalar(select(AgendaItem).where(AgendaItem.message_id == message.id))


def amendable(proposal: Message) -> bool:
    """Until its vote: an approved proposal on the agenda of an assembly not closed, whose item is not done, and
    that was not put to the vote yet."""
    item = agenda_item_of(proposal) if proposal.is_proposal and proposal.status == "approved" else None
    on_agenda = item is not None and item.assembly.status != CLOSED and item.done_at is None
    return on_agenda and proposal.current_poll is None


def check_amendable(proposal: Message) -> None:
    """Refuses an amendment, saying why: the class already votes on the proposal, or it is not on an agenda."""
    if proposal.is_proposal and proposal.current_poll is not None:
        raise RuleBroken("vote_started")
    if not amendable(proposal):
        raise RuleBroken("amendments_closed")


def propose_amendment(proposal: Message, pupil: Pupil, text: str, now: datetime,
                      submission: str | None = None) -> Message:
    check_amendable(proposal)
    return sent_before(pupil, submission) or _store(Message(
        cooperative_id=proposal.cooperative_id, author=pupil, kind="amend", amends=proposal, text=clean_text(text),
        created_at=now, submission_key=submission))


def amendments_of(proposal: Message, statuses: tuple[str, ...] = ("approved",)) -> list[Message]:
    query = select(Message).where(Message.amends_id == proposal.id, Message.status.in_(statuses))
    return list(db.session.scalars(query.order_by(Message.created_at, Message.id)))


# Moderation --------------------------------------------------------------------------------------------------------

def _touch_agenda(message: Message) -> None:
    """Boards showing this message (directly or as an amendment) must redraw."""
    item = agenda_item_of(message.amends or message)
    if item is not None and item.assembly.status != CLOSED:
        item.assembly.touch()


def approve(message: Message, now: datetime) -> None:
    if message.status != "pending":
        raise RuleBroken("not_pending")
    if message.amends is not None and message.amends.current_poll is not None:
        raise RuleBroken("amendment_too_late")
    message.status, message.moderated_at = "approved", now
    _touch_agenda(message)


def rewrite(message: Message, text: str, now: datetime) -> None:
    """The educator rewrites the text with its author; refused once the message was treated."""
    _still_open(message)
    message.text, message.edited_at = clean_text(text), now
    _touch_agenda(message)


def set_anonymous(message: Message, anonymous: bool) -> None:
    message.anonymous = anonymous
    _touch_agenda(message)


def decline(message: Message, reason: str, now: datetime) -> None:
    """Declined with a reason its author sees; a message already on an agenda must first leave it."""
    _not_on_agenda(message)
    message.decline_reason = clean_text(reason)
    message.status, message.moderated_at = "declined", now


def merge(duplicate: Message, kept: Message, now: datetime) -> None:
    """The duplicate joins the message kept: its supports move over, its author is credited there."""
    if duplicate.id == kept.id or (duplicate.cooperative_id, duplicate.kind) != (kept.cooperative_id, kept.kind):
        raise RuleBroken("cannot_merge")
    for message in (duplicate, kept):
        _not_on_agenda(message)
    _move_supports(duplicate, kept)
    duplicate.status, duplicate.merged_into, duplicate.moderated_at = "merged", kept, now


def _move_supports(duplicate: Message, kept: Message) -> None:
    for support in list(duplicate.supports):
        duplicate.supports.remove(support)
        if not kept.supported_by(support.pupil_id):
            kept.supports.append(Support(pupil_id=support.pupil_id, created_at=support.created_at))
    db.session.flush()


def _still_open(message: Message) -> None:
    if message.status not in OPEN_STATUSES:
        raise RuleBroken("already_moderated")
    _not_put_to_vote(message)
    item = agenda_item_of(message)
    if item is not None and item.assembly.status == CLOSED:
        raise RuleBroken("already_treated")


def _not_on_agenda(message: Message) -> None:
    if message.status not in OPEN_STATUSES:
        raise RuleBroken("already_moderated")
    _not_put_to_vote(message)
    if agenda_item_of(message) is not None:
        raise RuleBroken("on_an_agenda")


def _not_put_to_vote(message: Message) -> None:
    """What the class votes on stays as it is, so the register says what was voted."""
    if message.current_poll is not None:
        raise RuleBroken("put_to_vote")


# Supports ----------------------------------------------------------------------------------------------------------

def support(proposal: Message, pupil: Pupil, now: datetime) -> None:
    """One support per pupil and proposal: the unique constraint settles a double tap between two workers."""
    if not proposal.is_proposal or proposal.status != "approved" or _treated(proposal):
        raise RuleBroken("not_supportable")
    if proposal.supported_by(pupil.id):
        raise RuleBroken("already_supported")
    try:
        with db.session.begin_nested():
            db.session.add(Support(message_id=proposal.id, pupil_id=pupil.id, created_at=now))
    except IntegrityError:
        raise RuleBroken("already_supported") from None
    db.session.expire(proposal, ["supports"])


def _treated(message: Message) -> bool:
    item = agenda_item_of(message)
    return item is not None and item.assembly.status == CLOSED


# Reading -----------------------------------------------------------------------------------------------------------

def _not_treated(query):
    """Messages not yet on an agenda, or on the agenda of an assembly not closed."""
    return (query.outerjoin(AgendaItem, AgendaItem.message_id == Message.id)
            .outerjoin(Assembly, Assembly.id == AgendaItem.assembly_id)
            .where(or_(AgendaItem.id.is_(None), Assembly.status != CLOSED)))


def moderation_queue(cooperative: Cooperative) -> list[Message]:
    query = select(Message).where(Message.cooperative_id == cooperative.id, Message.status == "pending")
    return list(db.session.scalars(query.order_by(Message.created_at, Message.id)))


def approved_for_class(cooperative: Cooperative) -> dict[str, list[Message]]:
    """The class's approved messages not yet treated, by column; proposals by support."""
    query = _not_treated(select(Message).where(Message.cooperative_id == cooperative.id,
                                               Message.status == "approved", Message.kind != "amend"))
    columns: dict[str, list[Message]] = {kind: [] for kind in MESSAGE_KINDS}
    for message in db.session.scalars(query.order_by(Message.created_at, Message.id)):
        columns[message.kind].append(message)
    columns["propose"].sort(key=lambda message: -message.support_count)
    return columns


def messages_of(pupil: Pupil, limit: int = 20) -> list[Message]:
    query = select(Message).where(Message.author_id == pupil.id).order_by(Message.created_at.desc()).limit(limit)
    return list(db.session.scalars(query))


def moderated(cooperative: Cooperative, status: str, limit: int = 50) -> list[Message]:
    query = select(Message).where(Message.cooperative_id == cooperative.id, Message.status == status)
    return list(db.session.scalars(query.order_by(Message.moderated_at.desc()).limit(limit)))


def merge_candidates(message: Message) -> list[Message]:
    query = select(Message).where(Message.cooperative_id == message.cooperative_id, Message.kind == message.kind,
                                  Message.status.in_(OPEN_STATUSES), Message.id != message.id)
    return list(db.session.scalars(_not_on_any_agenda(query).order_by(Message.created_at)))


def _not_on_any_agenda(query):
    return query.where(~select(AgendaItem.id).where(AgendaItem.message_id == Message.id).exists())


def waiting_for_agenda(cooperative: Cooperative) -> list[WaitingMessage]:
    """Approved messages on no agenda yet, with their supports: what the next assembly takes up."""
    supports = select(func.count(Support.id)).where(Support.message_id == Message.id).scalar_subquery()
    query = select(Message.id, Message.kind, supports, Message.created_at).where(
        Message.cooperative_id == cooperative.id, Message.status == "approved", Message.kind != "amend")
    return [WaitingMessage(*row) for row in db.session.execute(_not_on_any_agenda(query))]


def waiting_messages(cooperative: Cooperative) -> list[Message]:
    ids = [waiting.id for waiting in waiting_for_agenda(cooperative)]
    query = select(Message).where(Message.id.in_(ids)).order_by(Message.kind, Message.created_at)
    return list(db.session.scalars(query)) if ids else []
