"""Adults: signing in and out, resetting a password, a school joining, inviting educators, the language."""

import html
import re
import statistics
import time
from urllib.parse import urlsplit

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from app.extensions import db
from app.models import Cooperative, School, SchoolStaff, User
from app.services import accounts
from tests.conftest import PASSWORD, clear_database, make_app

NEW_PASSWORD = "a brand new passphrase"
TOO_SHORT = "Field must be between 10 and 200 characters long."
WRONG_CREDENTIALS = "This e-mail address and password do not match. Check them and try again."


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def outbox(app) -> list:
    return app.extensions.setdefault("outbox", [])


def link_in(message) -> str:
    """The path of the one link in an e-mail."""
    return urlsplit(re.search(r"https?://\S+", message.get_content()).group(0)).path


def signed_in_user_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def apply(client, email="head@c.example.org", school="School C", password=PASSWORD, confirm=None):
    return client.post("/join", data={
        "school_name": school, "city": "Lille", "timezone": "Europe/Paris", "head_name": "Head C",
        "email": email, "password": password, "confirm": confirm or password,
    })


def school_named(name: str) -> School:
    return db.session.scalars(select(School).where(School.name == name)).one()


def invite(client, school, email):
    return client.post(f"/schools/{school.id}/educators", data={"email": email})


def create_class(client, school, name="CM2 Les Colibris", year=2025):
    return client.post("/classes/new", data={"school_id": school.id, "name": name, "school_year": year,
                                             "kind": "class"})


# Signing in and out


def test_an_educator_signs_in_and_lands_on_their_classes(world, act):
    response = act.sign_in("Teacher@A.example.org")
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/classes/"
    assert signed_in_user_id(act.client).startswith(f"adult:{world.educator.id}:")
    assert "CM1 A" in page(act.client.get("/classes/"))


def test_a_pasted_address_with_a_trailing_space_signs_in(world, act):
    response = act.sign_in("teacher@a.example.org ")
    assert response.status_code == 302


@pytest.mark.parametrize("email", ["teacher@a.example.org", "nobody@a.example.org"])
def test_a_wrong_password_or_unknown_address_gets_the_same_answer_and_no_session(world, act, email):
    response = act.sign_in(email, "not the password")
    assert response.status_code == 422
    assert WRONG_CREDENTIALS in page(response)
    assert signed_in_user_id(act.client) is None
    assert act.client.get("/classes/").status_code == 302


def test_next_is_honoured_for_a_local_path(world, act):
    path = f"/classes/{world.cooperative.id}"
    response = act.client.post(f"/account/sign-in?next={path}",
                               data={"email": "teacher@a.example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == path


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example",
                                    "\\\\evil.example", "javascript:alert(1)"])
