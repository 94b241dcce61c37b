"""The pupils' message box on the class tablet: the four Freinet columns, supports, amendments."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.assemblies.refusals import refuse, sentence, status_of
from app.assemblies.routes import own_class
from app.authz import by_id, require
from app.database import begin_writing
from app.domain.assemblies import MESSAGE_KINDS, RuleBroken
from app.extensions import db
from app.htmx import render, wants_fragment
from app.identity import sign_out_pupil
from app.messages.forms import AmendmentForm, MessageForm
from app.models import Message
from app.models.types import utcnow
from app.services import messages
from app.tablet.routes import navigate

blueprint = Blueprint("messages", __name__, url_prefix="/messages")
load_message = by_id(Message, "message_id", "message", target=lambda message: message.cooperative)

# Every column with a word and a pictogram, never a colour alone.
COLUMNS = {
    "congratulate": ("👏", _l("I congratulate")),
    "criticise": ("😟", _l("I criticise")),
    "wish": ("🌟", _l("I would like")),
    "propose": ("💡", _l("I propose")),
    "amend": ("✏️", _l("Change to a proposal")),
}


@blueprint.app_context_processor
def message_columns() -> dict:
    return {"message_columns": COLUMNS, "waiting_for_moderation": messages.waiting_for_moderation}


@blueprint.before_request
def write_in_turn():
    if request.method == "POST":
        begin_writing(db.session)


def to_roster():
    return redirect(url_for("tablet.roster"))


def _pupil():
    return current_user._get_current_object()


def _kind(kind: str) -> str:
    if kind not in MESSAGE_KINDS:
        abort(404)
    return kind


@blueprint.get("/")
@require("post_message", load=own_class, denied=to_roster)
def box(cooperative):
    columns = messages.approved_for_class(cooperative)
    amendable = {proposal.id for proposal in columns["propose"] if messages.amendable(proposal)}
    return render_template("messages/box.html", cooperative=cooperative, columns=columns, amendable=amendable,
                           mine=messages.messages_of(current_user))


def _write_page(kind: str, form: MessageForm, status: int = 200):
    return render("messages/write.html", "messages/_write_panel.html", status, kind=kind, form=form)


@blueprint.get("/new/<kind>")
@require("post_message", load=own_class, denied=to_roster)
def write(cooperative, kind: str):
    return _write_page(_kind(kind), MessageForm(formdata=None))


def _refused_text(form, error: RuleBroken) -> None:
    """A bad text comes back on the form; any other refusal stops the request."""
    if status_of(error) != 422:
        refuse(error)
    form.text.errors = [sentence(error)]


def _thank_and_sign_out(message: str, submission: str | None):
    """Shared tablet hygiene (§2): after posting, the pupil is signed out for the next one."""
    try:
        db.session.commit()
    except IntegrityError:  # the same submission, sent twice at once, was stored by the other request
        db.session.rollback()
        if messages.sent_before(_pupil(), submission) is None:
            raise
    sign_out_pupil(message)
    return navigate(url_for("tablet.roster"))


@blueprint.post("/new/<kind>")
@require("post_message", load=own_class, denied=to_roster)
def post(cooperative, kind: str):
    form = MessageForm()
    try:
        messages.post_message(_pupil(), _kind(kind), form.text.data, utcnow(), form.submission_key())
    except RuleBroken as error:
        _refused_text(form, error)
        return _write_page(kind, form, 422)
    return _thank_and_sign_out(_("Thank you! Your message is in the box. Next pupil →"), form.submission_key())


def _support_answer(message: Message, status: int = 200, notice: str | None = None):
    return render_template("messages/_support.html", proposal=message, notice=notice), status


@blueprint.post("/<int:message_id>/support")
@require("support_proposal", load=load_message)
def support(message: Message):
    try:
        messages.support(message, _pupil(), utcnow())
    except RuleBroken as error:
        if not wants_fragment():
            refuse(error)
        db.session.rollback()
        return _support_answer(message, status_of(error), sentence(error))
    db.session.commit()
    return _support_answer(message) if wants_fragment() else redirect(url_for("messages.box"))


def _amend_page(proposal: Message, form: AmendmentForm, status: int = 200):
    return render("messages/amend.html", "messages/_amend_panel.html", status, proposal=proposal, form=form)


@blueprint.route("/<int:message_id>/amend", methods=["GET", "POST"])
@require("propose_amendment", load=load_message)
def amend(message: Message):
    try:
        messages.check_amendable(message)
    except RuleBroken as error:
        refuse(error)
    form = AmendmentForm() if request.method == "POST" else AmendmentForm(formdata=None)
    if request.method == "GET":
        return _amend_page(message, form)
    try:
        messages.propose_amendment(message, _pupil(), form.text.data, utcnow(), form.submission_key())
    except RuleBroken as error:
        _refused_text(form, error)
        return _amend_page(message, form, 422)
    return _thank_and_sign_out(_("Thank you! Your teacher will read your change. Next pupil →"),
                               form.submission_key())


from app.messages import moderation  # noqa: E402, F401 - the educator's routes join this blueprint
