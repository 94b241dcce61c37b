"""Signing out, a new password and "sign out everywhere" end every copy of a sign-in's cookies."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import AdultSession
from app.models.types import utcnow
from tests.conftest import PASSWORD, World, app_configured
from tests.http.test_accounts import link_in, outbox

SIGNED_IN_PAGE = "/classes/"
COOKIES = ("session", "remember_token")


def copy_cookies(source, target, names=COOKIES) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def opens_signed_in_page(client) -> bool:
    return client.get(SIGNED_IN_PAGE).status_code == 200


def remembered_sign_in(client, email="teacher@a.example.org"):
    return client.post("/account/sign-in", data={"email": email, "password": PASSWORD, "remember": "y"})


@pytest.mark.parametrize("names", [("session",), ("remember_token",), COOKIES])
def test_a_copied_cookie_opens_nothing_after_sign_out(world, make_client, names):
    educator, thief = make_client().client, make_client().client
    remembered_sign_in(educator)
    copy_cookies(educator, thief, names)
    assert opens_signed_in_page(thief)
    educator.post("/account/sign-out")
    assert not opens_signed_in_page(thief)


def test_each_sign_in_gets_its_own_remember_token(world, make_client):
    first, second = make_client().client, make_client().client
    remembered_sign_in(first)
    remembered_sign_in(second)
    assert first.get_cookie("remember_token").value != second.get_cookie("remember_token").value
    first.post("/account/sign-out")
    assert opens_signed_in_page(second) and not opens_signed_in_page(first)


def test_a_new_password_ends_every_sign_in_of_the_account(app, world, make_client):
    laptop, phone = make_client().client, make_client().client
    remembered_sign_in(laptop)
    phone.post("/account/forgot-password", data={"email": "teacher@a.example.org"})
    [mail] = outbox(app)
    phone.post(link_in(mail), data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert not opens_signed_in_page(laptop)


def test_sign_out_everywhere_ends_the_other_devices_but_not_other_accounts(world, make_client):
    laptop, phone, colleague = make_client().client, make_client().client, make_client().client
    remembered_sign_in(laptop)
    remembered_sign_in(phone)
    remembered_sign_in(colleague, "head@a.example.org")
    response = phone.post("/account/sign-out-everywhere")
    assert response.status_code == 302
    assert not opens_signed_in_page(laptop) and not opens_signed_in_page(phone)
    assert opens_signed_in_page(colleague)


def test_a_sign_in_ends_when_it_expires(world, make_client):
    educator = make_client().client
    educator.post("/account/sign-in", data={"email": "teacher@a.example.org", "password": PASSWORD})
    db.session.execute(update(AdultSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert not opens_signed_in_page(educator)


def test_a_sign_in_without_remember_me_lasts_a_school_day_at_most(app, world, make_client):
    make_client().sign_in("teacher@a.example.org")
    remembered_sign_in(make_client().client)
    lifetimes = sorted(row.expires_at - row.created_at for row in db.session.scalars(db.select(AdultSession)))
    assert lifetimes == [app.permanent_session_lifetime, timedelta(seconds=app.config["REMEMBER_COOKIE_DURATION"])]


def test_a_cookie_of_the_old_form_opens_nothing(app, world, make_client):
    forged = make_client().client
    with forged.session_transaction() as session:
        session["_user_id"] = f"adult:{world.educator.id}"
        session["_fresh"] = True
    assert not opens_signed_in_page(forged)


# Pupils: a tablet holds one sign-in at a time

def test_a_copied_pupil_session_opens_nothing_after_the_pupil_signs_out(world, make_client):
    tablet = make_client()
    tablet.pair_tablet(world.cooperative)
    tablet.sign_in_pupil(world.pupil)
    thief = make_client().client
    copy_cookies(tablet.client, thief, ("session", "agora_tablet"))
    assert thief.get("/tablet/me").status_code == 200
    tablet.client.post("/tablet/sign-out")
    assert thief.get("/tablet/me").status_code == 302


def test_the_next_pupil_signing_in_ends_the_previous_sign_in(world, make_client):
    tablet = make_client()
    tablet.pair_tablet(world.cooperative)
    tablet.sign_in_pupil(world.pupils[0])
    thief = make_client().client
    copy_cookies(tablet.client, thief, ("session", "agora_tablet"))
    tablet.client.post("/tablet/sign-out")
    tablet.sign_in_pupil(world.pupils[1])
    assert tablet.client.get("/tablet/me").status_code == 200
    assert thief.get("/tablet/me").status_code == 302


# The form token changes at sign-in and sign-out

@pytest.fixture
def csrf_app(database_url, _schema):
    with app_configured(database_url, WTF_CSRF_ENABLED=True) as app:
        yield app


def form_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_form_token_from_before_sign_in_is_refused_after_it(csrf_app):
    World()
    db.session.commit()
    client = csrf_app.test_client()
    before = form_token(client, "/account/sign-in")
    client.post("/account/sign-in", data={"email": "teacher@a.example.org", "password": PASSWORD,
                                          "csrf_token": before})
    assert opens_signed_in_page(client)
    assert client.post("/account/sign-out", data={"csrf_token": before}).status_code == 400
    after = form_token(client, SIGNED_IN_PAGE)
    assert after != before
    assert client.post("/account/sign-out", data={"csrf_token": after}).status_code == 302
    assert client.post("/account/sign-in", data={"email": "teacher@a.example.org", "password": PASSWORD,
                                                 "csrf_token": after}).status_code == 400


def test_changing_the_password_keeps_this_browser_and_signs_out_the_others(world, make_client):
    laptop, phone = make_client().client, make_client().client
    remembered_sign_in(laptop)
    remembered_sign_in(phone)
    assert "signed in on 2 devices or browsers" in laptop.get("/account/").get_data(as_text=True)
    new = "a brand new passphrase"
    refused = laptop.post("/account/", data={"current": "not it", "password": new, "confirm": new})
    assert refused.status_code == 422 and "This is not your current password." in refused.get_data(as_text=True)
    assert opens_signed_in_page(phone)
    assert laptop.post("/account/", data={"current": PASSWORD, "password": new, "confirm": new}).status_code == 302
    assert opens_signed_in_page(laptop) and not opens_signed_in_page(phone)
    assert "signed in on 1 device or browser." in laptop.get("/account/").get_data(as_text=True)
