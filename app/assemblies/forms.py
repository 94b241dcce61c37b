"""Forms of the assemblies: planning, agenda items, roles, attendance and minutes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.assemblies.presenting import ROLE_LABELS
from app.domain.assemblies import MAX_MINUTES_TEXT, MAX_TEXT
from app.forms import DayField, IdField, MultiCheckboxField, RowsField, WholeNumberField, chosen_id, strip_text
from app.polls.forms import MOTION_RULE_CHOICES

SEAT_FIELDS = {("chair", 1): "chair", ("secretary", 1): "secretary", ("timekeeper", 1): "timekeeper",
               ("speaker_giver", 1): "speaker_giver", ("treasurer", 1): "treasurer", ("teller", 1): "teller_1",
               ("teller", 2): "teller_2"}
NOBODY = 0


class PlanForm(FlaskForm):
    day = DayField(_l("Date"), validators=[InputRequired(_l("Choose the day of the assembly."))])
    at = TimeField(_l("Time"), validators=[InputRequired(_l("Choose the time the assembly starts."))])
    place = StringField(_l("Place"), filters=[strip_text], validators=[Optional(), Length(max=120)],
                        description=_l("For example “our classroom” or “the library”."))


class FreeItemForm(FlaskForm):
    title = StringField(_l("New item"), filters=[strip_text], validators=[DataRequired(), Length(max=200)],
                        description=_l("A short title, for example “The class trip”."))
    minutes = WholeNumberField(_l("Minutes planned"), default=5, validators=[InputRequired(), NumberRange(1, 120)])


class MessageItemForm(FlaskForm):
    message_id = IdField(validators=[InputRequired()])


class RolesForm(FlaskForm):
    chair = SelectField(ROLE_LABELS["chair"], coerce=chosen_id)
    secretary = SelectField(ROLE_LABELS["secretary"], coerce=chosen_id)
    timekeeper = SelectField(ROLE_LABELS["timekeeper"], coerce=chosen_id)
    speaker_giver = SelectField(ROLE_LABELS["speaker_giver"], coerce=chosen_id)
    treasurer = SelectField(ROLE_LABELS["treasurer"], coerce=chosen_id)
    teller_1 = SelectField(_l("First teller"), coerce=chosen_id)
    teller_2 = SelectField(_l("Second teller"), coerce=chosen_id)

    def seat_fields(self):
        return [(seat, self[name]) for seat, name in SEAT_FIELDS.items()]

    def chosen(self) -> dict[tuple[str, int], int | None]:
        return {seat: field.data or None for seat, field in self.seat_fields()}


class AgendaVoteForm(FlaskForm):
    """The next vote of a proposal item: which one the button was for (a second click is recognised), its rule."""

    message_id = IdField(validators=[InputRequired()])
    rule = SelectField(_l("Adoption rule"), choices=MOTION_RULE_CHOICES, default="simple")
    quorum_percent = WholeNumberField(_l("Quorum (percent of members who must take part, optional)"),
                                      validators=[Optional(), NumberRange(1, 100)])


class ChairForm(FlaskForm):
    chair_runs_board = BooleanField(_l("Let the chair move to the next item from a tablet"))


class AttendanceForm(FlaskForm):
    present = MultiCheckboxField(_l("Present pupils"), coerce=chosen_id)


class MinutesForm(FlaskForm):
    text = TextAreaField(_l("The secretary's notes"), validators=[Length(max=MAX_MINUTES_TEXT)],
                         description=_l("Plain text, at most %(count)d characters.", count=MAX_MINUTES_TEXT))
    outcomes = RowsField(StringField(validators=[Length(max=MAX_TEXT)]))
