"""The educator's polls: prepare motions and elections, open, close, count, publish, and the audit trail."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import ballot_scrub
from app.assemblies import page
from app.authz import allowed, by_id, require
from app.database import begin_writing
from app.domain import key_custody
from app.extensions import db
from app.forms import ButtonForm
from app.models import AuditEvent, Cooperative, Poll, Pupil
from app.models.types import utcnow
from app.polls.forms import CountForm, MotionForm, OpenPollForm, ShowOfHandsForm, election_form
from app.polls.messages import poll_error_message
from app.register.forms import correction_form
from app.services import poll_decisions, polls, register

blueprint = Blueprint("polls", __name__, url_prefix="/polls")
load_cooperative = by_id(Cooperative, "cooperative_id", "cooperative")
load_poll = by_id(Poll, "poll_id", "poll", target=lambda poll: poll.cooperative)


def server_secret() -> bytes:
    return current_app.config["BALLOT_KEY_SECRET"].encode()


def render_list(cooperative: Cooperative, status: int = 200, **forms):
    forms.setdefault("motion_form", MotionForm(formdata=None))
    forms.setdefault("election_form", election_form(cooperative))
    return render_template("polls/list.html", cooperative=cooperative, polls=polls.cooperative_polls(cooperative),
                           **forms), status


@blueprint.get("/classes/<int:cooperative_id>")
@require("view_polls", load=load_cooperative)
def index(cooperative: Cooperative):
    return render_list(cooperative)


@blueprint.post("/classes/<int:cooperative_id>/motions")
@require("manage_polls", load=load_cooperative)
def create_motion(cooperative: Cooperative):
    form = MotionForm()
    if not form.validate_on_submit():
        return render_list(cooperative, 422, motion_form=form)
    poll = polls.create_motion(cooperative, form.question.data, form.rule.data, form.quorum_percent.data,
                               current_user)
    db.session.commit()
    return redirect(url_for("polls.show", poll_id=poll.id))


@blueprint.post("/classes/<int:cooperative_id>/elections")
@require("manage_polls", load=load_cooperative)
def create_election(cooperative: Cooperative):
    form = election_form(cooperative)
    if not form.validate_on_submit():
        return render_list(cooperative, 422, election_form=form)
    candidates = [db.session.get(Pupil, pupil_id) for pupil_id in form.candidates.data]
    try:
        poll = polls.create_election(cooperative, form.question.data, form.method.data, form.seats.data,
                                     candidates, current_user)
    except polls.PollError as error:
        form.candidates.errors.append(poll_error_message(error.code))
        return render_list(cooperative, 422, election_form=form)
    db.session.commit()
    return redirect(url_for("polls.show", poll_id=poll.id))


def render_poll(poll: Poll, status: int = 200, **forms):
    forms.setdefault("open_form", OpenPollForm(formdata=None))
    forms.setdefault("count_form", CountForm(formdata=None))
    forms.setdefault("hands_form", ShowOfHandsForm(formdata=None))
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.poll_id == poll.id).order_by(AuditEvent.at))
    result = polls.result_of(poll)
    if poll.published_at is None and not allowed("see_unannounced_result", poll.cooperative):
        result = None  # a head reviewing the class sees it once the educator announces it, as the class does
    decision = register.decision_of_poll(poll)
    if decision is not None and allowed("keep_register", poll.cooperative):
        forms.setdefault("correction_form", correction_form(decision, back="poll"))
    return render_template("polls/show.html", poll=poll, result=result, events=list(events),
                           cast=polls.ballots_cast(poll), not_voted=polls.not_voted(poll), button=ButtonForm(),
                           decision=decision, to_word=decision is not None and register.still_as_voted(decision),
                           **forms), status


def finish_ballot_storage(poll: Poll, wait_seconds: float | None = None, tell: bool = True) -> None:
    """After a close, count or cancel committed: spent keys destroyed and the database files scrubbed. The educator
    is told when it is left for later; the quiet retries of the poll page only log it."""
    if not ballot_scrub.finish(poll, wait_seconds).done and tell:
        flash(_("The ballot box is safe, but the server could not yet wipe the old copies of the ballots: the "
                "database was busy. It tries again each time this page is opened."), "warning")


@blueprint.get("/<int:poll_id>")
@require("view_polls", load=load_poll)
def show(poll: Poll):
    if polls.is_due(poll, utcnow()):
        begin_writing(db.session)
    if polls.close_if_due(poll, utcnow()):
        db.session.commit()
        finish_ballot_storage(poll)
    elif poll.scrub_pending and poll.status != "open":
        finish_ballot_storage(poll, wait_seconds=0.5, tell=False)
    return render_poll(poll)


@blueprint.get("/<int:poll_id>/live")
@require("view_polls", load=load_poll)
def live(poll: Poll):
    """What changes on the educator's page while the box is open; 204 while nothing did. Once the box is no longer
    open (closed by its timer, or from another screen), a link to the count: reloading by itself could race the
    educator's own click on "Close"."""
    if poll.status != "open" or polls.is_due(poll, utcnow()):  # the poll page itself closes a box whose time is up
        return render_template("polls/_live_closed.html", poll=poll)
    cast = polls.ballots_cast(poll)
    if request.args.get("since") == str(cast):
        return "", 204
    return render_template("polls/_live.html", poll=poll, cast=cast, not_voted=polls.not_voted(poll),
                           manage=allowed("manage_polls", poll.cooperative))


