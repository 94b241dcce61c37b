"""Forms of the educator's class pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.domain.roster import MAX_FIRST_NAME
from app.forms import IdsField, WholeNumberField, chosen_id

MAX_PASTED_NAMES = 8000


class NewClassForm(FlaskForm):
    school_id = SelectField(_l("School"), coerce=chosen_id)
    name = StringField(_l("Class name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("For example “CM1 B — Les Colibris”."))
    school_year = WholeNumberField(_l("School year starting in"), validators=[InputRequired(), NumberRange(2000, 2200)])
    kind = SelectField(_l("Kind"), choices=[("class", _l("Class cooperative")),
                                            ("council", _l("School council of delegates"))])


class RenameClassForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(), Length(max=80)])


class TypedNamesForm(FlaskForm):
    names = TextAreaField(
        _l("Pupils' names"),
        validators=[DataRequired(), Length(max=MAX_PASTED_NAMES)],
        description=_l("One pupil per line: first name, then last name or initial (at most %(count)d letters "
                       "for the first name). You can paste a list.", count=MAX_FIRST_NAME),
    )


class ImportCsvForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["csv", "txt"], _l("The file must be a .csv file."))
    ], description=_l("A first line with the column names: “first name” (required), “last name” and "
                      "“birth year” (optional). Save it from your spreadsheet as “CSV UTF-8”."))


class ChosenCardsForm(FlaskForm):
    pupils = IdsField()


class ArchiveClassForm(FlaskForm):
    confirm = BooleanField(_l("I understand: pupils will no longer be able to sign in; the register is kept."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


class TabletLabelForm(FlaskForm):
    label = StringField(_l("Name of this tablet"), validators=[DataRequired(), Length(max=60)],
                        description=_l("For example “Tablet 3” — it helps you recognise it in the list."))
