"""The pupils' treasurer keeps the class's money on the class tablet: what they record waits for the educator, who
confirms it (from then on it counts, with both names) or refuses it with a reason the treasurer reads.

Recording money is neither a ballot nor a message, so the treasurer is not signed out after it (SPEC §2): they are
told it waits for their teacher and go back to their home, and the idle sign-out still watches the tablet."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.authz import require
from app.domain.treasury import EXPENSE, TreasuryError
from app.errors import abort_with
from app.extensions import db
from app.htmx import render
from app.models import Cooperative, TreasuryEntry
from app.models.types import utcnow
from app.services import treasury
from app.tablet.routes import navigate
from app.treasury.forms import RefuseEntryForm, treasurer_form
from app.treasury.presenting import PUPIL_CATEGORY_LABELS, format_money
from app.treasury.routes import _back, _warn_if_overspent, blueprint, load_entry, refusal

# The tablet --------------------------------------------------------------------------------------------------------


def treasurer_term(kwargs: dict):
    """A loader for the treasurer's pages: the signed-in pupil's class, and for the policy the assembly whose
    treasurer keeps the money now (None for anyone but a pupil, or before the class's first assembly)."""
    pupil = current_user.is_authenticated and current_user.is_pupil
    kwargs["cooperative"] = current_user.cooperative if pupil else None
    return treasury.treasurer_assembly(current_user.cooperative_id) if pupil else None


def not_the_treasurer():
    """A pupil is told, and can hear, why; anyone else goes back to the class's tiles."""
    if not (current_user.is_authenticated and current_user.is_pupil):
        return redirect(url_for("tablet.roster"))
    message = _("Only the class's treasurer records money on the tablet, and today it is not you. If you are the "
                "treasurer, ask your teacher.")
    return render("treasury/tablet_message.html", "treasury/_tablet_message.html", 403, message=message)


def pupil_refusal(error: TreasuryError) -> str:
    """What the rules refuse, in words a pupil reads (and hears)."""
    return {
        "bad_category": _("Choose what kind of money it is."),
        "outside_year": _("Your class's school year is over. Your teacher records this money."),
        "future": _("Your class's school year is over. Your teacher records this money."),
        "bad_description": _("Write in a few words what the money was for."),
        "decision_required": _("Choose the decision of the class that allows this spending."),
        "decision_not_for_income": _("Money in does not need a decision."),
        "decision_missing": _("This decision does not exist. Pick one from the list."),
        "decision_other_class": _("This decision is not one of your class's. Pick one from the list."),
        "decision_dropped": _("The class gave up this decision: it cannot allow spending. Choose another one."),
    }[error.code]


def _money_page(cooperative: Cooperative, kind: str, form, decisions: list, status: int = 200):
    return render("treasury/tablet_record.html", "treasury/_tablet_record_panel.html", status,
                  cooperative=cooperative, kind=kind, form=form, decisions=decisions)


def _form(cooperative: Cooperative, kind: str, submitted: bool):
    decisions = treasury.approving_decisions(cooperative) if kind == EXPENSE else []
    labels = {category: word for category, (_picto, word) in PUPIL_CATEGORY_LABELS.items()}
    return treasurer_form(kind, decisions, labels, submitted), decisions


@blueprint.get("/tablet")
@require("record_treasury_on_tablet", load=treasurer_term, denied=not_the_treasurer)
def our_money(cooperative: Cooperative):
    entries = treasury.entries_of(cooperative)
    return render_template("treasury/tablet.html", cooperative=cooperative,
                           balance=treasury.year_report(cooperative, entries).balance,
                           waiting=treasury.not_confirmed(cooperative),
                           refused=treasury.not_confirmed(cooperative, refused=True)[:5])


@blueprint.route("/tablet/<any(income, expense):kind>", methods=["GET", "POST"])
@require("record_treasury_on_tablet", load=treasurer_term, denied=not_the_treasurer)
def record_on_tablet(cooperative: Cooperative, kind: str):
    form, decisions = _form(cooperative, kind, submitted=request.method == "POST")
    if request.method == "GET":
        return _money_page(cooperative, kind, form, decisions)
    if form.fields_read() and _recorded_on_tablet(cooperative, kind, form):
        flash(_("Thank you! Your teacher will check it. Then it will count in the class's money."), "success")
        return navigate(url_for("tablet.pupil_home"))
    return _money_page(cooperative, kind, form, decisions, 422)


def _recorded_on_tablet(cooperative: Cooperative, kind: str, form) -> bool:
    pupil, submission = current_user._get_current_object(), form.submission_key()
    now = utcnow()
    try:
        treasury.record_for_confirmation(pupil, form.draft(kind, treasury.school_today(cooperative, now)), now,
                                         submission)
    except TreasuryError as error:  # refused before anything was written
        field = form._fields.get(error.field)
        (field.errors if field is not None else form.form_errors).append(pupil_refusal(error))
        return False
    try:
        db.session.commit()
    except IntegrityError:  # the same submission, sent twice at once, was stored by the other request
        db.session.rollback()
        if treasury.sent_before(pupil, submission) is None:
            raise
    return True


# The educator's confirmation ---------------------------------------------------------------------------------------


def confirmation_refusal(error: TreasuryError, entry: TreasuryEntry) -> tuple[int, str]:
    """The status and sentence when an answer to the treasurer's entry cannot be taken."""
    reload = _("Reload the treasury page.")
    sentences = {
        "already_confirmed": _("This entry was already confirmed by %(name)s: nothing was changed.",
                               name=entry.confirmed_by),
        "already_refused": _("This entry was already refused by %(name)s: it does not count, and nothing was "
                             "changed.", name=entry.refused_by),
        "decision_dropped": _("The decision this expense cites was dropped after the treasurer recorded it. Refuse "
                              "the entry, saying why."),
    }
    if error.code in sentences:
        return 409, f"{sentences[error.code]} {reload}"
    return 422, refusal(error, entry.cooperative)


def _answer_once(entry: TreasuryEntry, answer, *args) -> None:
    try:
        answer(entry, current_user, *args, utcnow())
    except TreasuryError as error:
        db.session.rollback()
        abort_with(*confirmation_refusal(error, db.session.get(TreasuryEntry, entry.id)))
    db.session.commit()


@blueprint.post("/entries/<int:entry_id>/confirm")
@require("record_treasury", load=load_entry)
def confirm_entry(entry: TreasuryEntry):
    _answer_once(entry, treasury.confirm_entry)
    flash(_("Confirmed: %(amount)s recorded by %(name)s now counts.", amount=format_money(entry.amount_cents),
            name=entry.recorded_by), "success")
    _warn_if_overspent(entry.cooperative)
    return _back(entry.cooperative_id)


@blueprint.route("/entries/<int:entry_id>/refuse", methods=["GET", "POST"])
@require("record_treasury", load=load_entry)
def refuse_entry(entry: TreasuryEntry):
    if not entry.is_waiting:
        abort_with(*confirmation_refusal(TreasuryError(
            "already_refused" if entry.is_refused else "already_confirmed", "reason"), entry))
    form = RefuseEntryForm()
    if form.validate_on_submit():
        _answer_once(entry, treasury.refuse_entry, form.reason.data)
        flash(_("Refused. %(name)s will read why on the tablet; the entry counts nowhere.",
                name=entry.recorded_by), "success")
        return _back(entry.cooperative_id)
    status = 422 if form.is_submitted() else 200
    return render_template("treasury/refuse.html", entry=entry, cooperative=entry.cooperative, form=form), status

