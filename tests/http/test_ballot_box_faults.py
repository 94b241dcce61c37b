"""The ballot box when things go wrong over HTTP: a key store away, a double click, lost cards, a late cast."""

import os
import re
import stat
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from app import ballot_keys, ballot_scrub
from app.domain import trackers
from app.extensions import db
from app.models import AuditEvent, Ballot, Participation, Poll
from app.services import polls
from tests.http.test_polls import open_motion, vote

CHOICES = ("for", "against", "abstain", "for")
STORE_AWAY = "cannot reach the key store"
KEY_GONE = "key no longer exists"
ALREADY_CLOSED = "This poll is already closed."
NOT_OPEN = "This poll is not open: nothing was changed."


@pytest.fixture(params=["files", "redis"])
def store(request, app, monkeypatch):
    """The key store the app counts with: the test config's folder, or Redis at REDIS_URL when it is set."""
    if request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("needs Redis (REDIS_URL)")
        monkeypatch.setitem(app.config, "BALLOT_KEY_STORE", os.environ["REDIS_URL"])
        monkeypatch.setitem(app.extensions, "ballot_keys", ballot_keys.key_store_at(app.config["BALLOT_KEY_STORE"]))
    store = ballot_keys.current_key_store()
    yield store
    db.session.rollback()
    for name in db.session.scalars(select(Poll.key_name).where(Poll.key_name.is_not(None))):
        store.destroy(name)
        store.destroy(ballot_keys.recount_name(name))


@contextmanager
def key_store_fault(store, fault: str, name: str):
    """Until the block ends, the key store does not answer ("away") or the poll's key is gone ("gone")."""
    if fault == "gone":
        saved = store.get(name)
        store.destroy(name)
        try:
            yield
        finally:
            store.put(name, saved)
        return

    def away(_name: str) -> bytes:
        raise ballot_keys.KeyStoreError("the ballot key store does not answer")

    store.get = away
    try:
        yield
    finally:
        del store.get


def card_codes(response) -> list[str]:
    return re.findall(r'class="key-code">([0-9A-Z-]+)<', response.get_data(as_text=True))


def voted_poll(educator, tablet, world, custody: str = "server", choices=CHOICES) -> tuple[Poll, list[str]]:
    """An open poll the first pupils voted in; its key cards in ceremony custody."""
    poll, opened = open_motion(educator, world, custody=custody)
    for pupil, choice in zip(world.pupils, choices, strict=False):
        assert vote(tablet, pupil, poll, choice=choice).status_code == 302
    return poll, card_codes(opened)


def count(educator, poll: Poll, codes: list[str]):
    """The educator's count: the close does it in server custody, the count form with two cards otherwise."""
    if poll.custody == "server":
        return close(educator, poll)
    return educator.client.post(f"/polls/{poll.id}/count", data={"card_a": codes[0], "card_b": codes[2]})


def close(educator, poll: Poll):
    return educator.client.post(f"/polls/{poll.id}/close")


def box_of(poll: Poll) -> dict:
    """Everything a close, count or cancel changes, read afresh."""
    db.session.refresh(poll)
    return {"status": poll.status, "result": poll.result, "trackers": poll.trackers,
            "wrapped": (poll.wrapped_private_key, poll.key_cards_wrapped),
            "ballots": sorted(column_of(poll, Ballot.sealed)),
            "voters": sorted(column_of(poll, Participation.pupil_id)),
            "events": column_of(poll, AuditEvent.action, AuditEvent.id)}


def column_of(poll: Poll, column, order=None) -> list:
    table = column.class_
    return list(db.session.scalars(select(column).where(table.poll_id == poll.id).order_by(order)))


def key_names(poll: Poll) -> tuple[str, str]:
    return poll.key_name, ballot_keys.recount_name(poll.key_name)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("custody", ["server", "ceremony"])
