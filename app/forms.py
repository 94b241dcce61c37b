"""Form pieces shared by several blueprints."""

from contextlib import suppress

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, Field, FieldList, IntegerField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app import request_values
from app.request_values import BadValue

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


class ParsedField:
    """A field whose text app.request_values reads: a BadValue becomes the field's error, said in a sentence."""

    def parse(self, text: str):
        raise NotImplementedError

    def refusal(self, code: str) -> str:
        raise NotImplementedError

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = self.parse(valuelist[0])
        except BadValue as error:
            self.data = None
            raise ValueError(self.refusal(error.code)) from error


class WholeNumberField(ParsedField, IntegerField):
    """An integer typed or chosen in a form: ASCII digits only, never thousands of them (NumberRange bounds it)."""

    def parse(self, text: str) -> int:
        return request_values.parse_int(text, -request_values.LARGEST, request_values.LARGEST)

    def refusal(self, code: str) -> str:
        return _("Write a whole number, with the digits 0 to 9 only.")


class IdField(ParsedField, IntegerField):
    """The id of a row the page showed, carried by a hidden field or a button."""

    def parse(self, text: str) -> int:
        return request_values.parse_id(text)

    def refusal(self, code: str) -> str:
        return _("This choice no longer exists. Reload the page and try again.")


class IdsField(Field):
    """The ids of rows the page showed, ticked in checkboxes of one name: each read as IdField reads one."""

    def process_data(self, value):
        self.data = sorted(set(value or ()))

    def process_formdata(self, valuelist):
        try:
            self.data = sorted({request_values.parse_id(text) for text in valuelist})
        except BadValue as error:
            self.data = []
            raise ValueError(_("This choice no longer exists. Reload the page and try again.")) from error


class DayField(ParsedField, DateField):
    """A day from a date field: YYYY-MM-DD between 2000 and 2200, as browsers send it."""

    def parse(self, text: str):
        return request_values.parse_day(text)

    def refusal(self, code: str) -> str:
        if code == "out_of_range":
            return _("Choose a day between the years %(first)d and %(last)d.", first=request_values.FIRST_DAY.year,
                     last=request_values.LAST_DAY.year)
        return _("Choose a day in the calendar, written like 2027-01-12.")


class RowsField(FieldList):
    """A list of alike fields named name-0, name-1…: a row number is ASCII digits (WTForms' own test, isdigit(),
    takes "name-²" for a row, which int() then refuses)."""

    def _extract_indices(self, prefix, formdata):
        for key in formdata:
            if key.startswith(f"{prefix}{self._separator}"):
                number = key[len(prefix) + 1:].split(self._field_separator, 1)[0]
                with suppress(BadValue):
                    yield request_values.parse_int(number, 0, request_values.MAX_ID)


def chosen_id(value) -> int:
    """The coerce of a select or checkboxes of ids: 0 (“nobody”) up to the largest id, in ASCII digits.

    A BadValue is a ValueError, which WTForms reports as a choice it could not read."""
    if isinstance(value, int):
        return value
    return request_values.parse_int(value, 0, request_values.MAX_ID)
