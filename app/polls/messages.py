"""Sentences for refused poll actions, in the user's language."""

from flask_babel import gettext as _


def poll_error_message(code: str) -> str:
    messages = {
        "not_a_draft": _("This poll is already open or finished: its question and voters are frozen."),
        "too_few_voters": _("A secret ballot needs at least 5 pupils who can vote: add pupils to the class first."),
        "too_few_candidates": _("Choose at least two candidates, and more candidates than seats."),
        "not_open": _("This poll is not open: nothing was changed."),
        "already_closed": _("This poll is already closed."),
        "counts_differ": _("The number of ballots does not match the number of voters. Nothing was changed; "
                           "ask for help before counting."),
        "not_closed": _("The ballot box must be closed before it is counted."),
        "not_counted": _("The result must be counted before it is published."),
        "cards_needed": _("Two key cards are needed to open this ballot box."),
        "no_second_round": _("This poll does not need a second round."),
        "not_a_motion": _("Only a motion can be decided by show of hands or by consensus."),
        "too_many_hands": _("There are more hands than members of the class. Check the counts."),
        "unknown_poll": _("This poll does not exist."),
        "not_eligible": _("You are not on the list of voters for this poll."),
        "key_store_unavailable": _("The server cannot reach the key store that keeps this ballot box's key. Nothing "
                                   "was changed: ask the person who runs Agora to check it, then try again."),
        "key_destroyed": _("This ballot box's key no longer exists, so it can never be opened. Cancel this poll and "
                           "vote again."),
    }
    return messages[code]
