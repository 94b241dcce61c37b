"""Words for the council's sections and roles, shared by every assemblies template."""

from flask_babel import lazy_gettext as _l

from app.polls.presenting import tally_lines
from app.register.presenting import METHOD_LABELS

SECTION_LABELS = {
    "follow_up": _l("Follow-up of earlier decisions"),
    "news": _l("News: “What's new?”"),
    "congratulations": _l("Congratulations"),
    "criticisms": _l("Criticisms"),
    "wishes": _l("Wishes"),
    "proposals": _l("Proposals"),
    "elections": _l("Elections"),
    "treasury": _l("Treasurer's report"),
    "closing": _l("Closing: the secretary re-reads the decisions"),
    "free": _l("Other item"),
}
SECTION_PICTOS = {"follow_up": "🔁", "news": "📰", "congratulations": "👏", "criticisms": "😟", "wishes": "🌟",
                  "proposals": "💡", "elections": "🗳️", "treasury": "💰", "closing": "📜", "free": "📌"}
ROLE_LABELS = {
    "chair": _l("Chair"),
    "secretary": _l("Secretary"),
    "timekeeper": _l("Timekeeper"),
    "speaker_giver": _l("Speaker-giver"),
    "treasurer": _l("Treasurer"),
    "teller": _l("Teller"),
}
SIGNATORY_LABELS = {"chair": _l("Chair"), "secretary": _l("Secretary"), "educator": _l("Educator")}
POLL_METHODS = {"motion": "secret_ballot", "election": "election", "show_of_hands": "show_of_hands",
                "consensus": "consensus"}
STATUS_LABELS = {"planned": _l("Planned"), "in_session": _l("In session"), "closed": _l("Closed")}


def poll_method(poll) -> str:
    return str(METHOD_LABELS[POLL_METHODS[poll.kind]])


def result_figures(poll, result: dict) -> list[tuple[str, str]]:
    """An announced result's counts in words, as the tellers read them: For 4 · Against 2 · Abstain 1 · Blank vote 0."""
    aggregates = result.get("aggregates")
    return tally_lines(poll, aggregates) if aggregates else []


def presenting() -> dict:
    return {"section_labels": SECTION_LABELS, "section_pictos": SECTION_PICTOS, "role_labels": ROLE_LABELS,
            "assembly_status_labels": STATUS_LABELS, "signatory_labels": SIGNATORY_LABELS,
            "method_labels": METHOD_LABELS, "poll_method": poll_method, "result_figures": result_figures}
