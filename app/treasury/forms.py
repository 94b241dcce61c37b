"""Forms of the treasury: money in, money out (citing a decision), cancelling an entry; the treasurer's form on
the class tablet, and the educator refusing what the treasurer recorded."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, StopValidation

from app.domain import money
from app.domain.treasury import CATEGORIES, EXPENSE, MAX_DESCRIPTION, MAX_REASON, Draft
from app.forms import DayField, chosen_id
from app.messages.forms import SubmittedOnceForm
from app.treasury.presenting import CATEGORY_LABELS, format_money


def amount_message(code: str) -> str:
    return {
        "empty": _("Enter the amount, for example 12.50."),
        "negative": _("Write the amount without a minus sign: money spent is recorded as “money out”."),
        "not_a_number": _("Write the amount with digits only, for example 12.50 or 1 234.50."),
        "zero": _("The amount must be more than zero."),
        "too_many_decimals": _("Write at most two digits for the cents, for example 12.50. To separate "
                               "thousands, use a space: 1 234.50."),
        "too_large": _("This amount is too large for a class cooperative (at most %(max)s). Check what you typed.",
                       max=format_money(money.MAX_CENTS)),
    }[code]


def pupil_amount_message(code: str) -> str:
    """The same refusals, in the words the treasurer reads on the class tablet."""
    return {
        "empty": _("Write how much, for example 12.50."),
        "negative": _("Write the amount without a minus sign. Money spent goes in “Money out”."),
        "not_a_number": _("Write the amount with digits only, for example 12.50."),
        "zero": _("The amount must be more than zero."),
        "too_many_decimals": _("Write two digits at most for the cents, for example 12.50."),
        "too_large": _("This is too much money for a class (at most %(max)s). Check what you typed.",
                       max=format_money(money.MAX_CENTS)),
    }[code]


class AmountField(StringField):
    """What the person typed, read by app.domain.money: data holds integer cents, never a float."""

    message = staticmethod(amount_message)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                self.data = money.parse_amount(valuelist[0])
            except money.MoneyError as error:
                raise ValueError(self.message(error.code)) from error

    def pre_validate(self, form):
        if self.data is None and not self.process_errors:
            raise StopValidation(self.message("empty"))

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else ""


class PupilAmountField(AmountField):
    message = staticmethod(pupil_amount_message)


class EntryDayField(DayField):
    def refusal(self, code: str) -> str:
        return _("Choose the day the money came in or went out.")

    def pre_validate(self, form):
        if self.data is None and not self.process_errors:
            raise StopValidation(_("Choose the day the money came in or went out."))


class DecisionField(SelectField):
    """The decision an expense cites, by id; whether it is one of the class's is for the service to say."""

    def __init__(self, label, **kwargs):
        super().__init__(label, coerce=_decision_id, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Choose a decision from the list.")) from error


def _decision_id(value) -> int | None:
    return None if value in (None, "") else chosen_id(value)


class IncomeForm(FlaskForm):
    occurred_on = EntryDayField(_l("Date"))
    amount = AmountField(_l("Amount (€)"), description=_l("For example 12.50"),
                         render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": 20})
    category = SelectField(_l("Category"))
    description = StringField(_l("What was it?"), validators=[DataRequired(), Length(max=MAX_DESCRIPTION)],
                              render_kw={"maxlength": MAX_DESCRIPTION})

    def draft(self, kind: str) -> Draft:
        decision = getattr(self, "decision", None)
        return Draft(kind, self.category.data, self.occurred_on.data, self.amount.data, self.description.data,
                     decision.data if decision is not None else None)


class ExpenseForm(IncomeForm):
    decision = DecisionField(_l("Decision that approved this expense"),
                             description=_l("An expense is approved by the class: choose the decision of the "
                                            "assembly."))


def entry_form(kind: str, decisions: list, label, submitted: bool = True) -> IncomeForm:
    """The form for money in or out; decisions are the class's decisions an expense may cite."""
    form_class = ExpenseForm if kind == EXPENSE else IncomeForm
    form = form_class() if submitted else form_class(formdata=None)
    form.category.choices = [(category, CATEGORY_LABELS[category]) for category in CATEGORIES[kind]]
    if kind == EXPENSE:
        form.decision.choices = [("", _("Choose a decision…"))] + [(d.id, label(d)) for d in decisions]
    else:
        form.category.description = _("A gift made for a project the pupils lead: choose “%(category)s”.",
                                      category=CATEGORY_LABELS["initiative_donation"])
    return form


class CancelEntryForm(FlaskForm):
    reason = StringField(_l("Why cancel this entry?"), validators=[DataRequired(), Length(max=MAX_REASON)],
                         description=_l("For example “recorded twice” or “wrong amount: recorded again”."),
                         render_kw={"maxlength": MAX_REASON})


class RefuseEntryForm(FlaskForm):
    reason = StringField(_l("Why refuse it? The treasurer reads your answer on the tablet."),
                         validators=[DataRequired(), Length(max=MAX_REASON)],
                         description=_l("Kind and clear, for example “We have no receipt: bring it and record it "
                                        "again.”"),
                         render_kw={"maxlength": MAX_REASON})


class DecisionChoiceField(RadioField):
    """The decision an expense cites, as big choices; whether it is one of the class's is for the service to say."""

    def __init__(self, label, **kwargs):
        super().__init__(label, coerce=_decision_id, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Pick a decision from the list.")) from error


def _chosen_text(value) -> str | None:
    return value if isinstance(value, str) and value else None


class TreasurerEntryForm(SubmittedOnceForm):
    """What the treasurer records on the class tablet: the day is today on the school's clock."""

    amount = PupilAmountField(_l("How much money? (€)"), description=_l("For example 12.50"),
                         render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": 20})
    category = RadioField(_l("What kind of money is it?"), coerce=_chosen_text, validate_choice=False)
    description = StringField(_l("What was it for?"), description=_l("A few words, for example “Seeds for the "
                                                                      "garden”."),
                              render_kw={"maxlength": MAX_DESCRIPTION, "autocomplete": "off"})

    def fields_read(self) -> bool:
        """Every field read as typed, each one's mistake kept on it (the submission and CSRF are checked apart)."""
        fields = [self.amount, self.category, self.description, *([self.decision] if self.decision_field else [])]
        return all([field.validate(self) for field in fields])

    @property
    def decision_field(self):
        return getattr(self, "decision", None)

    def draft(self, kind: str, today) -> Draft:
        decision = self.decision_field
        return Draft(kind, self.category.data or "", today, self.amount.data, self.description.data or "",
                     decision.data if decision is not None else None)


class TreasurerExpenseForm(TreasurerEntryForm):
    decision = DecisionChoiceField(_l("Which decision of the class allows this spending?"))


def treasurer_form(kind: str, decisions: list, labels: dict, submitted: bool = True) -> TreasurerEntryForm:
    """The treasurer's form for money in or out, the categories in the words pupils read; decisions are the
    class's decisions an expense may cite, by their words."""
    form_class = TreasurerExpenseForm if kind == EXPENSE else TreasurerEntryForm
    form = form_class() if submitted else form_class(formdata=None)
    form.category.choices = [(category, labels[category]) for category in CATEGORIES[kind]]
    if kind == EXPENSE:
        form.decision.choices = [(decision.id, decision.text) for decision in decisions]
    return form
