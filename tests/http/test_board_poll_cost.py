"""What an unchanged poll costs the database: boards and tablets ask every second (SPEC §14: under 2 ms).

A screen that shows its pass (app/live.py) is answered before Flask from one statement; without one, Flask's
sign-in and authorization run first.
"""

from contextlib import contextmanager

import pytest
from flask import current_app
from sqlalchemy import delete, event

from app.extensions import db
from app.live import HEADER
from app.models import CooperativeEducator
from tests.http.test_assemblies import opened
from tests.http.test_live_screens import pass_in

# visitor, what they ask for, the answer, and the most statements it may take (SQLite's BEGIN not counted)
POLLS = {
    "the educator's board": ("educator", "board", 204, 3),  # the user, the assembly, the user's memberships
    "a pupil's tablet": ("pupil", "tablet", 204, 3),  # the pupil with their class, the tablet, the assembly
    "a pupil asking for the board": ("pupil", "board", 403, 3),
    "a paired tablet nobody signed in on": ("paired tablet", "board", 302, 3),  # the assembly, the tablet and its class
}


@contextmanager
def statements():
    """The SQL the engine runs meanwhile, without SQLite's BEGIN (PostgreSQL's driver sends its own)."""
    seen = []

    def record(_connection, _cursor, statement, *_args) -> None:
        if not statement.startswith("BEGIN"):
            seen.append(" ".join(statement.split()))

    engines = {db.engine, current_app.wsgi_app.database()}  # the live layer's own engine too, on PostgreSQL
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


# the same, for screens that show the pass their last fragment brought
POLLS_WITH_A_PASS = {
    "the educator's board": ("educator", "board", 1),  # the assembly, the sign-in and the educator's class at once
    "a pupil's tablet": ("pupil", "tablet", 1),  # the tablet, its pupil's sign-in, the class and its assembly
}


def poll(client, url: str, screen_pass: str = ""):
    """One poll as the server sees it: a new database session, as every request outside the tests gets."""
    db.session.remove()
    headers = {"HX-Request": "true"} | ({HEADER: screen_pass} if screen_pass else {})
    with statements() as seen:
        response = client.get(url, headers=headers)
    return response, seen


def pass_for(client, url: str) -> str:
    return pass_in(client.get(url.split("?")[0], headers={"HX-Request": "true"}))


@pytest.fixture
def visitors(world, educator, tablet, make_client) -> tuple[dict, dict]:
    """The browsers that poll (or try to) during an assembly in session, and the two polling URLs."""
    assembly = opened(educator, world)
    nobody_signed_in = make_client()
    nobody_signed_in.pair_tablet(world.cooperative)
    tablet.sign_in_pupil(world.pupil)
    clients = {"educator": educator.client, "pupil": tablet.client, "paired tablet": nobody_signed_in.client}
    urls = {"board": f"/assemblies/{assembly.id}/board/state?since={assembly.version}",
            "tablet": f"/assemblies/tablet?since={assembly.id}.{assembly.version}"}
    return clients, urls


@pytest.mark.parametrize("case", POLLS)
def test_an_unchanged_poll_takes_few_statements(visitors, case):
    clients, urls = visitors
    visitor, asked, status, most = POLLS[case]
    response, seen = poll(clients[visitor], urls[asked])
    assert response.status_code == status
    assert len(seen) <= most, "\n".join(seen)


@pytest.mark.parametrize("case", POLLS_WITH_A_PASS)
def test_an_unchanged_poll_with_its_pass_takes_one_statement(visitors, case):
    clients, urls = visitors
    visitor, asked, most = POLLS_WITH_A_PASS[case]
    screen_pass = pass_for(clients[visitor], urls[asked])
    response, seen = poll(clients[visitor], urls[asked], screen_pass)
    assert response.status_code == 204
    assert 1 <= len(seen) <= most, "\n".join(seen)  # at least one: the version is read, not remembered


@pytest.mark.parametrize("with_pass", [False, True])
def test_a_class_taken_from_its_educator_stops_their_board_at_the_next_poll(world, visitors, with_pass):
    clients, urls = visitors
    educator_id, cooperative_id = world.educator.id, world.cooperative.id
    screen_pass = pass_for(clients["educator"], urls["board"]) if with_pass else ""
    assert poll(clients["educator"], urls["board"], screen_pass)[0].status_code == 204
    db.session.execute(delete(CooperativeEducator).where(CooperativeEducator.user_id == educator_id,
                                                         CooperativeEducator.cooperative_id == cooperative_id))
    db.session.commit()
    assert poll(clients["educator"], urls["board"], screen_pass)[0].status_code == 403
