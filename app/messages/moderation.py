"""The educator's moderation queue: approve, rewrite with the author, merge duplicates, decline, make anonymous."""

from flask import redirect, render_template, url_for

from app.assemblies.refusals import refuse
from app.authz import by_id, require
from app.domain.assemblies import RuleBroken
from app.extensions import db
from app.messages.forms import DeclineForm, MergeForm, RewriteForm
from app.messages.routes import blueprint, load_message
from app.models import Cooperative, Message
from app.models.types import utcnow
from app.services import messages

load_cooperative = by_id(Cooperative, "cooperative_id", "cooperative")


def _merge_form(message: Message) -> MergeForm:
    form = MergeForm(formdata=None, prefix=f"m{message.id}")
    form.into.choices = [(other.id, other.text[:80]) for other in messages.merge_candidates(message)]
    return form


@blueprint.get("/classes/<int:cooperative_id>")
@require("view_message_box", load=load_cooperative)
def index(cooperative: Cooperative):
    queue = messages.moderation_queue(cooperative)
    return render_template(
        "messages/index.html", cooperative=cooperative, queue=queue, columns=messages.approved_for_class(cooperative),
        declined=messages.moderated(cooperative, "declined"), merged=messages.moderated(cooperative, "merged"),
        merge_forms={message.id: _merge_form(message) for message in queue},
        rewrite_form=RewriteForm(formdata=None), decline_form=DeclineForm(formdata=None))


def moderated(message: Message, change, *args):
    """Runs one moderation step, commits it, and comes back to the queue."""
    try:
        change(message, *args)
    except RuleBroken as error:
        refuse(error)
    db.session.commit()
    return redirect(url_for("messages.index", cooperative_id=message.cooperative_id))


@blueprint.post("/<int:message_id>/<any(approve, anonymous, named):action>")
@require("moderate_messages", load=load_message)
def moderate(message: Message, action: str):
    if action == "approve":
        return moderated(message, messages.approve, utcnow())
    return moderated(message, messages.set_anonymous, action == "anonymous")


@blueprint.post("/<int:message_id>/rewrite")
@require("moderate_messages", load=load_message)
def rewrite(message: Message):
    return moderated(message, messages.rewrite, RewriteForm().text.data, utcnow())


@blueprint.post("/<int:message_id>/decline")
@require("moderate_messages", load=load_message)
def decline(message: Message):
    return moderated(message, messages.decline, DeclineForm().reason.data, utcnow())


@blueprint.post("/<int:message_id>/merge")
@require("moderate_messages", load=load_message)
def merge(message: Message):
    form = MergeForm(prefix=f"m{message.id}")
    kept = db.session.get(Message, form.into.data) if isinstance(form.into.data, int) else None
    if kept is None:
        refuse(RuleBroken("cannot_merge"))
    return moderated(message, messages.merge, kept, utcnow())
