"""How a decision reads on its page and in the CSV export: how it was decided, its status and its figures under
translated names."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import Decision
from app.polls.forms import ELECTION_METHOD_CHOICES, MOTION_RULE_CHOICES
from app.services import register

METHOD_LABELS = {"secret_ballot": _l("Secret ballot"), "show_of_hands": _l("Show of hands"),
                 "consensus": _l("Consensus"), "election": _l("Election")}
STATUS_LABELS = {"to_do": _l("To do"), "in_progress": _l("In progress"), "done": _l("Done"), "dropped": _l("Dropped")}
RULE_LABELS = dict(MOTION_RULE_CHOICES + ELECTION_METHOD_CHOICES)
FIGURE_LABELS = {
    "eligible": _l("Members"), "participants": _l("Took part"), "ballots": _l("Ballots"),
    "for": _l("For"), "against": _l("Against"), "abstain": _l("Abstain"), "blank": _l("Blank votes"),
}


def label_of(labels: dict, code: str) -> str:
    """The code's name in the reader's language; a code without one is shown as it is rather than lost."""
    return str(labels.get(code, code))


def readable_figures(figures: dict) -> list[tuple[str, int]]:
    """(label, number) pairs: the known counts first in their usual order, then the candidates' own figures."""
    numbers = {key: value for key, value in figures.items() if isinstance(value, int) and not isinstance(value, bool)}
    known = [(str(label), numbers[key]) for key, label in FIGURE_LABELS.items() if key in numbers]
    return known + [(key, value) for key, value in numbers.items() if key not in FIGURE_LABELS]


def figures_line(figures: dict) -> str:
    """The figures on one line, as the decision's page shows them: "For: 4 · Against: 2"."""
    return " · ".join(_("%(label)s: %(number)d", label=name, number=number)
                      for name, number in readable_figures(figures))


def _readable(fields: dict, kind: str, names: dict[int, str]) -> dict:
    """An entry's fields as its history line shows them: pupils by name, the due date as a day. A decision entry
    that named nobody and set no date says nothing of them; a correction that cleared them says so."""
    shown = dict(fields)
    if "responsible" in shown:
        shown["responsible"] = [names.get(pupil_id, _("a pupil who has left")) for pupil_id in shown["responsible"]]
    if shown.get("due_on"):
        shown["due_on"] = date.fromisoformat(shown["due_on"])
    if kind == "decision":
        shown = {name: value for name, value in shown.items() if name not in ("responsible", "due_on") or value}
    return shown


def history_of(decision: Decision) -> list[tuple]:
    """(entry, fields as shown) for each register entry of the decision, oldest first."""
    names = {pupil.id: pupil.display_name for pupil in decision.cooperative.pupils}
    return [(entry, _readable(register.entry_fields(entry), entry.kind, names)) for entry in decision.entries]
