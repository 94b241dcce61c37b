"""The assembly's page and its run panel: what they show, and the answer to an action taken from the panel — the
panel alone for htmx, the whole page otherwise. Used by the assemblies' views and by the polls' actions."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.assemblies.forms import NOBODY, SEAT_FIELDS, AgendaVoteForm, ChairForm, FreeItemForm, RolesForm
from app.assemblies.refusals import sentence
from app.domain.assemblies import IN_SESSION, RuleBroken
from app.forms import ButtonForm
from app.htmx import render, wants_fragment
from app.models import Assembly, Poll
from app.models.types import utcnow
from app.polls.forms import CountForm, MotionForm, OpenPollForm, election_form
from app.services import agenda_votes, assemblies, item_votes, polls, register, speakers

ANCHOR = "run-panel"


def roles_form(assembly: Assembly, submitted: bool = False) -> RolesForm:
    form = RolesForm() if submitted else RolesForm(formdata=None)
    choices = [(NOBODY, _("— nobody —"))] + [(pupil.id, pupil.display_name)
                                             for pupil in assembly.cooperative.active_pupils()]
    for seat, field in form.seat_fields():
        field.choices = choices
        if not submitted:
            holder = assemblies.holder(assembly, *seat)
            field.data = holder.id if holder else NOBODY
    return form


def panel_context(assembly: Assembly, **forms) -> dict:
    """The run panel: the running item, the vote it follows (its box, participation and result) and the forms of
    the next step, each as blank as a new page shows it unless a refused one is given back."""
    now, item = utcnow(), assembly.current_item
    poll = item_votes.followed_poll(assembly)
    forms.setdefault("vote_form", AgendaVoteForm(formdata=None))
    forms.setdefault("question_form", MotionForm(formdata=None))
    forms.setdefault("election_form", election_form(assembly.cooperative, submitted=False))
    forms.setdefault("open_form", OpenPollForm(formdata=None))
    forms.setdefault("count_form", CountForm(formdata=None))
    announced = poll is not None and poll.published_at is not None
    return {"item": item, "followed": poll, "cast": polls.ballots_cast(poll) if poll is not None else 0,
            "result": polls.result_of(poll) if poll is not None else None,
            "due": poll is not None and polls.is_due(poll, now), "next_vote": agenda_votes.next_vote(item),
            "decision": register.decision_of_poll(poll) if announced else None,
            "asks_a_question": item is not None and item_votes.asks_a_question(item),
            "holds_an_election": item is not None and item_votes.holds_an_election(item),
            "queue": speakers.queue(assembly), "version": item_votes.panel_version(assembly, poll, now), **forms}


def show_context(assembly: Assembly, **forms) -> dict:
    forms.setdefault("roles_form", roles_form(assembly))
    forms.setdefault("item_form", FreeItemForm(formdata=None))
    return {"assembly": assembly, "cooperative": assembly.cooperative, "button": ButtonForm(),
            "chair_form": ChairForm(formdata=None, chair_runs_board=assembly.chair_runs_board),
            "vote_plans": agenda_votes.plans_by_item(assembly), "waiting": assemblies.waiting_messages(assembly),
            "follow_ups": assemblies.follow_up_items(assembly.cooperative), "seat_fields": SEAT_FIELDS,
            **panel_context(assembly, **forms)}


def render_show(assembly: Assembly, status: int = 200, **forms):
    return render_template("assemblies/show.html", **show_context(assembly, **forms)), status


def panel_answer(assembly: Assembly, message: str, status: int = 200, **forms):
    """After an action of the run panel. htmx gets the panel with the message in it; a browser without JavaScript
    gets the page back after a success (post-redirect-get), or with the refusal and its status."""
    category = "success" if status < 400 else "error"
    if wants_fragment():
        return render("assemblies/show.html", "assemblies/_panel_answer.html", status, panel_message=message,
                      panel_category=category, **show_context(assembly, **forms))
    flash(message, category)
    if status >= 400:
        return render_show(assembly, status, **forms)
    return redirect(url_for("assemblies.show", assembly_id=assembly.id, _anchor=ANCHOR))


def check_the_fields() -> str:
    return _("Nothing was changed. Correct the fields shown and send again.")


def moved_on(poll: Poll) -> str | None:
    """Why the panel may not open this ballot box: a tab left open after the assembly closed, or after it moved on
    from the poll's item."""
    assembly, running = poll.assembly, poll.assembly.current_item
    if assembly.status != IN_SESSION:
        return sentence(RuleBroken("not_in_session"))
    if poll.agenda_item_id is not None and (running is None or running.id != poll.agenda_item_id):
        return sentence(RuleBroken("item_not_running"))
    return None
