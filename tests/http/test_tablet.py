"""Pupils on a paired class tablet: pairing, name tiles, picture codes, locks, QR cards, hygiene."""

from datetime import timedelta

from app.extensions import db
from app.models import PairedTablet
from app.models.types import utcnow
from app.services import pupil_sign_in, tablets
from tests.conftest import picks_for, wrong_picks_for


def test_an_unpaired_browser_never_sees_a_roster(world, client):
    response = client.get("/tablet/")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "not paired" in page
    assert world.pupil.first_name not in page


def test_pairing_shows_the_class_tiles(world, act):
    response = act.pair_tablet(world.cooperative, "Tablet 3")
    assert response.status_code == 302
    tablet = db.session.scalars(db.select(PairedTablet)).one()
    assert tablet.label == "Tablet 3" and tablet.cooperative_id == world.cooperative.id
    page = act.client.get("/tablet/").get_data(as_text=True)
    for pupil in world.pupils:
        assert pupil.display_name in page
    assert world.other_pupils[0].display_name not in page


def test_an_expired_or_unknown_pairing_link_is_refused(world, client):
    link, token = tablets.new_pairing_link(world.cooperative, utcnow() - timedelta(hours=2))
    db.session.commit()
    assert client.post(f"/tablet/pair/{token}", data={"label": "T"}).status_code == 410
    assert client.get("/tablet/pair/not-a-token").status_code == 410
    assert db.session.scalar(db.select(db.func.count(PairedTablet.id))) == 0


def test_a_forged_device_cookie_is_not_a_tablet(world, client):
    client.set_cookie(tablets.COOKIE_NAME, "eyJ0YWJsZXQiOjF9.forged")
    assert client.get("/tablet/").status_code == 403


def test_a_pupil_signs_in_with_their_picture_code(world, act):
    act.pair_tablet(world.cooperative)
    response = act.sign_in_pupil(world.pupil)
    assert response.status_code == 302 and response.location.endswith("/tablet/me")
    home = act.client.get("/tablet/me")
    assert world.pupil.first_name in home.get_data(as_text=True)