@pytest.mark.parametrize(("fault", "sentence"), [("away", STORE_AWAY), ("gone", KEY_GONE)])
def test_a_count_without_the_poll_key_tells_the_educator_and_changes_nothing(world, educator, tablet, store,
                                                                             custody, fault, sentence):
    poll, codes = voted_poll(educator, tablet, world, custody)
    if custody == "ceremony":
        assert close(educator, poll).status_code == 302
    before = box_of(poll)
    with key_store_fault(store, fault, poll.key_name):
        refused = count(educator, poll, codes)
    assert refused.status_code == 409 and sentence in page(refused)
    assert box_of(poll) == before and before["status"] == ("open" if custody == "server" else "closed")
    assert ballot_keys.recount_name(poll.key_name) not in store.names(), "no recount key made for a failed count"
    assert before["result"] is None and len(before["ballots"]) == len(before["voters"]) == len(CHOICES)
    assert count(educator, poll, codes).status_code == 302, "the count works once the key store is back"
    assert box_of(poll)["status"] == "counted"
    assert polls.result_of(poll)["participants"] == len(CHOICES)


@pytest.mark.parametrize("custody", ["server", "ceremony"])
def test_a_double_clicked_close_answers_already_closed_and_counts_once(world, educator, tablet, custody):
    poll, _codes = voted_poll(educator, tablet, world, custody)
    assert close(educator, poll).status_code == 302
    after_first = box_of(poll)
    second = close(educator, poll)
    assert second.status_code == 409 and ALREADY_CLOSED in page(second)
    assert box_of(poll) == after_first
    assert after_first["events"] == (["opened", "closed", "counted"] if custody == "server" else ["opened", "closed"])


def test_a_double_clicked_count_with_key_cards_counts_once(world, educator, tablet):
    poll, codes = voted_poll(educator, tablet, world, "ceremony")
    assert close(educator, poll).status_code == 302
    assert count(educator, poll, codes).status_code == 302
    counted = box_of(poll)
    assert count(educator, poll, codes).status_code == 409
    assert box_of(poll) == counted and counted["events"].count("counted") == 1


def test_the_count_destroys_the_poll_key_and_keeps_the_recount_key(world, educator, tablet, store):
    poll, _codes = voted_poll(educator, tablet, world)
    kek, recount = key_names(poll)
    assert kek in store.names() and recount not in store.names()
    assert close(educator, poll).status_code == 302
    assert kek not in store.names() and recount in store.names()
    with pytest.raises(ballot_keys.KeyMissing):
        store.get(kek)
    assert educator.client.get(f"/polls/{poll.id}/ceremony/1").status_code == 200, "the recount key still opens"


def test_key_files_are_private_while_they_exist(world, educator, tablet, app):
    folder = Path(app.config["BALLOT_KEY_STORE"])
    poll, _codes = voted_poll(educator, tablet, world)
    kek, recount = (folder / f"{name}.key" for name in key_names(poll))
    assert mode(folder) == 0o700 and mode(kek) == 0o600 and not recount.exists()
    assert close(educator, poll).status_code == 302
    assert not kek.exists() and mode(recount) == 0o600 and mode(folder) == 0o700
    assert not list(folder.glob(f".{poll.key_name}*")), "no temporary copy of a key is left behind"


def test_cancelling_an_open_poll_destroys_its_ballots_and_keys(world, educator, tablet, store):
    poll, _codes = voted_poll(educator, tablet, world, choices=CHOICES[:3])
    assert educator.client.post(f"/polls/{poll.id}/cancel").status_code == 302
    box = box_of(poll)
    assert box["status"] == "cancelled" and box["ballots"] == [] and box["result"] is None
    assert box["wrapped"] == (None, None) and not set(key_names(poll)) & store.names()


def test_a_closed_poll_whose_key_cards_are_lost_can_be_cancelled(world, educator, tablet, store):
    poll, codes = voted_poll(educator, tablet, world, "ceremony")
    assert close(educator, poll).status_code == 302
    assert educator.client.post(f"/polls/{poll.id}/cancel").status_code == 302
    box = box_of(poll)
    assert box["status"] == "cancelled" and box["ballots"] == [] and box["result"] is None
    assert box["wrapped"] == (None, None) and not set(key_names(poll)) & store.names()
    found_again = count(educator, poll, codes)
    assert found_again.status_code == 409 and box_of(poll) == box, "cards found later open nothing"