def from_panel(poll: Poll) -> bool:
    """An action taken from the run panel of the poll's assembly is answered there (app/assemblies/page.py)."""
    return request.form.get("panel") == "1" and poll.assembly is not None


def _done(poll: Poll, message: str):
    if from_panel(poll):
        return page.panel_answer(poll.assembly, message)
    flash(message, "success")
    return redirect(url_for("polls.show", poll_id=poll.id))


def _invalid(poll: Poll, **forms):
    if from_panel(poll):
        return page.panel_answer(poll.assembly, page.check_the_fields(), 422, **forms)
    return render_poll(poll, 422, **forms)


def _refused(poll: Poll, error: polls.PollError, status: int = 409, **forms):
    db.session.rollback()
    if from_panel(poll):
        return page.panel_answer(poll.assembly, poll_error_message(error.code), status, **forms)
    flash(poll_error_message(error.code), "error")
    return render_poll(poll, status, **forms)


@blueprint.post("/<int:poll_id>/open")
@require("manage_polls", load=load_poll)
def open_poll(poll: Poll):
    poll = polls.lock_for_closing(poll.id)  # a second click waits, then finds the box open
    form = OpenPollForm()
    if not form.validate_on_submit():
        return _invalid(poll, open_form=form)
    if from_panel(poll) and (moved_on := page.moved_on(poll)):
        return page.panel_answer(poll.assembly, moved_on, 409)
    now = utcnow()
    closes_at = now + timedelta(minutes=form.minutes.data) if form.minutes.data else None
    try:
        cards = polls.open_poll(poll, current_user, now, server_secret(), form.custody.data, closes_at)
    except polls.PollError as error:
        return _refused(poll, error, open_form=form)
    db.session.commit()
    if cards:
        back = url_for("assemblies.show", assembly_id=poll.assembly_id, _anchor=page.ANCHOR) if from_panel(poll) \
            else url_for("polls.show", poll_id=poll.id)
        return render_template("polls/key_cards.html", poll=poll, cards=cards, back=back,
                               codes=[key_custody.format_card_code(card) for card in cards])
    return _done(poll, _("The ballot box is open. Pupils can vote on the class tablets."))


