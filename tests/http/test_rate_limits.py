"""Sign-in limits count the real client behind a proxy, per address and per account, across workers; a pupil's
lock falls after five wrong codes even when they are tapped at once."""

import os
import secrets
import threading

import pytest

from app.extensions import db
from app.models import Pupil
from tests.conftest import (
    PASSWORD,
    POSTGRES_URL,
    Actions,
    app_configured,
    clear_database,
    make_app,
    picks_for,
    wrong_picks_for,
)

REDIS_URL = os.environ.get("REDIS_URL", "")
LIMITED = 429


def sign_in(client, email, password="wrong", address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post("/account/sign-in", data={"email": email, "password": password}, headers=headers).status_code


@pytest.fixture
def proxied_app(database_url, _schema):
    with app_configured(database_url, PROXY_COUNT=1) as app:
        yield app


@pytest.fixture
def proxied_world(proxied_app):
    from tests.conftest import World

    return World()


def test_behind_the_proxy_one_clients_mistakes_do_not_lock_out_the_others(proxied_app, proxied_world):
    client = proxied_app.test_client()
    assert [sign_in(client, "nobody@a.example.org", address="203.0.113.7") for _ in range(11)][-1] == LIMITED
    assert sign_in(client, "teacher@a.example.org", PASSWORD, address="198.51.100.20") == 302


def test_a_refusal_says_when_to_come_back_and_other_answers_carry_no_limit_headers(app, world):
    client = app.test_client()
    for _ in range(10):
        answer = client.post("/account/sign-in", data={"email": "nobody@a.example.org", "password": "wrong"})
        assert not any(name.lower().startswith("x-ratelimit") for name in answer.headers.keys())
    refused = client.post("/account/sign-in", data={"email": "nobody@a.example.org", "password": "wrong"})
    assert refused.status_code == LIMITED and "Too many attempts" in refused.get_data(as_text=True)
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600


def test_without_a_configured_proxy_a_forwarded_address_is_not_believed(app, world):
    client = app.test_client()
    statuses = [sign_in(client, f"nobody{n}@a.example.org", address=f"203.0.113.{n}") for n in range(11)]
    assert statuses[-1] == LIMITED


def test_an_account_is_limited_whatever_the_address(proxied_app, proxied_world):
    client = proxied_app.test_client()
    statuses = [sign_in(client, "teacher@a.example.org", address=f"203.0.113.{n}") for n in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[-1] == LIMITED
    assert sign_in(client, "head@a.example.org", PASSWORD, address="203.0.113.99") == 302


def test_successful_sign_ins_do_not_use_up_the_limit(proxied_app, proxied_world):
    client = proxied_app.test_client()
    for _ in range(15):
        assert sign_in(client, "teacher@a.example.org", PASSWORD, address="198.51.100.20") == 302
        client.post("/account/sign-out")


def test_a_whole_class_signing_in_through_one_school_address_is_not_limited(proxied_app, proxied_world):
    """Thirty tablets behind the school's router, paired at the start of the year: no per-address limit refuses
    their pairing or a class's taps."""
    from app.domain.roster import RosterRow
    from app.models.types import utcnow
    from app.services import classes, tablets

    pupils = classes.add_pupils(proxied_world.cooperative, [RosterRow(f"Élève{n}", "X") for n in range(24)])
    db.session.commit()
    statuses = []
    for number, pupil in enumerate([*proxied_world.pupils, *pupils]):
        tablet = Actions(proxied_app.test_client())
        tablet.client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.1"
        _link, token = tablets.new_pairing_link(proxied_world.cooperative, utcnow())
        db.session.commit()
        tablet.client.post(f"/tablet/pair/{token}", data={"label": f"Tablet {number}"},
                           environ_base={"REMOTE_ADDR": f"10.0.0.{number}"})
        statuses.append(tablet.sign_in_pupil(pupil).status_code)
    assert LIMITED not in statuses and set(statuses) == {302}


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis (REDIS_URL): without it each process counts alone")
def test_two_workers_count_the_same_attempts(database_url, _schema):
    prefix = f"agora-test-{secrets.token_hex(4)}"
    workers = [make_app(database_url, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
               for _ in range(2)]
    with workers[0].app_context():
        from tests.conftest import World

        World()
        db.session.commit()
        try:
            statuses = [sign_in(workers[n % 2].test_client(), "teacher@a.example.org") for n in range(11)]
            assert statuses[:10] == [422] * 10 and statuses[-1] == LIMITED
        finally:
            clear_database()
            db.session.remove()


@pytest.mark.skipif(not POSTGRES_URL.startswith("postgres"), reason="SQLite takes the write lock up front")
def test_wrong_codes_tapped_at_once_on_several_tablets_all_count(database_url, _schema):
    app = make_app(database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 0})
    with app.app_context():
        from tests.conftest import World

        world = World()
        pupil = world.pupil
        wrong = wrong_picks_for(pupil)
        tablets_ = [Actions(app.test_client()) for _ in range(8)]
        for number, tablet in enumerate(tablets_):
            tablet.pair_tablet(world.cooperative, f"Tablet {number}")
            tablet.enter_code(pupil, wrong[:3])
        start, statuses = threading.Barrier(len(tablets_)), []

        def last_tap(tablet):
            with app.app_context():
                start.wait()
                response = tablet.client.post(f"/tablet/pupils/{pupil.id}/code",
                                              data={"picks": "".join(map(str, wrong[:3])), "pick": wrong[3]})
                statuses.append(response.status_code)
                db.session.remove()

        threads = [threading.Thread(target=last_tap, args=(tablet,)) for tablet in tablets_]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        try:
            assert sorted(statuses) == [422] * 4 + [423] * 4
            db.session.expire_all()
            assert db.session.get(Pupil, pupil.id).locked_until is not None
            assert tablets_[0].sign_in_pupil(pupil).status_code == 423  # even the right code waits now
            assert picks_for(pupil)
        finally:
            clear_database()
            db.session.remove()
            db.engine.dispose()
