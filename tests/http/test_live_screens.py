"""Screens that show their pass get "unchanged" before Flask; everything else is Flask's to answer (app/live.py)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from app import live
from app.extensions import db
from app.models import PairedTablet
from app.models.types import utcnow
from app.security import SECURITY_HEADERS
from app.services import assemblies
from tests.http.test_assemblies import opened, plan

PASS = re.compile(r'"X-Screen-Pass": "([^"]+)"')


@pytest.fixture
def reached_flask(app) -> list[str]:
    """The paths of the requests the live layer handed on to Flask."""
    layer, paths = app.wsgi_app, []
    flask = layer.wsgi_app

    def counting(environ, start_response):
        paths.append(environ["PATH_INFO"])
        return flask(environ, start_response)

    layer.wsgi_app = counting
    return paths


def pass_in(response) -> str:
    found = PASS.search(response.get_data(as_text=True))
    assert found, "the fragment carries no screen pass"
    return found.group(1)


def version_in(response) -> str:
    return re.search(r'since=([^"&]+)', response.get_data(as_text=True)).group(1)


def ask(client, url: str, since: str, screen_pass: str | None):
    headers = {"HX-Request": "true"} | ({live.HEADER: screen_pass} if screen_pass is not None else {})
    db.session.rollback()  # the request reads afresh, as a new session would
    return client.get(f"{url}?since={since}", headers=headers)


class Screen:
    """One screen: its URL, the version it shows and the pass it got with its last fragment."""

    def __init__(self, client, url: str) -> None:
        self.client, self.url = client, url
        first = ask(client, url, "", None)
        assert first.status_code == 200
        self.version, self.screen_pass = version_in(first), pass_in(first)

    def poll(self, since: str | None = None, screen_pass: str | None = None):
        return ask(self.client, self.url, self.version if since is None else since,
                   self.screen_pass if screen_pass is None else screen_pass)


@pytest.fixture
def assembly(educator, world):
    return opened(educator, world)


@pytest.fixture
def board(educator, assembly) -> Screen:
    return Screen(educator.client, f"/assemblies/{assembly.id}/board/state")


@pytest.fixture
def pupil_tablet(world, tablet, assembly) -> Screen:
    tablet.sign_in_pupil(world.pupil)
    return Screen(tablet.client, "/assemblies/tablet")


def answered_before_flask(screen: Screen, reached_flask: list[str], **changes):
    before = len(reached_flask)
    response = screen.poll(**changes)
    return response, len(reached_flask) == before


# The board ---------------------------------------------------------------------------------------------------------

def test_an_unchanged_board_is_answered_before_flask_with_the_usual_security_headers(board, reached_flask):
    response, early = answered_before_flask(board, reached_flask)
    assert (response.status_code, early) == (204, True)
    assert response.get_data() == b""
    for name, value in SECURITY_HEADERS:
        assert response.headers[name] == value
    assert "Set-Cookie" not in response.headers and response.headers["X-Request-ID"]


def test_a_changed_board_goes_to_flask_which_sends_the_new_version(educator, assembly, board, reached_flask):
    assert educator.client.post(f"/assemblies/{assembly.id}/roles/suggest").status_code == 302
    response, early = answered_before_flask(board, reached_flask)
    assert (response.status_code, early) == (200, False)
    assert version_in(response) != board.version
    board.version, board.screen_pass = version_in(response), pass_in(response)
    response, early = answered_before_flask(board, reached_flask)
    assert (response.status_code, early) == (204, True)


def test_the_fast_version_is_the_one_flask_compares(educator, assembly, board, reached_flask):
    """Moving through the agenda changes what both answer, in step."""
    for _step in range(3):
        assert educator.client.post(f"/assemblies/{assembly.id}/next").status_code == 302
        changed = board.poll()
        assert changed.status_code == 200
        board.version, board.screen_pass = version_in(changed), pass_in(changed)
        response, early = answered_before_flask(board, reached_flask)
        assert (response.status_code, early) == (204, True)
        without_pass = board.poll(screen_pass="")
        assert without_pass.status_code == 204  # Flask agrees the version is current


@pytest.mark.parametrize("forged", ["", "not-a-pass", "tampered"])
def test_a_missing_or_forged_pass_goes_to_flask(board, reached_flask, forged):
    screen_pass = board.screen_pass[:-2] + ("AA" if board.screen_pass[-2:] != "AA" else "BB")
    response, early = answered_before_flask(board, reached_flask,
                                            screen_pass=screen_pass if forged == "tampered" else forged)
    assert (response.status_code, early) == (204, False)


def test_a_pass_signed_with_another_key_goes_to_flask(app, board, reached_flask):
    other = live._serializer("another secret key entirely").dumps(  # noqa: SLF001 - forging on purpose
        live._serializer(app.secret_key).loads(board.screen_pass))  # noqa: SLF001
    assert answered_before_flask(board, reached_flask, screen_pass=other)[1] is False


def test_an_expired_pass_goes_to_flask_which_hands_out_a_new_one(board, reached_flask, monkeypatch):
    monkeypatch.setattr(live, "PASS_LIFETIME", -1)
    response, early = answered_before_flask(board, reached_flask)
    assert (response.status_code, early) == (200, False)  # unchanged, but the fragment brings a new pass
    assert version_in(response) == board.version and pass_in(response)


@pytest.mark.parametrize("how", ["sign out here", "sign out everywhere"])
def test_a_board_stops_at_once_when_its_sign_in_ends(world, board, make_client, reached_flask, how):
    elsewhere = make_client()  # the same educator, signed in on another computer too
    elsewhere.sign_in(world.educator.email)
    if how == "sign out here":
        board.client.post("/account/sign-out")
    else:
        assert elsewhere.client.post("/account/sign-out-everywhere").status_code in (302, 303)
    response, early = answered_before_flask(board, reached_flask)
    assert early is False and response.status_code != 204


def test_a_pass_for_one_assembly_says_nothing_about_another(world, board, reached_flask):
    other = assemblies.plan_assembly(world.other_cooperative, utcnow() + timedelta(days=1), "Room B", utcnow())
    assemblies.open_assembly(other, utcnow())
    db.session.commit()
    for since in (board.version, str(other.version), "1", "2"):
        response = ask(board.client, f"/assemblies/{other.id}/board/state", since, board.screen_pass)
        assert response.status_code == 403 and reached_flask[-1] == f"/assemblies/{other.id}/board/state"


def test_a_pass_for_one_assembly_is_not_one_for_the_next_of_the_same_class(world, educator, board, reached_flask):
    later = plan(educator, world, day="2027-03-12")
    response = ask(board.client, f"/assemblies/{later.id}/board/state", str(later.version), board.screen_pass)
    assert response.status_code == 204 and reached_flask[-1] == f"/assemblies/{later.id}/board/state"


def test_a_board_pass_does_not_open_a_tablet(board, reached_flask):
    response = ask(board.client, "/assemblies/tablet", "none", board.screen_pass)
    assert response.status_code != 204 and reached_flask[-1] == "/assemblies/tablet"


def test_a_database_error_leaves_the_answer_to_flask(app, board, reached_flask, monkeypatch):
    def broken(*_args):
        raise OperationalError("SELECT", {}, Exception("the server went away"))

    monkeypatch.setattr(app.wsgi_app, "connect", broken)
    response, early = answered_before_flask(board, reached_flask)
    assert (response.status_code, early) == (204, False)


# The pupils' tablets -------------------------------------------------------------------------------------------------

def test_an_unchanged_tablet_is_answered_before_flask_and_kept_by_nobody(pupil_tablet, reached_flask):
    response, early = answered_before_flask(pupil_tablet, reached_flask)
    assert (response.status_code, early) == (204, True)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_tablet_sees_the_assembly_close(educator, assembly, pupil_tablet, reached_flask):
    assert educator.client.post(f"/assemblies/{assembly.id}/close").status_code == 302
    response, early = answered_before_flask(pupil_tablet, reached_flask)
    assert (response.status_code, early) == (200, False) and version_in(response) == "none"
    pupil_tablet.version, pupil_tablet.screen_pass = "none", pass_in(response)
    response, early = answered_before_flask(pupil_tablet, reached_flask)
    assert (response.status_code, early) == (204, True)


def test_a_pupil_who_signs_out_stops_the_pass(pupil_tablet, reached_flask):
    pupil_tablet.client.post("/tablet/sign-out")
    response, early = answered_before_flask(pupil_tablet, reached_flask)
    assert early is False and response.status_code != 204


def test_another_pupil_on_the_same_tablet_ends_the_first_ones_pass(world, tablet, pupil_tablet, reached_flask):
    old_pass = pupil_tablet.screen_pass
    tablet.client.post("/tablet/sign-out")
    tablet.sign_in_pupil(world.pupils[1])
    response, early = answered_before_flask(pupil_tablet, reached_flask, screen_pass=old_pass)
    assert early is False  # Flask answers for the pupil now signed in, with their own pass
    assert response.status_code == 204


def test_an_unpaired_tablet_stops_at_once(world, educator, pupil_tablet, reached_flask):
    tablet_id = db.session.scalar(db.select(PairedTablet.id))
    assert educator.client.post(f"/classes/tablets/{tablet_id}/revoke").status_code == 302
    response, early = answered_before_flask(pupil_tablet, reached_flask)
    assert early is False and response.headers.get("HX-Redirect", "").endswith("/tablet/")


def test_a_pupils_pass_runs_out_with_their_idle_time_then_flask_decides(pupil_tablet, reached_flask, monkeypatch):
    assert answered_before_flask(pupil_tablet, reached_flask)[1] is True
    monkeypatch.setattr(live, "PUPIL_IDLE_GRACE", -10_000)  # passes handed out now are out of time at once
    stale = pass_in(ask(pupil_tablet.client, pupil_tablet.url, "", None))
    response, early = answered_before_flask(pupil_tablet, reached_flask, screen_pass=stale)
    assert (response.status_code, early) == (200, False)  # still signed in (Flask's guard): a fragment, a new pass
