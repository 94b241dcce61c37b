"""Putting the running item to the vote: its proposal's next vote (the educator from the run panel, the chair from a
tablet), a question the educator words for any other item, the election of the "Elections" item."""

from flask_babel import gettext as _
from flask_login import current_user

from app.assemblies.board import live_change
from app.assemblies.forms import AgendaVoteForm
from app.assemblies.page import check_the_fields, panel_answer
from app.assemblies.refusals import refuse, sentence, status_of
from app.assemblies.routes import blueprint, load_item
from app.authz import require
from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.models import AgendaItem, Pupil
from app.polls.forms import MotionForm, election_form
from app.polls.messages import poll_error_message
from app.services import agenda_votes, item_votes, polls


@blueprint.app_context_processor
def agenda_vote_helpers() -> dict:
    return {"next_vote": agenda_votes.next_vote}


def drafted(item: AgendaItem, draft, *args, **forms):
    """Makes the running item's draft poll; the panel then offers to open its ballot box. A refusal (a second click,
    a tab left open on an earlier item) comes back in the panel with its status, and nothing is written."""
    try:
        draft(*args)
    except RuleBroken as error:
        db.session.rollback()
        return panel_answer(item.assembly, sentence(error), status_of(error), **forms)
    db.session.commit()
    return panel_answer(item.assembly, _("The vote is ready. Open the ballot box when the class is ready, or decide "
                                         "openly."))


@blueprint.post("/items/<int:item_id>/put-to-vote")
@require("put_to_vote", load=load_item)
def put_to_vote(item: AgendaItem):
    form = AgendaVoteForm()
    if not form.validate_on_submit():
        error = RuleBroken("not_in_this_vote" if form.message_id.errors else "bad_vote_form")
        if current_user.is_pupil:
            refuse(error)
        return panel_answer(item.assembly, sentence(error), status_of(error))
    chosen = (item, form.message_id.data, form.rule.data, form.quorum_percent.data)
    if current_user.is_pupil:  # the chair, from a tablet: the draft waits for the educator to open the box
        return live_change(item.assembly, agenda_votes.put_to_vote, *chosen, None)
    return drafted(item, agenda_votes.put_to_vote, *chosen, current_user)


@blueprint.post("/items/<int:item_id>/question")
@require("manage_assembly", load=load_item)
def put_question(item: AgendaItem):
    form = MotionForm()
    if not form.validate_on_submit():
        return panel_answer(item.assembly, check_the_fields(), 422, question_form=form)
    return drafted(item, item_votes.put_question, item, form.question.data, form.rule.data, form.quorum_percent.data,
                   current_user, question_form=form)


@blueprint.post("/items/<int:item_id>/election")
@require("manage_assembly", load=load_item)
def hold_election(item: AgendaItem):
    form = election_form(item.assembly.cooperative)
    if not form.validate_on_submit():
        return panel_answer(item.assembly, check_the_fields(), 422, election_form=form)
    candidates = [db.session.get(Pupil, pupil_id) for pupil_id in form.candidates.data]
    try:
        return drafted(item, item_votes.hold_election, item, form.question.data, form.method.data, form.seats.data,
                       candidates, current_user, election_form=form)
    except polls.PollError as error:
        db.session.rollback()
        form.candidates.errors.append(poll_error_message(error.code))
        return panel_answer(item.assembly, check_the_fields(), 422, election_form=form)
