"""Forms of the message box: what pupils write, and the educator's moderation."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Regexp

from app.domain.assemblies import MAX_TEXT
from app.forms import chosen_id

TEXT_HINT = _l("At most %(count)d letters and signs: two or three short sentences.", count=MAX_TEXT)


class SubmittedOnceForm(FlaskForm):
    """A pupil's form names its submission: sent again after a lost answer, it is stored once."""

    submission = HiddenField(default=lambda: secrets.token_urlsafe(16),
                             validators=[Regexp(r"\A[A-Za-z0-9_-]{16,43}\Z")])

    def submission_key(self) -> str | None:
        return self.submission.data if self.submission.validate(self) else None


class MessageForm(SubmittedOnceForm):
    """The text is checked by the council's rules (app/domain/assemblies.py), which explain every refusal."""

    text = TextAreaField(_l("Your message"), description=TEXT_HINT, render_kw={"maxlength": MAX_TEXT, "rows": 4})


class AmendmentForm(SubmittedOnceForm):
    text = TextAreaField(_l("Your change to the proposal"), description=TEXT_HINT,
                         render_kw={"maxlength": MAX_TEXT, "rows": 4})


class RewriteForm(FlaskForm):
    text = TextAreaField(_l("New text, written with its author"), description=TEXT_HINT,
                         render_kw={"maxlength": MAX_TEXT, "rows": 3})


class DeclineForm(FlaskForm):
    reason = StringField(_l("Reason the author will read"), render_kw={"maxlength": MAX_TEXT},
                         description=_l("Kind and clear, for example “Say it to Hugo face to face first.”"))


class MergeForm(FlaskForm):
    into = SelectField(_l("Same idea as"), coerce=chosen_id)
