"""Sentences, statuses and fields for what the register refuses: each says what to do next."""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_number
from flask_babel import gettext as _

from app import dates
from app.domain.decisions import MAX_REASON, MAX_TEXT, latest_due_date
from app.services.register import RegisterError

STALE = {"changed_meanwhile", "already_saved"}  # 409: the decision is no longer as the form showed it


@dataclass(frozen=True)
class Refusal:
    status: int
    field: str | None  # the form field the sentence goes under; None: the whole form
    sentence: str


def _sentences(error: RegisterError, decided_on: date) -> dict[str, tuple[str | None, str]]:
    name = error.pupil.display_name if error.pupil is not None else ""
    return {
        "empty_text": ("text", _("Write the decision: the wording is empty.")),
        "text_too_long": ("text", _("The wording is too long: at most %(count)s characters. Make it shorter.",
                                    count=format_number(MAX_TEXT))),
        "reason_too_long": ("reason", _("Say why in at most %(count)d characters.", count=MAX_REASON)),
        "due_before_decision": ("due_on", _("This day is before the decision was taken (%(day)s): choose a later "
                                            "day, or none.", day=dates.day(decided_on))),
        "due_too_far": ("due_on", _("Choose a day by %(day)s at the latest: five years after the decision.",
                                    day=dates.day(latest_due_date(decided_on)))),
        "not_a_member": ("responsible", _("A responsible pupil must be a member of the class.")),
        "departed": ("responsible", _("%(name)s has left the class: untick this name, or choose a pupil who is "
                                      "still in the class.", name=name)),
        "nothing_changed": ("text", _("Nothing is changed: change the wording, the pupils or the date, then save.")),
        "changed_meanwhile": (None, _("This decision was changed meanwhile, in another tab or by someone else: the "
                                      "page now shows it as it is. Check your change, then save it again if it is "
                                      "still needed.")),
        "already_saved": (None, _("This change is already in the register: it was sent twice and is kept once.")),
    }


def refusal_of(error: RegisterError, decided_on: date) -> Refusal:
    field, sentence = _sentences(error, decided_on).get(error.code, (None, _("This change cannot be saved.")))
    return Refusal(409 if error.code in STALE else 422, field, sentence)