def test_each_tap_fills_one_slot_and_the_code_never_travels_in_the_session(world, act):
    act.pair_tablet(world.cooperative)
    picks = picks_for(world.pupil)
    response = act.client.post(f"/tablet/pupils/{world.pupil.id}/code", data={"picks": "", "pick": picks[0]},
                               headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.count("slot-filled") == 1 and "<html" not in fragment
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_sign_in_redirects_the_whole_page(world, act):
    act.pair_tablet(world.cooperative)
    picks = picks_for(world.pupil)
    response = act.client.post(f"/tablet/pupils/{world.pupil.id}/code",
                               data={"picks": "".join(map(str, picks[:3])), "pick": picks[3]},
                               headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].endswith("/tablet/me")


def test_a_wrong_code_says_so_and_counts_down(world, act):
    act.pair_tablet(world.cooperative)
    response = act.enter_code(world.pupil, wrong_picks_for(world.pupil))
    assert response.status_code == 422
    assert "4 tries left" in response.get_data(as_text=True)
    assert act.client.get("/tablet/me").status_code == 302


def test_five_failures_lock_the_pupil_until_the_educator_lifts_it(world, act, make_client):
    act.pair_tablet(world.cooperative)
    for _ in range(4):
        assert act.enter_code(world.pupil, wrong_picks_for(world.pupil)).status_code == 422
    locked = act.enter_code(world.pupil, wrong_picks_for(world.pupil))
    assert locked.status_code == 423
    assert act.sign_in_pupil(world.pupil).status_code == 423, "even the right code is refused while locked"
    educator = make_client()
    educator.sign_in(world.educator.email)
    class_page = educator.client.get(f"/classes/{world.cooperative.id}").get_data(as_text=True)
    assert "Locked until" in class_page
    assert educator.client.post(f"/classes/pupils/{world.pupil.id}/unlock").status_code == 302
    assert act.sign_in_pupil(world.pupil).status_code == 302


def test_the_lock_ends_by_itself_after_five_minutes(world, act):
    act.pair_tablet(world.cooperative)
    world.pupil.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert act.sign_in_pupil(world.pupil).status_code == 302


def test_a_tampered_code_form_is_refused(world, act):
    act.pair_tablet(world.cooperative)
    for bad in ({"picks": "99", "pick": 1}, {"picks": "", "pick": 42}, {"picks": "abc", "pick": 0},
                {"picks": "0123", "pick": 1}, {"pick": "x"}):
        response = act.client.post(f"/tablet/pupils/{world.pupil.id}/code", data=bad)
        assert response.status_code == 400, bad
    assert world.pupil.failed_attempts == 0


def test_a_pupil_of_another_class_cannot_be_chosen(world, act):
    act.pair_tablet(world.cooperative)
    other = world.other_pupils[0]
    assert act.client.get(f"/tablet/pupils/{other.id}").status_code == 403
    assert act.enter_code(other, picks_for(other)).status_code == 403
    assert act.client.get("/tablet/pupils/999999").status_code == 404


def test_a_qr_card_signs_in_after_the_pupil_confirms(world, act):
    token = pupil_sign_in.issue_card(world.pupil, utcnow())
    db.session.commit()
    act.pair_tablet(world.cooperative)
    page = act.client.get(f"/tablet/card/{token}")
    assert page.status_code == 200 and world.pupil.display_name in page.get_data(as_text=True)
    assert act.client.get("/tablet/me").status_code == 302, "opening the card alone does not sign in"
    response = act.client.post(f"/tablet/card/{token}")
    assert response.status_code == 302 and response.location.endswith("/tablet/me")


def test_unknown_expired_revoked_and_foreign_cards_are_refused(world, act):
    now = utcnow()
    revoked = pupil_sign_in.issue_card(world.pupil, now)
    db.session.flush()
    pupil_sign_in.revoke_pupil_cards(world.pupil, now)
    expired = pupil_sign_in.issue_card(world.pupil, now - timedelta(hours=13), temporary=True)
    foreign = pupil_sign_in.issue_card(world.other_pupils[0], now)
    db.session.commit()
    act.pair_tablet(world.cooperative)
    cases = {"no-such-card": (404, "do not know"), expired: (403, "too old"), revoked: (403, "no longer works"),
             foreign: (403, "another class")}
    for token, (status, words) in cases.items():
        response = act.client.post(f"/tablet/card/{token}")
        assert response.status_code == status, token
        assert words in response.get_data(as_text=True)
    assert act.client.get("/tablet/me").status_code == 302


def test_a_card_needs_a_paired_tablet(world, client):
    token = pupil_sign_in.issue_card(world.pupil, utcnow())
    db.session.commit()
    response = client.post(f"/tablet/card/{token}")
    assert response.status_code == 403 and "not paired" in response.get_data(as_text=True)


def test_a_temporary_card_lasts_twelve_hours(world):
    now = utcnow()
    pupil_sign_in.issue_card(world.pupil, now, temporary=True)
    db.session.commit()
    card = db.session.scalars(db.select(pupil_sign_in.SignInCard)).one()
    assert card.expires_at - now == timedelta(hours=12)


def test_yearly_cards_expire_at_the_end_of_the_school_year(world):
    pupil_sign_in.issue_card(world.pupil, utcnow())
    db.session.commit()
    card = db.session.scalars(db.select(pupil_sign_in.SignInCard)).one()
    local_end = card.expires_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert (local_end.month, local_end.day, local_end.hour) == (9, 1, 0)
    assert local_end.year == world.cooperative.school_year + 1


def test_card_tokens_are_stored_hashed(world):
    token = pupil_sign_in.issue_card(world.pupil, utcnow())
    db.session.commit()
    card = db.session.scalars(db.select(pupil_sign_in.SignInCard)).one()
    assert token not in card.token_hash and len(token) >= 22


def test_unpairing_mid_session_signs_the_pupil_out(world, act):
    act.pair_tablet(world.cooperative)
    act.sign_in_pupil(world.pupil)
    tablet = db.session.scalars(db.select(PairedTablet)).one()
    tablets.revoke_tablet(tablet, utcnow())
    db.session.commit()
    response = act.client.get("/tablet/me")
    assert response.status_code == 302 and response.location.endswith("/tablet/")
    assert act.client.get("/tablet/").status_code == 403


def test_pupil_pages_are_never_cached(world, act):
    act.pair_tablet(world.cooperative)
    for url in ("/tablet/", f"/tablet/pupils/{world.pupil.id}"):
        assert act.client.get(url).headers["Cache-Control"] == "no-store"
    act.sign_in_pupil(world.pupil)
    assert act.client.get("/tablet/me").headers["Cache-Control"] == "no-store"


def test_signing_out_thanks_the_pupil_and_shows_the_tiles_again(world, act):
    act.pair_tablet(world.cooperative)
    act.sign_in_pupil(world.pupil)
    response = act.client.post("/tablet/sign-out", follow_redirects=True)
    assert "Next pupil" in response.get_data(as_text=True)
    assert act.client.get("/tablet/me").status_code == 302


def test_an_idle_pupil_is_signed_out_by_the_server_too(world, act):
    act.pair_tablet(world.cooperative)
    act.sign_in_pupil(world.pupil)
    with act.client.session_transaction() as session:
        session["pupil_seen"] = utcnow().timestamp() - 600
    response = act.client.get("/tablet/me", follow_redirects=True)
    assert "nobody used the tablet" in response.get_data(as_text=True)
    assert act.client.get("/tablet/me").status_code == 302


def test_pages_polling_by_themselves_do_not_keep_an_idle_pupil_signed_in(world, act):
    act.pair_tablet(world.cooperative)
    act.sign_in_pupil(world.pupil)
    with act.client.session_transaction() as session:
        session["pupil_seen"] = seen = utcnow().timestamp() - 60
    for url in ("/assemblies/tablet", "/tablet/vote/open"):
        assert act.client.get(url, headers={"HX-Request": "true"}).status_code in (200, 204)
    with act.client.session_transaction() as session:
        assert session["pupil_seen"] == seen
        session["pupil_seen"] = utcnow().timestamp() - 600
    response = act.client.get("/assemblies/tablet", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/tablet/")
    assert act.client.get("/tablet/me").status_code == 302


def test_pupils_get_no_remember_me_cookie(world, act):
    act.pair_tablet(world.cooperative)
    response = act.sign_in_pupil(world.pupil)
    assert "remember_token" not in response.headers.get("Set-Cookie", "")


def test_the_roster_lists_names_as_a_child_reads_them(world, act):
    from app.domain.roster import RosterRow
    from app.services import classes

    classes.add_pupils(world.cooperative, [RosterRow("Éloïse", "K"), RosterRow("Zoé", "A"), RosterRow("Émile", "R")])
    db.session.commit()
    act.pair_tablet(world.cooperative)
    page = act.client.get("/tablet/").get_data(as_text=True)
    order = sorted(("Adam", "Éloïse", "Émile", "Hugo", "Inès", "Jade", "Léa", "Lucas", "Zoé"), key=page.index)
    assert order == ["Adam", "Éloïse", "Émile", "Hugo", "Inès", "Jade", "Léa", "Lucas", "Zoé"]


def test_pairing_the_same_tablet_again_replaces_its_entry(world, act):
    from app.services import tablets

    act.pair_tablet(world.cooperative, "Tablet by the window")
    act.pair_tablet(world.cooperative, "Tablet by the window")
    db.session.expire_all()
    assert [tablet.label for tablet in tablets.active_tablets(world.cooperative)] == ["Tablet by the window"]
    assert act.client.get("/tablet/").status_code == 200, "the new pairing works"


def test_the_tablet_header_leaves_the_language_to_the_footer(world, tablet):
    """A child reaching for "I am done" does not switch the language by mistake."""
    tablet.sign_in_pupil(world.pupil)
    for path in ("/tablet/me", "/messages/", "/messages/new/propose"):
        page = tablet.client.get(path).get_data(as_text=True)
        header, footer = page.split("</header>")[0], page.split("</main>")[1]
        assert "I am done" in header and "language-switch" not in header, path
        assert 'class="language-switch"' in footer, path
