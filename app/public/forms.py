"""Forms of the public pages: a school applying to join the federation, the language switch."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from app.forms import email_field, new_password_fields

COMMON_TIMEZONES = (
    "Europe/Paris", "Europe/Brussels", "Europe/Zurich", "Europe/Luxembourg", "Europe/London",
    "America/Montreal", "Indian/Reunion", "America/Martinique", "America/Guadeloupe", "Pacific/Noumea",
    "America/Cayenne", "Indian/Mayotte", "Africa/Dakar",
)


class ApplySchoolForm(FlaskForm):
    school_name = StringField(_l("School name"), validators=[DataRequired(), Length(max=120)])
    city = StringField(_l("Town or city"), validators=[DataRequired(), Length(max=120)])
    timezone = SelectField(
        _l("Time zone"), choices=[(zone, zone) for zone in COMMON_TIMEZONES if zone in available_timezones()]
    )
    head_name = StringField(_l("Your name (school head)"), validators=[DataRequired(), Length(max=120)])
    email = email_field(_l("Your e-mail address"))
    password, confirm = new_password_fields()


class LanguageForm(FlaskForm):
    language = HiddenField(validators=[AnyOf(("fr", "en"))])
    next = HiddenField()
