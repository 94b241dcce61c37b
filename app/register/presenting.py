"""How a decision's figures read on its page: the vote's counts under translated names, in a fixed order."""

from flask_babel import lazy_gettext as _l

FIGURE_LABELS = {
    "eligible": _l("Members"), "participants": _l("Took part"), "ballots": _l("Ballots"),
    "for": _l("For"), "against": _l("Against"), "abstain": _l("Abstain"), "blank": _l("Blank votes"),
}


def readable_figures(figures: dict) -> list[tuple[str, int]]:
    """(label, number) pairs: the known counts first in their usual order, then the candidates' own figures."""
    numbers = {key: value for key, value in figures.items() if isinstance(value, int) and not isinstance(value, bool)}
    known = [(str(label), numbers[key]) for key, label in FIGURE_LABELS.items() if key in numbers]
    return known + [(key, value) for key, value in numbers.items() if key not in FIGURE_LABELS]
