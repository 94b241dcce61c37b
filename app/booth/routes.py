"""The voting booth on a class tablet: read, choose, confirm, cast, "A voté !", and the next pupil."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.authz import by_id, require
from app.booth import vote_check
from app.booth.choices import choice_as_fields, choice_from_form, grades_given
from app.domain import ballot_box, trackers
from app.extensions import db, limiter
from app.htmx import render
from app.identity import current_tablet, device_key, end_pupil_turn, release_tablet, sign_out_pupil
from app.models import Poll
from app.models.types import utcnow
from app.polls.board import poll_trackers
from app.polls.messages import poll_error_message
from app.services import casting, polls
from app.tablet.routes import navigate

blueprint = Blueprint("booth", __name__, url_prefix="/tablet/vote")
load_poll = by_id(Poll, "poll_id", "poll")


def load_poll_for_casting(kwargs: dict) -> Poll:
    """The poll share-locked with its options, read once for the whole cast (see casting.poll_for_casting)."""
    poll = casting.poll_for_casting(kwargs.pop("poll_id"))
    if poll is None:
        abort(404)
    kwargs["poll"] = poll
    return poll


def _to_home():
    return redirect(url_for("tablet.roster"))


def _booth(poll: Poll, status: int = 200, **context):
    context.setdefault("choice", None)
    return render("booth/vote.html", "booth/_booth.html", status, poll=poll, kind=polls.ballot_kind(poll),
                  grades=range(ballot_box.GRADE_COUNT), **context)


def _closed_or_voted(poll: Poll):
    if not poll.is_open:
        return render_template("booth/message.html", message=poll_error_message("not_open")), 409
    if not polls.is_eligible(poll, current_user):
        return render_template("booth/message.html", message=poll_error_message("not_eligible")), 403
    if polls.has_voted(poll, current_user):
        return render_template("booth/message.html", message=_("Your ballot is already in the box.")), 200
    return None


@blueprint.get("/<int:poll_id>")
@require("vote", load=load_poll, denied=_to_home)
def vote(poll: Poll):
    return _closed_or_voted(poll) or _booth(poll)


def _incomplete(poll: Poll):
    """The booth again, saying in the page's language what is missing, with the grades already given kept."""
    kind = polls.ballot_kind(poll)
    messages = {
        ballot_box.GRADES: _("Give a grade to every candidate, or tap “Blank vote”."),
        ballot_box.RANKING: _("Give each candidate a number from 1, or tap “Blank vote”."),
        ballot_box.MOTION: _("Choose your answer."),
    }
    kept = grades_given(request.form, polls.candidate_ids(poll)) if kind == ballot_box.GRADES else {}
    return _booth(poll, 422, message=messages.get(kind, _("Choose an answer, or tap “Blank vote”.")), kept=kept)


def _read_choice(poll: Poll) -> object:
    kind, keys = polls.ballot_kind(poll), polls.candidate_ids(poll)
    return ballot_box.validate_choice(kind, choice_from_form(kind, request.form, keys), keys)


@blueprint.post("/<int:poll_id>/confirm")
@require("vote", load=load_poll, denied=_to_home)
def confirm(poll: Poll):
    pupil = current_user._get_current_object()
    refused = _closed_or_voted(poll)
    if refused:
        return refused
    try:
        choice = _read_choice(poll)
    except ballot_box.InvalidBallot:
        return _incomplete(poll)
    return render("booth/confirm.html", "booth/_confirm.html", poll=poll, kind=polls.ballot_kind(poll),
                  check_url=url_for("booth.check_vote", poll_id=poll.id, token=vote_check.token_for(poll, pupil)),
                  choice=choice, fields=choice_as_fields(polls.ballot_kind(poll), choice))


def _voted(tracker: tuple[int, int, int] | None, message: str, released: bool = False):
    session["tracker"] = list(tracker) if tracker else None
    if released:
        end_pupil_turn(message)
    else:
        sign_out_pupil(message)
    return navigate(url_for("booth.voted"))


@blueprint.post("/<int:poll_id>/cast")
@require("vote", load=load_poll_for_casting, denied=_to_home)
@limiter.limit("20 per minute", key_func=device_key)
def cast(poll: Poll):
    pupil = current_user._get_current_object()
    try:
        choice = _read_choice(poll)
    except ballot_box.InvalidBallot:
        return _incomplete(poll)
    try:
        tracker = casting.cast_into(poll, pupil, choice, utcnow())
        release_tablet()  # the pupil's turn ends with their ballot, in the same transaction
        db.session.commit()
    except (casting.AlreadyVoted, IntegrityError):
        db.session.rollback()
        return _voted(None, _("Your ballot is already in the box."))
    except polls.PollError as error:
        db.session.rollback()
        return render_template("booth/message.html", message=poll_error_message(error.code)), 409
    return _voted(tracker, _("Thank you! Next pupil →"), released=True)


@blueprint.get("/voted")
@require("use_tablet", denied=_to_home)
def voted():
    if "tracker" not in session:  # shown once: Back pressed later by whoever holds the tablet
        signed_in = current_user.is_authenticated and current_user.is_pupil
        return redirect(url_for("tablet.pupil_home" if signed_in else "tablet.roster"))
    indices = session.pop("tracker")
    tracker = trackers.tracker_words(tuple(indices), str(get_locale())) if indices else None
    return render_template("booth/voted.html", tracker=tracker)


def _open_polls_version(open_polls: list[Poll]) -> str:
    return polls.open_polls_version(open_polls)


@blueprint.get("/open")
@require("pupil_home")
def open_polls():
    """The pupil's home asks every few seconds whether a poll has opened for them."""
    waiting = polls.open_polls_for(current_user)
    if request.args.get("since") == _open_polls_version(waiting):
        return "", 204
    return render_template("booth/_open_polls.html", open_polls=waiting, version=_open_polls_version(waiting))


@blueprint.get("/<int:poll_id>/result")
@require("see_published_results", load=by_id(Poll, "poll_id", "poll", target=lambda poll: poll.cooperative))
def result(poll: Poll):
    if poll.published_at is None:
        return render_template("booth/message.html", message=_("The result is not announced yet.")), 404
    return render_template("booth/result.html", poll=poll, result=polls.result_of(poll),
                           trackers=poll_trackers(poll) if poll.is_secret else [])


@blueprint.get("/<int:poll_id>/in-the-box/<token>")
@require("use_tablet", load=load_poll, denied=_to_home)
def check_vote(poll: Poll, token: str):
    """"Is my vote in the box?" after the tablet lost the answer to a cast: the émargement answers, for the pupil
    whose confirm page this was and on a tablet of their class, and says nothing else."""
    pupil = vote_check.pupil_of(token, poll, current_tablet(), current_app.config["VOTE_CHECK_MAX_AGE"])
    if pupil is None:
        return render_template("booth/message.html", message=_("This check has expired. Ask your teacher.")), 404
    if polls.has_voted(poll, pupil):
        message = _("Yes, %(name)s: your vote is in the box. ✅", name=pupil.first_name)
    elif poll.is_open:
        message = _("No, %(name)s: your vote is not in the box yet. Sign in again and vote.", name=pupil.first_name)
    else:
        message = _("No, %(name)s: your vote is not in the box, and the vote is closed now.", name=pupil.first_name)
    return render_template("booth/message.html", message=message)
