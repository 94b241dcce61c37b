"""One line per request for the operator, and nothing in it that a form or a ballot carried."""

import json
import logging

import pytest

from app.request_log import JsonLines, log
from tests.conftest import PASSWORD
from tests.http.test_polls import open_motion, vote


@pytest.fixture(autouse=True)
def caught():
    """Once a non-test app has set the request logger up, it writes only to its own handler: let its records reach
    the root logger, where caplog listens, for the time of the test."""
    kept = log.propagate
    log.propagate = True
    yield
    log.propagate = kept


def request_lines(caplog) -> list[dict]:
    return [record.fields for record in caplog.records if record.name == log.name]


def test_each_request_gets_one_line_with_its_id_route_status_and_duration(client, world, caplog):
    caplog.set_level(logging.INFO, logger=log.name)
    response = client.get(f"/classes/{world.cooperative.id}")
    [line] = request_lines(caplog)
    assert line["route"] == "/classes/<int:cooperative_id>" and line["method"] == "GET"
    assert line["status"] == response.status_code and line["ms"] >= 0
    assert response.headers["X-Request-ID"] == line["request_id"]


def test_a_proxy_s_request_id_is_kept_and_a_strange_one_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger=log.name)
    assert client.get("/health", headers={"X-Request-ID": "edge-42abcdef"}).headers["X-Request-ID"] == "edge-42abcdef"
    assert client.get("/health", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"] != "<script>"


def test_no_line_carries_a_form_a_password_a_pupil_or_a_ballot_box(world, educator, tablet, caplog):
    caplog.set_level(logging.DEBUG)
    poll, _ = open_motion(educator, world)
    vote(tablet, world.pupil, poll, choice="against")
    educator.client.post("/account/sign-in", data={"email": world.educator.email, "password": PASSWORD})
    written = "\n".join(record.getMessage() + json.dumps(getattr(record, "fields", {}))
                        for record in caplog.records)
    for secret in (PASSWORD, world.pupil.first_name, "against", f"/tablet/vote/{poll.id}/cast"):
        assert secret not in written, secret
    assert "/tablet/vote/<int:poll_id>/cast" in written


def test_json_lines_are_one_object_each(client, caplog):
    caplog.set_level(logging.INFO, logger=log.name)
    client.get("/health")
    [record] = [record for record in caplog.records if record.name == log.name]
    line = json.loads(JsonLines().format(record))
    assert line["route"] == "/health" and line["status"] == 200 and line["level"] == "INFO"


def test_running_the_migrations_leaves_the_request_log_on(app, runner):
    """Alembic configures logging from its ini file when migrating: it must not silence the app's loggers."""
    assert runner.invoke(args=["db", "current"]).exit_code == 0
    assert not log.disabled
