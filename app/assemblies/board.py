"""The live assembly: the projected board, the pupils' tablets following it, and moving through the agenda.

Screens poll `…/state?since=<version>` every second: an unchanged version answers 204 without rendering — before
Flask when the screen shows its pass (app/live.py); any change answers the fragment, with a fresh pass. Nothing is
kept in a worker's memory.
"""

from itertools import groupby

from flask import redirect, render_template, url_for
from flask_login import current_user

from app import live
from app.assemblies.refusals import refuse, sentence, status_of
from app.assemblies.routes import blueprint, load_assembly, own_class
from app.authz import allowed, require
from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.htmx import render, wants_fragment
from app.models import Assembly
from app.models.types import utcnow
from app.services import assemblies, minutes, speakers
from app.services.assemblies import board_version, tablet_version

UNCHANGED = ("", 204)


def outline(assembly: Assembly) -> list[dict]:
    """The agenda at a glance: neighbouring items of one section shown once ("Proposals ×3")."""
    current = assembly.current_item
    groups = groupby(assembly.items, key=lambda item: (item.section, item.title if item.message_id is None else ""))
    return [{"section": section, "title": title, "count": len(items), "current": current in items,
             "done": all(item.done_at is not None for item in items)}
            for (section, title), items in ((key, list(group)) for key, group in groups)]


def board_context(assembly: Assembly) -> dict:
    item = assembly.current_item
    return {"assembly": assembly, "item": item, "version": board_version(assembly), "queue": speakers.queue(assembly),
            "votes": assemblies.votes_of(item), "now": utcnow(), "outline": outline(assembly),
            "screen_pass": live.board_pass(assembly)}


@blueprint.get("/<int:assembly_id>/board")
@require("show_assembly_board", load=load_assembly)
def board(assembly: Assembly):
    return render_template("assemblies/board.html", **board_context(assembly))


@blueprint.get("/<int:assembly_id>/board/state")
@require("show_assembly_board", load=load_assembly)
def board_state(assembly: Assembly):
    if live.unchanged(board_version(assembly)):
        return UNCHANGED
    return render("assemblies/board.html", "assemblies/_board.html", **board_context(assembly))


# The pupils' tablets -----------------------------------------------------------------------------------------------

def tablet_context(assembly: Assembly | None, message: str | None = None) -> dict:
    context = {"assembly": assembly, "version": tablet_version(assembly), "message": message,
               "to_write": minutes.awaiting_secretary(current_user), "screen_pass": live.tablet_pass()}
    if assembly is None:
        return context
    waiting = speakers.queue(assembly)
    return context | {"item": assembly.current_item, "queue": waiting,
                      "place": speakers.place_in_queue(waiting, current_user),
                      "runs": allowed("run_assembly", assembly), "gives_floor": allowed("give_floor", assembly),
                      "chairs": current_user.id in assembly.holders("chair")}


def tablet_answer(assembly: Assembly | None, status: int = 200, message: str | None = None):
    return render("assemblies/now.html", "assemblies/_tablet_now.html", status, **tablet_context(assembly, message))


@blueprint.get("/tablet")
@require("follow_assemblies", load=own_class, denied=lambda: redirect(url_for("tablet.roster")))
def tablet_now(cooperative):
    assembly = assemblies.in_session(cooperative.id)
    if live.unchanged(tablet_version(assembly)):
        return UNCHANGED
    return tablet_answer(assembly)


def live_change(assembly: Assembly, change, *args):
    """A change made during the session, from a tablet (answered with the tablet's fragment) or by the educator."""
    pupil = current_user.is_pupil
    try:
        change(*args)
    except RuleBroken as error:
        if not pupil:
            refuse(error)
        db.session.rollback()
        return tablet_answer(assembly, status_of(error), sentence(error))
    db.session.commit()
    if pupil:
        return tablet_answer(assembly) if wants_fragment() else redirect(url_for("tablet.pupil_home"))
    return redirect(url_for("assemblies.show", assembly_id=assembly.id))


@blueprint.post("/<int:assembly_id>/<any(next, previous):direction>")
@require("run_assembly", load=load_assembly)
def advance(assembly: Assembly, direction: str):
    return live_change(assembly, assemblies.advance, assembly, 1 if direction == "next" else -1, utcnow())
