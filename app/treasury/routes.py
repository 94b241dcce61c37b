"""A class's treasury: the entries and year report, recording money in and out, cancelling a mistake, the CSV
export and the treasurer's large-print money report for the assembly. The pupils' treasurer's pages on the class
tablet, and the educator's answers to what they record, are in treasurer.py."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import dates
from app.authz import by_id, require
from app.domain import treasury as treasury_rules
from app.domain.treasury import EXPENSE, TreasuryError, first_day, last_day
from app.errors import abort_with
from app.extensions import db
from app.models import Cooperative, TreasuryEntry
from app.models.types import utcnow
from app.services import treasury
from app.treasury.export import treasury_csv
from app.treasury.forms import CancelEntryForm, entry_form
from app.treasury.presenting import decision_label, format_money, treasury_labels

blueprint = Blueprint("treasury", __name__, url_prefix="/treasury")
blueprint.app_context_processor(treasury_labels)
blueprint.add_app_template_filter(format_money, "money")  # also used by the public home page's figures
load_cooperative = by_id(Cooperative, "cooperative_id", "cooperative")
load_entry = by_id(TreasuryEntry, "entry_id", "entry", target=lambda entry: entry.cooperative)


def refusal(error: TreasuryError, cooperative: Cooperative) -> str:
    year = {"year": cooperative.year_label, "first": dates.day(first_day(cooperative.school_year), cooperative.school),
            "last": dates.day(last_day(cooperative.school_year), cooperative.school)}
    return {
        "bad_category": _("Choose a category from the list."),
        "outside_year": _("This date is outside the class's school year %(year)s (%(first)s to %(last)s). "
                          "Choose a date within it.", **year),
        "future": _("This date is in the future. Record the entry once the money has come in or gone out."),
        "bad_description": _("Say in a few words what the money was for."),
        "decision_required": _("Choose the decision of the class that approved this expense."),
        "decision_not_for_income": _("Money in does not cite a decision."),
        "decision_missing": _("This decision does not exist. Choose one from the list."),
        "decision_other_class": _("This decision belongs to another class. Choose a decision of %(name)s.",
                                  name=cooperative.name),
        "decision_dropped": _("This decision was dropped: it cannot approve an expense. Choose another one."),
        "bad_reason": _("Say in a few words why the entry is cancelled."),
        "already_cancelled": _("This entry was already cancelled. Reload the treasury page."),
        "not_confirmed": _("This entry is not in the class's book: it waits for your confirmation, or was refused. "
                           "Reload the treasury page."),
    }[error.code]


def _back(cooperative_id: int):
    return redirect(url_for("treasury.index", cooperative_id=cooperative_id))


@blueprint.get("/classes/<int:cooperative_id>")
@require("view_treasury", load=load_cooperative)
def index(cooperative: Cooperative):
    entries = treasury.entries_of(cooperative)
    return render_template("treasury/index.html", cooperative=cooperative, entries=entries,
                           report=treasury.year_report(cooperative, entries),
                           waiting=treasury.not_confirmed(cooperative),
                           refused=treasury.not_confirmed(cooperative, refused=True),
                           treasurer=treasury.current_treasurer(cooperative))


def _new_entry_form(cooperative: Cooperative, kind: str, submitted: bool):
    decisions = treasury.approving_decisions(cooperative) if kind == EXPENSE else []
    form = entry_form(kind, decisions, decision_label, submitted)
    today = treasury.school_today(cooperative, utcnow())
    first, last = first_day(cooperative.school_year), min(last_day(cooperative.school_year), today)
    form.occurred_on.render_kw = {"min": first.isoformat(), "max": last.isoformat()}
    if not submitted and first <= today <= last:
        form.occurred_on.data = today
    return form, decisions


def _recorded(cooperative: Cooperative, kind: str, form) -> bool:
    try:
        treasury.record_entry(cooperative, form.draft(kind), current_user, utcnow())
    except TreasuryError as error:
        getattr(form, error.field).errors.append(refusal(error, cooperative))
        return False
    return True


@blueprint.route("/classes/<int:cooperative_id>/<any(income, expense):kind>", methods=["GET", "POST"])
@require("record_treasury", load=load_cooperative)
def record_entry(cooperative: Cooperative, kind: str):
    posted = request.method == "POST"
    form, decisions = _new_entry_form(cooperative, kind, submitted=posted)
    if form.validate_on_submit() and _recorded(cooperative, kind, form):
        db.session.commit()
        flash(_("Recorded: %(amount)s.", amount=format_money(form.amount.data)), "success")
        _warn_if_overspent(cooperative)
        return _back(cooperative.id)
    return render_template("treasury/record.html", cooperative=cooperative, kind=kind, form=form,
                           decisions=decisions), 422 if posted else 200


def _warn_if_overspent(cooperative: Cooperative) -> None:
    """A balance below zero is allowed (an entry may be late), but the educator is told at once."""
    balance = treasury_rules.balance(treasury.entries_of(cooperative))
    if balance < 0:
        flash(_("The balance is now negative: %(balance)s. Check the entries, or record the income that is missing.",
                balance=format_money(balance)), "warning")


def _cancelled(entry: TreasuryEntry, form: CancelEntryForm) -> bool:
    try:
        treasury.cancel_entry(entry, current_user, form.reason.data, utcnow())
    except TreasuryError as error:
        abort_with(409 if error.code in ("already_cancelled", "not_confirmed") else 422,
                   refusal(error, entry.cooperative))
    return True


@blueprint.route("/entries/<int:entry_id>/cancel", methods=["GET", "POST"])
@require("record_treasury", load=load_entry)
def cancel_entry(entry: TreasuryEntry):
    if entry.is_cancelled or not entry.is_confirmed:
        code = "already_cancelled" if entry.is_cancelled else "not_confirmed"
        abort_with(409, refusal(TreasuryError(code, "reason"), entry.cooperative))
    form = CancelEntryForm()
    if form.validate_on_submit() and _cancelled(entry, form):
        db.session.commit()
        flash(_("The entry is cancelled. It stays in the list, crossed out, and no longer counts."), "success")
        return _back(entry.cooperative_id)
    status = 422 if form.is_submitted() else 200
    return render_template("treasury/cancel.html", entry=entry, cooperative=entry.cooperative, form=form), status


@blueprint.get("/classes/<int:cooperative_id>/treasury.csv")
@require("view_treasury", load=load_cooperative)
def export_csv(cooperative: Cooperative):
    return treasury_csv(cooperative, treasury.entries_of(cooperative))


@blueprint.get("/classes/<int:cooperative_id>/money-report")
@require("view_treasury", load=load_cooperative)
def money_report(cooperative: Cooperative):
    entries = treasury.entries_of(cooperative)
    return render_template("treasury/money_report.html", cooperative=cooperative, now=utcnow(),
                           entries=[entry for entry in entries if treasury_rules.counts(entry)],
                           report=treasury.year_report(cooperative, entries))


from app.treasury import treasurer  # noqa: E402, F401 - the treasurer's tablet and the educator's answers join here
