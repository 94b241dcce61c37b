"""The register's search form (a GET form, so every view has a shareable URL) and the follow-up forms."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from app.domain.collation import by_name
from app.domain.decisions import MAX_REASON, MAX_TEXT, day_decided, latest_due_date
from app.forms import DayField, IdField, MultiCheckboxField, WholeNumberField, chosen_id, strip_text
from app.models import Decision
from app.register.presenting import METHOD_LABELS, STATUS_LABELS
from app.services.register_search import MAX_QUERY

STATUS_CHOICES = [("", _l("Any status")), *STATUS_LABELS.items()]
METHOD_CHOICES = [("", _l("Any method")), *METHOD_LABELS.items()]
SORT_CHOICES = [("newest", _l("Newest first")), ("oldest", _l("Oldest first"))]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Words"), filters=[strip_text], validators=[Optional(), Length(max=MAX_QUERY)])
    year = WholeNumberField(_l("School year starting in"), validators=[Optional(), NumberRange(2000, 2200)])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default="")
    method = SelectField(_l("How it was decided"), choices=METHOD_CHOICES, default="")
    sort = SelectField(_l("Order"), choices=SORT_CHOICES, default="newest")
    page = WholeNumberField(validators=[Optional(), NumberRange(1, 100_000)], default=1)
    cooperative = SelectField(_l("Class"), coerce=str, default="", validate_choice=True)


class FollowUpForm(FlaskForm):
    status = SelectField(_l("New status"), choices=STATUS_CHOICES[1:])
    note = TextAreaField(_l("Follow-up note"), filters=[strip_text], validators=[Length(max=1000)],
                         description=_l("What was done, by whom, what is left (at most 1,000 characters)."))


OUT_OF_DATE = _l("This form is out of date: reload the page and try again.")


class PupilsField(MultiCheckboxField):
    """Pupils ticked by id; whether each may be named is for the register to say (app/services/register.py)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("A responsible pupil must be a member of the class.")) from error


class CorrectionForm(FlaskForm):
    """The decision as the class means it: its wording, who sees it through, by when. Sent from the decision's page
    or from the vote's, where the result is announced (back says which to go back to)."""

    text = TextAreaField(_l("Wording of the decision"), filters=[strip_text],
                         validators=[DataRequired(_l("Write the decision.")), Length(max=MAX_TEXT)],
                         description=_l("As the class decided it, for example “We will visit the museum in May” "
                                        "(at most 1,000 characters)."))
    responsible = PupilsField(_l("Responsible pupils"), coerce=chosen_id, validate_choice=False)
    due_on = DayField(_l("To be done by (optional)"), validators=[Optional()])
    reason = StringField(_l("Why it changes (optional)"), filters=[strip_text],
                         validators=[Length(max=MAX_REASON)],
                         description=_l("The first wording stays in the register's history; this change is added "
                                        "after it."))
    last_entry = IdField(validators=[InputRequired(OUT_OF_DATE)])  # the decision's latest entry the form showed
    back = HiddenField(validators=[AnyOf(("", "poll"), OUT_OF_DATE)], default="")

    def out_of_date(self) -> str | None:
        """The sentence for a hidden field that came back wrong: it is no field the educator can correct."""
        return next(iter([*self.last_entry.errors, *self.back.errors]), None)


def correction_form(decision: Decision, submitted: bool = False, back: str = "") -> CorrectionForm:
    """The form as the decision stands, or as sent; the pupils offered are the class's current ones and those
    already responsible, the days those the decision may be due on."""
    form = CorrectionForm() if submitted else CorrectionForm(
        formdata=None, text=decision.text, responsible=[pupil.id for pupil in decision.responsible],
        due_on=decision.due_on, back=back)
    decided_on = day_decided(decision.decided_at, decision.cooperative.school.timezone)
    form.due_on.render_kw = {"min": decided_on.isoformat(), "max": latest_due_date(decided_on).isoformat()}
    named = {pupil.id for pupil in decision.responsible}
    form.responsible.choices = [(pupil.id, pupil.display_name) for pupil in by_name(decision.cooperative.pupils)
                                if pupil.closed_at is None or pupil.id in named]
    return form


class DecisionForm(FlaskForm):
    text = TextAreaField(_l("Decision"), filters=[strip_text], validators=[DataRequired(), Length(max=1000)])
    due_on = DayField(_l("To be done by (optional)"), validators=[Optional()])
