"""Headers, CSRF, rate limits and error pages: the guards around every request."""

import re

import pytest

from tests.conftest import PASSWORD, make_app


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_other_sites(client):
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "") and "https://" not in page
    assert "<script>" not in page and " style=" not in page


def test_htmx_is_served_from_our_own_files(client):
    page = client.get("/").get_data(as_text=True)
    assert '/static/vendor/htmx-2.0.11.min.js' in page
    assert client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200


@pytest.fixture
def csrf_app(database_url, _schema):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def test_a_form_without_its_csrf_token_is_refused_with_advice(csrf_app, world):
    client = csrf_app.test_client()
    response = client.post("/account/sign-in", data={"email": world.educator.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_an_htmx_request_without_the_csrf_header_is_refused(csrf_app, world):
    client = csrf_app.test_client()
    response = client.post("/tablet/still-here", headers={"HX-Request": "true"})
    assert response.status_code == 400


def test_adult_sign_in_is_rate_limited(client, world):
    statuses = [client.post("/account/sign-in", data={"email": world.educator.email, "password": "wrong"}).status_code
                for _ in range(12)]
    assert statuses[:10] == [422] * 10
    assert statuses[-1] == 429


def test_picture_code_attempts_are_rate_limited_per_tablet(world, act):
    act.pair_tablet(world.cooperative)
    statuses = [act.client.post(f"/tablet/pupils/{world.pupil.id}/code", data={"picks": "", "pick": 0}).status_code
                for _ in range(45)]
    assert 429 in statuses and statuses[0] == 200


def test_unknown_pages_and_bad_ids_answer_404_not_500(client, act, world):
    act.sign_in(world.educator.email)
    for url in ("/classes/abc", "/classes/99999", "/classes/pupils/99999/unlock", "/nothing-here"):
        response = client.get(url) if "unlock" not in url else client.post(url)
        assert response.status_code == 404, url
        assert "cannot find" in response.get_data(as_text=True)


def test_a_wrong_method_answers_405_with_a_page(client):
    response = client.get("/account/sign-out")
    assert response.status_code == 405


def test_production_refuses_the_development_secret(monkeypatch):
    from app import create_app
    from config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig())


def test_redis_is_used_for_rate_limits_when_configured(monkeypatch):
    from config import Config

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert Config().RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
    monkeypatch.delenv("REDIS_URL")
    assert Config().RATELIMIT_STORAGE_URI == "memory://"


def test_the_health_endpoint_checks_the_database(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_static_files_are_named_by_their_content_and_kept_for_a_year(client):
    page = client.get("/account/sign-in").get_data(as_text=True)
    css = re.search(r'href="(/static/css/agora\.css\?v=[0-9a-f]{12})"', page)
    assert css, "the stylesheet's URL carries its content hash"
    response = client.get(css.group(1))
    assert response.status_code == 200 and "max-age=31536000" in response.headers["Cache-Control"]
    assert '<link rel="icon" href="data:,">' in page


def test_every_standalone_page_names_its_icon_so_browsers_ask_for_no_favicon():
    """Printable pages outside the layout (cards, key cards) would otherwise cost a 404 for /favicon.ico."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    standalone = [path for path in templates.rglob("*.html") if "<head>" in path.read_text()]
    assert standalone and all('rel="icon"' in path.read_text() for path in standalone), standalone
