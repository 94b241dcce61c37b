"""Sentences and statuses for what the council's rules refuse (message box, assemblies, queue, minutes)."""

from typing import NoReturn

from flask_babel import gettext as _

from app.domain.assemblies import MAX_MINUTES_TEXT, MAX_TEXT, RuleBroken
from app.errors import abort_with

BAD_INPUT = {"empty_text", "text_too_long", "html_in_text", "not_a_member", "cannot_merge", "bad_vote_form"}
NOT_FOUND = {"unknown_kind", "not_a_proposal", "not_in_this_vote", "not_a_question_item", "not_an_election_item"}


def _sentences() -> dict[str, str]:
    return {
        "empty_text": _("Write a few words first: the text is empty."),
        "text_too_long": _("This text is too long: at most %(count)d characters for a message, %(long)d for the "
                           "minutes. Make it shorter.", count=MAX_TEXT, long=MAX_MINUTES_TEXT),
        "html_in_text": _("Write plain words only: signs like < > and codes like &amp; are not allowed."),
        "unknown_kind": _("This column does not exist in the message box."),
        "amendments_closed": _("You can change a proposal only while it is on the agenda, before its vote."),
        "not_pending": _("This message was already moderated: nothing was changed."),
        "already_moderated": _("This message was already declined or merged: nothing was changed."),
        "already_treated": _("This message was already read in an assembly: it can no longer be changed."),
        "on_an_agenda": _("This message is on an agenda: remove it from the agenda first."),
        "cannot_merge": _("Choose another message of the same column to merge with."),
        "not_supportable": _("You can support only a proposal that is approved and not yet voted on."),
        "already_supported": _("You already support this proposal. One support each!"),
        "agenda_frozen": _("The assembly has started: its agenda can no longer be changed."),
        "not_waiting": _("This message is not waiting for an agenda: it is not approved or already on one."),
        "assembly_closed": _("This assembly is closed: nothing can be changed any more."),
        "not_a_member": _("Choose pupils of this class only."),
        "another_in_session": _("Another assembly of this class is in session. Close it first."),
        "cannot_in_session": _("Only a planned assembly can be opened: this one is already in session or closed."),
        "cannot_closed": _("Only an assembly in session can be closed."),
        "not_in_session": _("The assembly is not in session: nothing was changed."),
        "cannot_move": _("This item cannot move further."),
        "follow_up_first": _("The follow-up of earlier decisions always comes first."),
        "no_more_items": _("This is the last item. Close the assembly when you are done."),
        "no_previous_item": _("This is already the first item."),
        "already_asked": _("You are already in the queue. Wait for your turn!"),
        "not_in_queue": _("You are not in the queue."),
        "queue_empty": _("Nobody is waiting to speak."),
        "minutes_frozen": _("These minutes are validated and frozen: they can no longer be changed."),
        "not_started": _("The assembly has not started yet: there is nothing to write in the minutes."),
        "close_first": _("Close the assembly before validating its minutes."),
        "vote_started": _("The class is already voting on this proposal: it can no longer be changed."),
        "put_to_vote": _("This message was put to the vote: it can no longer be rewritten, declined or merged."),
        "amendment_too_late": _("This proposal is already put to the vote, so this amendment comes too late. "
                                "Decline it with a reason for its author."),
        "bad_vote_form": _("Choose an adoption rule from the list, and a quorum between 1 and 100 (or none)."),
        "not_a_proposal": _("Only a proposal of the agenda can be put to the vote from here."),
        "not_in_this_vote": _("This is not one of the votes on this proposal. Reload the page and try again."),
        "already_put_to_vote": _("This was already put to the vote: nothing was changed. Follow its vote from the "
                                 "agenda."),
        "vote_in_progress": _("A vote on this proposal is not finished yet: announce its result first."),
        "amendments_first": _("Vote on the amendments first, one after another: the button shows the next vote."),
        "item_not_running": _("The assembly has moved on: this item is no longer the one running. Nothing was "
                              "changed. Look at the current item and try again."),
        "item_vote_in_progress": _("A vote on this item is not finished yet: announce its result, or cancel it, "
                                   "before putting another question."),
        "not_a_question_item": _("This item has its own vote: use the button shown for it."),
        "not_an_election_item": _("An election is held from the “Elections” item of the agenda."),
    }


def status_of(error: RuleBroken) -> int:
    if error.code in BAD_INPUT:
        return 422
    return 404 if error.code in NOT_FOUND else 409


def sentence(error: RuleBroken) -> str:
    return _sentences()[error.code]


def refuse(error: RuleBroken) -> NoReturn:
    """Stops the request with the status and the sentence for this refusal; the error handler rolls back."""
    abort_with(status_of(error), sentence(error))
