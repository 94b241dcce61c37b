"""Forms of the federation's pages: a member of the team shown on the public home page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import strip_text
from app.models.team import MAX_BIO, MAX_NAME, MAX_ROLE


class TeamMemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME)], filters=[strip_text],
                       render_kw={"maxlength": MAX_NAME})
    role = StringField(_l("Role or title"), validators=[DataRequired(), Length(max=MAX_ROLE)], filters=[strip_text],
                       description=_l("For example “President” or “Teacher trainer”."),
                       render_kw={"maxlength": MAX_ROLE})
    bio = TextAreaField(_l("Short presentation"), validators=[Length(max=MAX_BIO)], filters=[strip_text],
                        description=_l("Two or three sentences, at most %(count)d characters. Optional.",
                                       count=MAX_BIO),
                        render_kw={"maxlength": MAX_BIO, "rows": 3})