def ceremony_ballots(educator, poll: Poll, total: int) -> tuple[list[str], str]:
    """Each revealed ballot's words, and the last step's page."""
    revealed = []
    for step in range(1, total + 1):
        shown = page(educator.client.get(f"/polls/{poll.id}/ceremony/{step}"))
        revealed.append(re.search(r'class="ceremony-ballot">\s*(\w+)', shown).group(1).lower())
    return revealed, shown


def test_the_counting_ceremony_of_a_key_card_poll_matches_its_result(world, educator, tablet):
    poll, codes = voted_poll(educator, tablet, world, "ceremony")
    assert close(educator, poll).status_code == 302
    assert count(educator, poll, codes).status_code == 302 and box_of(poll)["status"] == "counted"
    revealed, last = ceremony_ballots(educator, poll, len(CHOICES))
    assert Counter(revealed) == Counter(CHOICES)
    assert "matches the computed result" in last
    aggregates = polls.result_of(poll)["aggregates"]
    assert {choice: aggregates[choice] for choice in revealed} == Counter(CHOICES)
    assert educator.client.get(f"/polls/{poll.id}/ceremony/{len(CHOICES) + 1}").status_code == 404


def published_trackers(tablet, world, poll: Poll) -> list[str]:
    tablet.sign_in_pupil(world.pupils[-1])
    shown = page(tablet.client.get(f"/tablet/vote/{poll.id}/result"))
    return re.findall(r"<li>([^<]+)</li>", shown.split('class="trackers"', 1)[1].split("</ul>", 1)[0])


def test_the_tracker_each_pupil_saw_is_in_the_published_list(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    seen = []
    for pupil, choice in zip(world.pupils, CHOICES, strict=False):
        vote(tablet, pupil, poll, choice=choice)
        seen.append(re.search(r'class="tracker">([^<]+)<', page(tablet.client.get("/tablet/vote/voted"))).group(1))
    assert close(educator, poll).status_code == 302
    assert educator.client.post(f"/polls/{poll.id}/publish").status_code == 302
    assert sorted(seen) == sorted(published_trackers(tablet, world, poll))
    db.session.refresh(poll)
    assert sorted(seen) == sorted(trackers.tracker_words(tracker) for tracker in polls.tracker_list(poll))


def test_a_cast_from_a_booth_loaded_before_the_close_is_refused(world, educator, tablet):
    poll, _codes = voted_poll(educator, tablet, world, choices=CHOICES[:2])
    late = world.pupils[-1]
    tablet.sign_in_pupil(late)
    assert tablet.client.get(f"/tablet/vote/{poll.id}").status_code == 200
    assert tablet.client.post(f"/tablet/vote/{poll.id}/confirm", data={"choice": "for"}).status_code == 200
    assert close(educator, poll).status_code == 302
    counted = box_of(poll)
    refused = tablet.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "for"})
    assert refused.status_code == 409 and NOT_OPEN in page(refused)
    assert box_of(poll) == counted and late.id not in counted["voters"] and len(counted["ballots"]) == 2


def test_flask_ballots_scrub_finishes_what_a_crash_left_pending(world, educator, tablet, runner, monkeypatch):
    """A crash between the count's commit and the key's destruction: the command destroys the key and scrubs."""
    poll, _ = voted_poll(educator, tablet, world)
    monkeypatch.setattr("app.ballot_scrub.finish", lambda poll, wait_seconds=None: ballot_scrub.Scrub(False, ["crash"]))
    close(educator, poll)
    monkeypatch.undo()
    db.session.refresh(poll)
    poll_key = poll.key_name
    assert poll.status == "counted" and poll.scrub_pending and poll_key in ballot_keys.current_key_store().names()
    result = runner.invoke(args=["ballots", "scrub", "--wait", "2"])
    assert result.exit_code == 0, result.output
    assert f"poll {poll.id}: scrubbed" in result.output
    db.session.refresh(poll)
    assert not poll.scrub_pending and poll_key not in ballot_keys.current_key_store().names()
