"""Forms for preparing and running polls."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import MultiCheckboxField, WholeNumberField, chosen_id, strip_text

MOTION_RULE_CHOICES = [
    ("simple", _l("Simple majority: more For than Against")),
    ("absolute", _l("Absolute majority: more than half of the members vote For")),
    ("two_thirds", _l("Two thirds of the votes expressed")),
]
ELECTION_METHOD_CHOICES = [
    ("plurality", _l("One round: the most votes win")),
    ("two_round", _l("Two rounds: a majority, or a second round between the first two")),
    ("approval", _l("Approval: tick every candidate you accept")),
    ("majority_judgment", _l("Majority judgment: give each candidate a grade")),
    ("schulze", _l("Ranking (Schulze method), for older pupils")),
]


class MotionForm(FlaskForm):
    question = TextAreaField(_l("Question put to the vote"), filters=[strip_text],
                             validators=[DataRequired(), Length(max=300)],
                             description=_l("Short and clear: pupils read it on the tablet (at most 300 characters)."))
    rule = SelectField(_l("Adoption rule"), choices=MOTION_RULE_CHOICES)
    quorum_percent = WholeNumberField(_l("Quorum (percent of members who must take part, optional)"),
                                      validators=[Optional(), NumberRange(1, 100)])


class ElectionForm(FlaskForm):
    question = StringField(_l("Office to fill"), filters=[strip_text], validators=[DataRequired(), Length(max=300)],
                           description=_l("For example “Class delegates”."))
    method = SelectField(_l("Voting method"), choices=ELECTION_METHOD_CHOICES)
    seats = WholeNumberField(_l("Number of seats"), default=1, validators=[InputRequired(), NumberRange(1, 10)])
    candidates = MultiCheckboxField(_l("Candidates (pupils who stand)"), coerce=chosen_id)

    def __init__(self, *args, **kwargs) -> None:
        """Shown beside the motion form on one page: its fields get ids of their own (names stay the same)."""
        super().__init__(*args, **kwargs)
        for field in self:
            field.id = field.label.field_id = f"election-{field.name}"


def election_form(cooperative, submitted: bool = True) -> ElectionForm:
    """The election form, offering the class's pupils as candidates."""
    form = ElectionForm() if submitted else ElectionForm(formdata=None)
    form.candidates.choices = [(pupil.id, pupil.display_name) for pupil in cooperative.active_pupils()]
    return form


class OpenPollForm(FlaskForm):
    custody = SelectField(_l("Who can open the ballot box at the count"), choices=[
        ("server", _l("Agora keeps the key (simplest)")),
        ("ceremony", _l("Key cards: any two of three cards (teacher and two tellers)")),
    ])
    minutes = WholeNumberField(_l("Close automatically after (minutes, optional)"),
                               validators=[Optional(), NumberRange(1, 24 * 60)])


class CountForm(FlaskForm):
    card_a = StringField(_l("First key card"), filters=[strip_text], validators=[DataRequired(), Length(max=60)])
    card_b = StringField(_l("Second key card"), filters=[strip_text], validators=[DataRequired(), Length(max=60)])


class ShowOfHandsForm(FlaskForm):
    votes_for = WholeNumberField(_l("For"), validators=[InputRequired(), NumberRange(0, 1000)])
    votes_against = WholeNumberField(_l("Against"), validators=[InputRequired(), NumberRange(0, 1000)])
    votes_abstain = WholeNumberField(_l("Abstain"), validators=[InputRequired(), NumberRange(0, 1000)])
