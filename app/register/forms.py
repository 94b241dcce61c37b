"""The register's search form (a GET form, so every view has a shareable URL) and the follow-up forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import DayField, WholeNumberField, strip_text
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


class CorrectionForm(FlaskForm):
    text = TextAreaField(_l("Corrected text"), filters=[strip_text], validators=[DataRequired(), Length(max=1000)])
    reason = StringField(_l("Why it is corrected"), filters=[strip_text], validators=[DataRequired(), Length(max=300)],
                         description=_l("The first text stays in the register; the correction is added after it."))


class DecisionForm(FlaskForm):
    text = TextAreaField(_l("Decision"), filters=[strip_text], validators=[DataRequired(), Length(max=1000)])
    due_on = DayField(_l("To be done by (optional)"), validators=[Optional()])
