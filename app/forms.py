"""Form pieces shared by several blueprints."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

MIN_PASSWORD = 10


def strip_text(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def email_field(label) -> EmailField:
    """An e-mail address field that forgives the spaces a paste brings along."""
    return EmailField(label, validators=[DataRequired(), Email(), Length(max=254)], filters=[strip_text])


def new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
        description=_l("At least %(count)d characters.", count=MIN_PASSWORD),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords are different."))],
    )
    return password, confirm


class ButtonForm(FlaskForm):
    """A form with no field: a button that changes something, protected by its CSRF token."""

