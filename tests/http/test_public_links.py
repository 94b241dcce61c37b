"""Links sent by e-mail or printed on cards use the configured public address; other hosts are refused."""

import re

import pytest

from app import create_app
from app.extensions import db
from config import ProductionConfig
from tests.conftest import PASSWORD, World, app_configured, make_app
from tests.http.test_accounts import invite, outbox

PUBLIC_URL = "https://agora.example.org"
ATTACKER = "evil.example"


@pytest.fixture
def public_app(database_url, _schema):
    with app_configured(database_url, PUBLIC_URL=PUBLIC_URL) as app:
        yield app


@pytest.fixture
def people(public_app):
    world = World()
    db.session.commit()
    return world


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_content())


def test_a_reset_link_asked_through_another_host_is_refused_and_never_mailed(public_app, people):
    response = public_app.test_client().post("/account/forgot-password", data={"email": "teacher@a.example.org"},
                                             headers={"Host": ATTACKER})
    assert response.status_code == 400
    assert outbox(public_app) == []


def test_a_reset_link_always_points_to_the_public_address(public_app, people):
    client = public_app.test_client()
    for host in ("agora.example.org", "localhost"):
        client.post("/account/forgot-password", data={"email": "teacher@a.example.org"}, headers={"Host": host})
    assert [link.split("/account/")[0] for mail in outbox(public_app) for link in links_in(mail)] == [PUBLIC_URL] * 2


def test_an_invitation_link_points_to_the_public_address(public_app, people):
    client = public_app.test_client()
    client.post("/account/sign-in", data={"email": "head@a.example.org", "password": PASSWORD})
    invite(client, people.school, "new.teacher@a.example.org")
    [mail] = outbox(public_app)
    assert [link.split("/account/")[0] for link in links_in(mail)] == [PUBLIC_URL]


def test_the_refusal_of_a_foreign_host_is_a_page_not_a_crash(public_app, people):
    response = public_app.test_client().get("/account/sign-in", headers={"Host": ATTACKER})
    assert response.status_code == 400
    assert ATTACKER not in response.get_data(as_text=True)


def test_a_configured_other_name_of_the_server_is_served(database_url, _schema):
    app = make_app(database_url, PUBLIC_URL=PUBLIC_URL, ALLOWED_HOSTS="agora.internal, 10.0.0.5")
    with app.app_context():
        client = app.test_client()
        assert client.get("/health", headers={"Host": "agora.internal"}).status_code == 200
        assert client.get("/health", headers={"Host": "10.0.0.5:8000"}).status_code == 200
        assert client.get("/health", headers={"Host": ATTACKER}).status_code == 400
        db.session.remove()


def test_a_decisions_permanent_address_is_the_public_one(public_app, people):
    from app.services import register

    decision = register.record_decision(people.cooperative, register.NewDecision("Planter un arbre", "consensus",
                                                                                  figures={}), "Teacher A")
    db.session.commit()
    client = public_app.test_client()
    client.post("/account/sign-in", data={"email": "teacher@a.example.org", "password": PASSWORD})
    page = client.get(f"/register/decisions/{decision.id}").get_data(as_text=True)
    assert f"{PUBLIC_URL}/register/decisions/{decision.id}" in page


def production_environment(monkeypatch, **values):
    secrets = {"SECRET_KEY": "k" * 10 + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
               "BALLOT_KEY_SECRET": "b" * 10 + "ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210", "PUBLIC_URL": PUBLIC_URL}
    for name, value in {**secrets, **values}.items():
        monkeypatch.setenv(name, value)


def test_production_starts_with_real_secrets_and_a_public_address(monkeypatch, tmp_path):
    production_environment(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'agora.sqlite'}")
    assert create_app(ProductionConfig()).config["TRUSTED_HOSTS"][0] == "agora.example.org"


@pytest.mark.parametrize(("name", "value", "complaint"), [
    ("PUBLIC_URL", "", "PUBLIC_URL"),
    ("PUBLIC_URL", "agora.example.org", "PUBLIC_URL"),
    ("SECRET_KEY", "...", "SECRET_KEY"),
    ("SECRET_KEY", "change-me", "SECRET_KEY"),
    ("SECRET_KEY", "a" * 64, "SECRET_KEY"),
    ("BALLOT_KEY_SECRET", "short-but-random-9f8e7d", "BALLOT_KEY_SECRET"),
])
def test_production_refuses_placeholders(monkeypatch, tmp_path, name, value, complaint):
    production_environment(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'agora.sqlite'}", **{name: value})
    with pytest.raises(RuntimeError, match=complaint):
        create_app(ProductionConfig())
