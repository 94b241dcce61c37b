"""A counted result told in one plain sentence, with the figures and bars for a chart."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from app.models import Poll

GRADE_PICTOS = ("🤩", "😀", "🙂", "😐", "🙁", "🚫")


def grade_names() -> list[str]:
    """The six grades of majority judgment, best first, each written out so that it reaches the catalogue."""
    return [_("Excellent"), _("Very good"), _("Good"), _("Fair"), _("Poor"), _("Reject")]


@dataclass
class Presentation:
    sentence: str
    rule: str
    bars: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def top(self) -> int:
        return max([value for _label, value in self.bars] or [1]) or 1


def rule_sentence(poll: Poll) -> str:
    sentences = {
        "simple": _("Adopted when there are more For than Against; abstentions do not count; a tie rejects."),
        "absolute": _("Adopted when more than half of all members vote For."),
        "two_thirds": _("Adopted when at least two thirds of the votes expressed are For."),
        "plurality": _("The candidates with the most votes are elected."),
        "two_round": _("Elected in the first round with more than half of the votes; otherwise the first two meet "
                       "in a second round."),
        "approval": _("Each pupil ticks every candidate they accept; the most ticked are elected."),
        "majority_judgment": _("Each pupil grades every candidate; the best median grade wins."),
        "schulze": _("Each pupil ranks the candidates; the one who beats every other in duels wins (Schulze)."),
    }
    return sentences[poll.rule]


def _names(poll: Poll, keys) -> str:
    labels = {option.key: option.label for option in poll.options}
    return ", ".join(labels.get(str(key), "?") for key in keys)


def _motion(poll: Poll, result: dict) -> Presentation:
    outcome, counts = result["outcome"], result.get("aggregates", {})
    if outcome["reason"] == "consensus":
        return Presentation(_("Adopted by consensus."), _("The class agreed without a vote."))
    sentences = {
        "adopted": _("Adopted."),
        "rejected": _("Rejected."),
        "tie": _("Rejected: as many For as Against."),
        "no_quorum": _("Not decided: too few members took part (quorum not reached)."),
        "no_votes": _("Rejected: nobody voted For or Against."),
    }
    bars = [(_("For"), counts.get("for", 0)), (_("Against"), counts.get("against", 0)),
            (_("Abstain"), counts.get("abstain", 0))]
    notes = [_("%(needed)d For votes were needed.", needed=outcome["votes_needed"])]
    if outcome.get("quorum_required") is not None:
        notes.append(_("Quorum: %(required)d members had to take part; %(took)d did.",
                       required=outcome["quorum_required"], took=outcome["participants"]))
    return Presentation(sentences[outcome["reason"]], rule_sentence(poll), bars, notes)


def _election_bars(poll: Poll, aggregates: dict) -> list[tuple[str, int]]:
    scores = aggregates.get("counts") or aggregates.get("approvals")
    if scores is None:
        return []
    return sorted(((option.label, scores.get(option.key, 0)) for option in poll.options), key=lambda bar: -bar[1])


def _election(poll: Poll, result: dict) -> Presentation:
    outcome = result["outcome"]
    elected = outcome.get("elected")
    elected = [elected] if isinstance(elected, str) else (elected or [])
    if elected:
        sentence = ngettext("Elected: %(names)s", "Elected: %(names)s", len(elected), names=_names(poll, elected))
    elif outcome.get("finalists"):
        sentence = _("No majority: second round between %(names)s.",
                     names=_names(poll, list(outcome["finalists"]) + list(outcome.get("tied_for_finalist", []))))
    else:
        sentence = _("Tie: nobody is elected yet.")
    notes = []
    tied = outcome.get("tied_for_last_seat") or outcome.get("tied") or []
    if tied and elected and outcome.get("tie_break") not in (None, "none"):
        notes.append(_("There was a tie, settled by the rule declared before the vote."))
    elif tied:
        notes.append(_("Tied: %(names)s. The class decides how to settle it.", names=_names(poll, tied)))
    if outcome.get("majority_grades"):
        notes.append(_majority_grades(poll, outcome["majority_grades"]))
    return Presentation(sentence, rule_sentence(poll), _election_bars(poll, result["aggregates"]), notes)


def _majority_grades(poll: Poll, grades_by_key: dict) -> str:
    """Each candidate's majority grade, best first: what decided a majority judgment."""
    names = grade_names()
    graded = sorted((grade, option.label) for option in poll.options
                     if (grade := grades_by_key.get(option.key)) is not None)
    return _("Majority grades: %(grades)s", grades=" · ".join(
        _("%(label)s: %(number)s", label=label, number=names[grade]) for grade, label in graded))


def tally_lines(poll: Poll, running: dict) -> list[tuple[str, str]]:
    """A running tally in words, as the tellers read it aloud at each ballot of the counting ceremony."""
    if poll.kind != "election":
        counts = [(_("For"), "for"), (_("Against"), "against"), (_("Abstain"), "abstain"), (_("Blank vote"), "blank")]
        return [(label, str(running.get(key, 0))) for label, key in counts]
    if "histograms" in running:
        grades = grade_names()
        lines = [(option.label, " · ".join(f"{grades[grade]} {count}" for grade, count
                                           in enumerate(running["histograms"].get(option.key, [])) if count) or "—")
                 for option in poll.options]
    else:
        lines = [(label, str(score)) for label, score in _election_bars(poll, running)]
    return [*lines, (_("Blank vote"), str(running.get("blank", 0)))]


def present(poll: Poll, result: dict) -> Presentation:
    return _motion(poll, result) if poll.kind != "election" else _election(poll, result)