@blueprint.post("/<int:poll_id>/close")
@require("manage_polls", load=load_poll)
def close(poll: Poll):
    locked = polls.lock_for_closing(poll.id)
    try:
        polls.close_poll(locked, current_user, utcnow(), counted_next=locked.custody == "server")
        if locked.custody == "server":
            polls.open_and_count(locked, current_user, server_secret())
    except polls.PollError as error:
        return _refused(locked, error)
    db.session.commit()
    finish_ballot_storage(locked)
    return _done(locked, _("The ballot box is closed and counted. Only the class's educators see the result until it "
                           "is announced.") if locked.status == "counted"
                 else _("The ballot box is closed. Two key cards are needed to count."))


@blueprint.post("/<int:poll_id>/count")
@require("manage_polls", load=load_poll)
def count(poll: Poll):
    poll = polls.lock_for_closing(poll.id)  # a second click waits, then finds the box counted
    form = CountForm()
    if poll.custody == "ceremony" and not form.validate_on_submit():
        return _invalid(poll, count_form=form)
    cards = (form.card_a.data, form.card_b.data) if poll.custody == "ceremony" else None
    try:
        polls.open_and_count(poll, current_user, server_secret(), cards)
    except (key_custody.InvalidCard, key_custody.WrongKey) as error:
        db.session.rollback()
        polls.audit(poll, current_user, "key_cards_refused", type(error).__name__)
        db.session.commit()
        form.card_b.errors = [_("These two cards do not open this ballot box. Check each card and try again.")]
        return _invalid(poll, count_form=form)
    except polls.PollError as error:
        return _refused(poll, error, count_form=form)
    if cards:
        polls.audit(poll, current_user, "key_cards_used")
    db.session.commit()
    finish_ballot_storage(poll)
    return _done(poll, _("The ballot box is opened and counted."))


@blueprint.post("/<int:poll_id>/<any(publish, cancel, second_round, consensus):action>")
@require("manage_polls", load=load_poll)
def act(poll: Poll, action: str):
    actions = {"publish": polls.publish, "cancel": polls.cancel_poll, "second_round": polls.start_second_round,
               "consensus": polls.record_consensus}
    poll = polls.lock_for_closing(poll.id)  # each action checks the state it changes, read afresh under the lock
    try:
        created = actions[action](poll, current_user, utcnow())
    except polls.PollError as error:
        return _refused(poll, error)
    if action in ("publish", "consensus"):
        poll_decisions.record_outcome(poll, current_user)
    db.session.commit()
    if action == "cancel":
        finish_ballot_storage(poll)
    if from_panel(poll):
        return page.panel_answer(poll.assembly, _act_done(action))
    if action == "publish":
        flash(_act_done(action), "success")
    return redirect(url_for("polls.show", poll_id=created.id if isinstance(created, Poll) else poll.id))


def _act_done(action: str) -> str:
    return {"publish": _("The result is announced: the board and the class's tablets show it now."),
            "cancel": _("The vote is cancelled: its ballots are destroyed without being counted."),
            "second_round": _("The second round is ready, between the two first. Open its ballot box when the class "
                              "is ready."),
            "consensus": _("Recorded: decided by consensus.")}[action]


@blueprint.post("/<int:poll_id>/show-of-hands")
@require("manage_polls", load=load_poll)
def show_of_hands(poll: Poll):
    form = ShowOfHandsForm()
    if not form.validate_on_submit():
        return render_poll(poll, 422, hands_form=form)
    counts = {"for": form.votes_for.data, "against": form.votes_against.data, "abstain": form.votes_abstain.data,
              "blank": 0}
    try:
        polls.record_show_of_hands(poll, current_user, counts, utcnow())
    except polls.PollError as error:
        return _refused(poll, error, hands_form=form)
    poll_decisions.record_outcome(poll, current_user)
    db.session.commit()
    return redirect(url_for("polls.show", poll_id=poll.id))


from app.polls import board  # noqa: E402, F401 - the board's routes join this blueprint