def test_next_never_leads_to_another_site(world, client, target):
    response = client.post("/account/sign-in", query_string={"next": target},
                           data={"email": "teacher@a.example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/classes/"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example"])
def test_next_with_a_control_character_between_the_slashes_is_not_followed(world, client, target):
    response = client.post("/account/sign-in", query_string={"next": target},
                           data={"email": "teacher@a.example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/classes/"


def test_signing_out_ends_the_session(world, act):
    act.sign_in("teacher@a.example.org")
    response = act.sign_out()
    assert response.status_code == 302 and urlsplit(response.location).path == "/"
    assert signed_in_user_id(act.client) is None
    assert "You are signed out." in page(act.client.get("/"))
    assert act.client.get("/classes/").status_code == 302


# Forgotten password


def test_a_reset_link_changes_the_password_once(app, world, client):
    response = client.post("/account/forgot-password", data={"email": "teacher@a.example.org"})
    assert response.status_code == 302
    [mail] = outbox(app)
    assert mail["To"] == "teacher@a.example.org"
    link = link_in(mail)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert accounts.authenticate("teacher@a.example.org", NEW_PASSWORD) is not None
    assert accounts.authenticate("teacher@a.example.org", PASSWORD) is None

    again = client.post(link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert again.status_code == 400
    assert "This link has expired or was already used." in page(again)
    assert accounts.authenticate("teacher@a.example.org", NEW_PASSWORD) is not None


def test_an_unknown_address_gets_the_same_flash_and_no_mail(app, world, client):
    flashes = []
    for email in ("teacher@a.example.org", "nobody@nowhere.example.org"):
        response = client.post("/account/forgot-password", data={"email": email}, follow_redirects=True)
        assert response.status_code == 200
        flashes.append(re.search(r'class="flash flash-info">([^<]*)<', response.get_data(as_text=True)).group(1))
    assert flashes[0] == flashes[1]
    assert "If an account uses this address" in flashes[0]
    assert [mail["To"] for mail in outbox(app)] == ["teacher@a.example.org"]


def test_a_forged_reset_link_is_refused(world, client):
    response = client.get("/account/reset-password/not-a-real-token")
    assert response.status_code == 400
    assert "This link has expired or was already used." in page(response)


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("short", "short", TOO_SHORT),
    (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords are different."),
])
def test_a_new_password_must_be_long_enough_and_repeated(app, world, client, password, confirm, message):
    client.post("/account/forgot-password", data={"email": "teacher@a.example.org"})
    response = client.post(link_in(outbox(app)[0]), data={"password": password, "confirm": confirm})
    assert response.status_code == 422
    assert message in page(response)
    assert accounts.authenticate("teacher@a.example.org", PASSWORD) is not None


# A school joins the federation


def test_a_pending_school_head_signs_in_but_manages_nothing(world, act):
    response = apply(act.client)
    assert response.status_code == 302 and urlsplit(response.location).path == "/account/sign-in"
    school = school_named("School C")
    assert school.status == "pending" and school.city == "Lille"
    head = accounts.user_by_email("head@c.example.org")
    assert [(staff.school_id, staff.role) for staff in head.staff_roles] == [(school.id, "head")]

    assert act.sign_in("head@c.example.org").status_code == 302
    dashboard = page(act.client.get("/classes/"))
    assert "The application of School C is being reviewed by the federation." in dashboard
    assert "Create the class" not in dashboard

    refused = invite(act.client, school, "new.teacher@c.example.org")
    assert refused.status_code == 409
    assert "must be approved by the federation" in page(refused)
    assert create_class(act.client, school).status_code in (403, 422)
    assert count(Cooperative) == 2
    assert count(SchoolStaff) == 5


def test_the_federation_approves_an_application_once(world, act):
    apply(act.client)
    school = school_named("School C")
    act.sign_in("admin@fed.example.org")
    assert "School C" in page(act.client.get("/federation/"))
    response = act.client.post(f"/federation/schools/{school.id}/approve", follow_redirects=True)
    assert response.status_code == 200
    assert "School C can now use Agora." in page(response)
    db.session.refresh(school)
    assert school.status == "approved" and school.decided_at is not None
    decided_at = school.decided_at

    again = act.client.post(f"/federation/schools/{school.id}/reject", follow_redirects=True)
    assert again.status_code == 200
    assert "This application was already decided." in page(again)
    db.session.refresh(school)
    assert school.status == "approved" and school.decided_at == decided_at


def test_an_approved_head_can_invite_educators(world, act, app):
    apply(act.client)
    school = school_named("School C")
    admin = act.client.application.test_client()
    admin.post("/account/sign-in", data={"email": "admin@fed.example.org", "password": PASSWORD})
    admin.post(f"/federation/schools/{school.id}/approve")
    act.sign_in("head@c.example.org")
    assert "being reviewed" not in page(act.client.get("/classes/"))
    assert invite(act.client, school, "new.teacher@c.example.org").status_code == 302
    assert [mail["To"] for mail in outbox(app)] == ["new.teacher@c.example.org"]


def test_the_federation_declines_an_application(world, act):
    apply(act.client)
    school = school_named("School C")
    act.sign_in("admin@fed.example.org")
    response = act.client.post(f"/federation/schools/{school.id}/reject", follow_redirects=True)
    assert "The application of School C was declined." in page(response)
    db.session.refresh(school)
    assert school.status == "rejected"
    assert "School C" not in page(act.client.get("/federation/"))

    head = act.client.application.test_client()
    head.post("/account/sign-in", data={"email": "head@c.example.org", "password": PASSWORD})
    assert "The federation declined this application." in page(head.get(f"/schools/{school.id}"))
    assert invite(head, school, "new.teacher@c.example.org").status_code == 409


def test_only_the_federation_decides(world, act):
    apply(act.client)
    school = school_named("School C")
    act.sign_in("head@c.example.org")
    assert act.client.post(f"/federation/schools/{school.id}/approve").status_code == 403
    db.session.refresh(school)
    assert school.status == "pending"


def test_an_address_already_used_cannot_apply_again(world, client):
    users, schools, staff = count(User), count(School), count(SchoolStaff)
    response = apply(client, email="Teacher@A.example.org")
    assert response.status_code == 422
    assert "An account already uses this address." in page(response)
    assert (count(User), count(School), count(SchoolStaff)) == (users, schools, staff)


@pytest.mark.parametrize(("password", "confirm"), [("short", "short"), (PASSWORD, PASSWORD + "x")])
def test_an_application_needs_a_good_password(world, client, password, confirm):
    users, schools = count(User), count(School)
    response = apply(client, password=password, confirm=confirm)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert (count(User), count(School)) == (users, schools)


# Inviting educators


def test_an_invited_educator_creates_an_account_and_a_class(app, world, act, make_client):
    act.sign_in("head@a.example.org")
    response = invite(act.client, world.school, "New.Teacher@a.example.org")
    assert response.status_code == 302
    assert "An invitation was sent to New.Teacher@a.example.org." in page(act.client.get(response.location))
    [mail] = outbox(app)
    assert mail["To"] == "New.Teacher@a.example.org"
    assert "School A" in mail["Subject"]
    assert accounts.user_by_email("new.teacher@a.example.org") is None

    invitee = make_client().client
    link = link_in(mail)
    form = page(invitee.get(link))
    assert "Join School A" in form and "new.teacher@a.example.org" in form
    response = invitee.post(link, data={"display_name": "Nina Teacher", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and urlsplit(response.location).path == "/classes/"
    user = accounts.user_by_email("new.teacher@a.example.org")
    assert user.display_name == "Nina Teacher"
    assert [(staff.school_id, staff.role) for staff in user.staff_roles] == [(world.school.id, "educator")]

    created = create_class(invitee, world.school)
    assert created.status_code == 302
    cooperative = db.session.scalars(select(Cooperative).where(Cooperative.name == "CM2 Les Colibris")).one()
    assert cooperative.school_id == world.school.id and cooperative.educators == [user]
    assert invitee.get(link).status_code == 400


def educator_roles(user) -> set[tuple[int, str]]:
    db.session.expire(user)
    return {(staff.school_id, staff.role) for staff in user.staff_roles}


def test_inviting_an_existing_account_says_nothing_of_it_and_changes_nothing(app, world, act):
    act.sign_in("head@a.example.org")
    answers = [page(act.client.get(invite(act.client, world.school, email).location))
               for email in ("teacher@b.example.org", "nobody.yet@b.example.org")]
    assert "An invitation was sent to teacher@b.example.org." in answers[0]
    assert "An invitation was sent to nobody.yet@b.example.org." in answers[1]
    assert all("already has an account" not in answer for answer in answers)
    assert educator_roles(world.other_educator) == {(world.other_school.id, "educator")}
    assert [mail["To"] for mail in outbox(app)] == ["teacher@b.example.org", "nobody.yet@b.example.org"]


def test_the_invited_owner_of_an_account_signs_in_and_accepts(app, world, act, make_client):
    act.sign_in("head@a.example.org")
    invite(act.client, world.school, "teacher@b.example.org")
    [mail] = outbox(app)
    link = link_in(mail)
    invitee = make_client()
    assert "Sign in to accept" in page(invitee.client.get(link))
    assert invitee.client.post(link).status_code == 200  # not signed in: nothing is accepted
    assert educator_roles(world.other_educator) == {(world.other_school.id, "educator")}
    invitee.client.post(f"/account/sign-in?next={link}", data={"email": "teacher@b.example.org",
                                                                "password": PASSWORD})
    assert "Accept and join School A" in page(invitee.client.get(link))
    assert invitee.client.post(link).status_code == 302
    assert educator_roles(world.other_educator) == {(world.other_school.id, "educator"),
                                                    (world.school.id, "educator")}
    assert invitee.client.get(link).status_code == 400


def test_an_invitation_cannot_be_accepted_by_another_account(app, world, act, make_client):
    act.sign_in("head@a.example.org")
    invite(act.client, world.school, "teacher@b.example.org")
    [mail] = outbox(app)
    other = make_client()
    other.sign_in("head@b.example.org")
    assert other.client.post(link_in(mail)).status_code == 403
    assert educator_roles(world.other_head) == {(world.other_school.id, "head")}
    assert educator_roles(world.other_educator) == {(world.other_school.id, "educator")}


def test_a_head_who_teaches_can_make_themselves_an_educator(world, act):
    act.sign_in("head@a.example.org")
    response = invite(act.client, world.school, "head@a.example.org")
    assert "You are now also an educator of your school." in page(act.client.get(response.location))
    assert create_class(act.client, world.school).status_code == 302


def test_a_forged_invitation_is_refused(world, client):
    response = client.get("/account/invitation/forged-token")
    assert response.status_code == 400
    assert "This invitation has expired or was already used." in page(response)


def test_an_expired_invitation_is_refused(world, client, monkeypatch):
    eight_days_ago = int(time.time()) - 8 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: eight_days_ago)
    token = accounts.invitation_token(world.school, "late@a.example.org")
    monkeypatch.undo()
    users = count(User)
    response = client.post(f"/account/invitation/{token}",
                           data={"display_name": "Late", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400
    assert "This invitation has expired or was already used." in page(response)
    assert count(User) == users


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("short", "short", TOO_SHORT),
    (PASSWORD, PASSWORD + "x", "The two passwords are different."),
])
def test_an_invitee_needs_a_good_password(world, client, password, confirm, message):
    token = accounts.invitation_token(world.school, "new.teacher@a.example.org")
    response = client.post(f"/account/invitation/{token}",
                           data={"display_name": "Nina", "password": password, "confirm": confirm})
    assert response.status_code == 422
    assert message in page(response)
    assert accounts.user_by_email("new.teacher@a.example.org") is None


def test_only_the_head_invites(world, act):
    act.sign_in("teacher@a.example.org")
    assert invite(act.client, world.school, "someone@a.example.org").status_code == 403
    act.sign_out()
    act.sign_in("head@b.example.org")
    assert invite(act.client, world.school, "someone@a.example.org").status_code == 403


# Language


def test_switching_to_french_translates_the_pages(world, client):
    response = client.post("/language", data={"language": "fr", "next": "/account/sign-in"})
    assert response.status_code == 302 and response.location == "/account/sign-in"
    sign_in = page(client.get("/account/sign-in"))
    assert '<html lang="fr">' in sign_in
    assert "Se connecter" in sign_in or "Connexion" in sign_in
    client.post("/language", data={"language": "en", "next": "/account/sign-in"})
    assert "<h1>Sign in</h1>" in page(client.get("/account/sign-in"))


def test_the_language_switch_stays_on_this_site(client):
    response = client.post("/language", data={"language": "fr", "next": "//evil.example"})
    assert response.status_code == 302 and response.location == "/"


def test_the_language_switch_ignores_a_tab_trick(client):
    response = client.post("/language", data={"language": "fr", "next": "/\t/evil.example"})
    assert response.location == "/"


def test_an_unknown_language_is_refused(client):
    response = client.post("/language", data={"language": "de", "next": "/account/sign-in"})
    assert response.status_code == 400
    assert "This language is not available." in page(response)
    assert '<html lang="en">' in page(client.get("/account/sign-in"))


def test_the_browser_language_is_the_default(client):
    french = page(client.get("/account/sign-in", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}))
    assert '<html lang="fr">' in french
    assert "Se connecter" in french or "Connexion" in french
    english = page(client.get("/account/sign-in", headers={"Accept-Language": "de, en;q=0.5"}))
    assert '<html lang="en">' in english and "<h1>Sign in</h1>" in english


def test_a_wrong_password_takes_as_long_for_an_unknown_address(database_url, _schema):
    """With the production hashing, the time of an answer does not tell whether the account exists."""
    app = make_app(database_url, PASSWORD_HASH_METHOD="scrypt")
    with app.app_context():
        accounts.create_user("known@a.example.org", "Known", PASSWORD)
        db.session.commit()
        client = app.test_client()

        def answer_seconds(email: str) -> float:
            start = time.perf_counter()
            client.post("/account/sign-in", data={"email": email, "password": "not the password"})
            return time.perf_counter() - start

        try:
            answer_seconds("warm.up@a.example.org")
            known = statistics.median(answer_seconds("known@a.example.org") for _ in range(4))
            unknown = statistics.median(answer_seconds(f"unknown{n}@a.example.org") for n in range(4))
            assert 1 / 3 < unknown / known < 3, (known, unknown)
        finally:
            clear_database()
            db.session.remove()
