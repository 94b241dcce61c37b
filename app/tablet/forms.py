"""Forms of the shared class tablet."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.domain.pictures import CODE_LENGTH, CODE_PICTURES
from app.forms import WholeNumberField


class PictureCodeForm(FlaskForm):
    """One tap on the picture grid: the pictures tapped so far travel with the form, never in the session."""

    # \Z, not $: a $ would let "123\n" through, and a newline is no picture (nor is a space: no Optional()).
    picks = HiddenField(validators=[Regexp(rf"[0-{len(CODE_PICTURES) - 1}]{{0,{CODE_LENGTH - 1}}}\Z")])
    pick = WholeNumberField(validators=[Optional(), NumberRange(-1, len(CODE_PICTURES) - 1)])


class PairTabletForm(FlaskForm):
    label = StringField(_l("Name of this tablet"), validators=[DataRequired(), Length(max=60)],
                        description=_l("For example “Tablet 3” — it helps you recognise it in the list."))
