"""The poll on the class board: live participation while open, never partial results; the published result;
the counting ceremony that reveals the shuffled ballots one by one."""

from flask import abort, render_template, request
from flask_babel import get_locale

from app.authz import require
from app.domain import ballot_box, trackers
from app.htmx import render
from app.models import Poll
from app.polls.presenting import tally_lines
from app.polls.routes import blueprint, load_poll
from app.services import polls


def board_version(poll: Poll) -> str:
    """Changes whenever what the board shows changes; cheap to compute on every poll of the board."""
    return f"{poll.status}.{polls.ballots_cast(poll)}.{int(poll.published_at is not None)}"


def poll_trackers(poll: Poll) -> list[str]:
    return trackers.sorted_trackers(polls.tracker_list(poll), str(get_locale()))


def board_context(poll: Poll) -> dict:
    published = poll.published_at is not None
    return {"poll": poll, "cast": polls.ballots_cast(poll), "version": board_version(poll),
            "result": polls.result_of(poll) if published else None,
            "trackers": poll_trackers(poll) if published and poll.is_secret else []}


@blueprint.get("/<int:poll_id>/board")
@require("show_board", load=load_poll)
def board(poll: Poll):
    return render_template("polls/board.html", **board_context(poll))


@blueprint.get("/<int:poll_id>/board/state")
@require("show_board", load=load_poll)
def board_state(poll: Poll):
    if request.args.get("since") == board_version(poll):
        return "", 204
    return render("polls/board.html", "polls/_board_poll.html", **board_context(poll))


def _ceremony_step(poll: Poll, step: int) -> dict:
    """The counting ceremony reveals the re-sealed ballots, never the cast ones: they no longer exist."""
    try:
        recounted = polls.recounted_ballots(poll)
    except polls.PollError:
        abort(404)
    if not recounted or not 1 <= step <= len(recounted):
        abort(404)
    shown = recounted[:step]
    kind, candidates = polls.ballot_kind(poll), polls.candidate_ids(poll)
    running = ballot_box.tally(kind, shown, candidates)
    final = polls.result_of(poll)["aggregates"]
    return {"poll": poll, "step": step, "total": len(recounted), "ballot": shown[-1],
            "tally_lines": tally_lines(poll, running), "matches": step == len(recounted) and running == final,
            "kind": kind}


@blueprint.get("/<int:poll_id>/ceremony/<int:step>")
@require("show_board", load=load_poll)
def ceremony(poll: Poll, step: int):
    return render_template("polls/ceremony.html", **_ceremony_step(poll, step))


def current_board_poll(assembly) -> dict | None:
    """What the assembly board shows in its poll slot: the poll in progress, else the one announced during the
    current agenda item; nothing once the next item has started."""
    item = assembly.current_item
    poll = polls.poll_for_board(assembly.cooperative, item.started_at if item is not None else None)
    return board_context(poll) if poll is not None else None
