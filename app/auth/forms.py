"""Forms for adults signing in, resetting a password and accepting an invitation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import email_field, new_password_fields


class SignInForm(FlaskForm):
    email = email_field(_l("E-mail address"))
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this computer"))


class ForgotPasswordForm(FlaskForm):
    email = email_field(_l("E-mail address"))


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password, confirm = new_password_fields()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password, confirm = new_password_fields()
