"""Putting the proposals of the agenda to the vote: the educator from the assembly's page, the chair from a tablet."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.assemblies.board import live_change
from app.assemblies.forms import AgendaVoteForm
from app.assemblies.refusals import refuse
from app.assemblies.routes import blueprint, load_item
from app.authz import require
from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.models import AgendaItem
from app.services import agenda_votes


@blueprint.app_context_processor
def agenda_vote_helpers() -> dict:
    return {"next_vote": agenda_votes.next_vote}


@blueprint.post("/items/<int:item_id>/put-to-vote")
@require("put_to_vote", load=load_item)
def put_to_vote(item: AgendaItem):
    form = AgendaVoteForm()
    if not form.validate_on_submit():
        refuse(RuleBroken("not_in_this_vote" if form.message_id.errors else "bad_vote_form"))
    chosen = (item, form.message_id.data, form.rule.data, form.quorum_percent.data)
    if current_user.is_pupil:  # the chair, from a tablet: the draft waits for the educator to open the box
        return live_change(item.assembly, agenda_votes.put_to_vote, *chosen, None)
    try:
        poll = agenda_votes.put_to_vote(*chosen, current_user)
    except RuleBroken as error:
        refuse(error)
    db.session.commit()
    flash(_("The vote is ready. Open the ballot box when the class is ready, or decide openly."), "success")
    return redirect(url_for("polls.show", poll_id=poll.id))
