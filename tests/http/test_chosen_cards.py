"""Lasting sign-in cards printed for the pupils an educator ticks: the others' cards keep working, the ticked pupils'
earlier cards stop, and a choice that cannot be printed prints nothing."""

import html
import re
import threading

import pytest
from sqlalchemy import func, select

from app.domain.roster import RosterRow
from app.extensions import db
from app.models import Cooperative, Pupil, SignInCard
from app.models.types import utcnow
from app.services import classes, pupil_sign_in
from tests.conftest import POSTGRES_URL, make_app
from tests.http.test_ballot_box_races import WAIT_SECONDS, lock_waiter_seen, started


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def print_for(client, cooperative, *pupil_ids):
    return client.post(f"/classes/{cooperative.id}/cards/chosen", data={"pupils": [str(i) for i in pupil_ids]})


def sheet_names(response) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", page(response))


def signs_in(tablet, token: str) -> bool:
    """The pupil taps "Yes, it's me" after scanning the card; then leaves the tablet to the next one."""
    response = tablet.client.post(f"/tablet/card/{token}")
    tablet.client.post("/tablet/sign-out")
    return response.status_code == 302 and response.location.endswith("/tablet/me")


def card_count() -> int:
    return db.session.scalar(select(func.count(SignInCard.id)))


def working_yearly_cards(pupil) -> int:
    return pupil_sign_in.valid_cards(pupil.cooperative, utcnow())[pupil.id]["yearly"]


@pytest.fixture
def class_cards(world) -> dict[int, str]:
    """Every pupil of the class has the card printed in September."""
    tokens = pupil_sign_in.issue_class_cards(world.cooperative, utcnow())
    db.session.commit()
    return tokens


@pytest.fixture
def printed(monkeypatch) -> dict[int, str]:
    """The tokens of the cards the next sheets show, by pupil id (the sheet shows them as QR codes only)."""
    tokens, issue = {}, pupil_sign_in.issue_card

    def recording(pupil, now, temporary=False):
        tokens[pupil.id] = issue(pupil, now, temporary)
        return tokens[pupil.id]

    monkeypatch.setattr(pupil_sign_in, "issue_card", recording)
    return tokens


def test_two_ticked_pupils_get_new_cards_and_the_others_keep_theirs(world, educator, tablet, class_cards, printed):
    hugo, ines = world.pupils[1], world.pupils[2]
    response = print_for(educator.client, world.cooperative, ines.id, hugo.id)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert sheet_names(response) == ["Hugo B.", "Inès D."]
    assert page(response).count("<svg") == 2
    assert page(response).count(f"Valid until the end of {world.cooperative.year_label}") == 2
    assert set(printed) == {hugo.id, ines.id}

    for pupil in (hugo, ines):
        assert signs_in(tablet, printed[pupil.id])
        refused = tablet.client.get(f"/tablet/card/{class_cards[pupil.id]}")
        assert refused.status_code == 403 and "This card no longer works." in page(refused)
    for pupil in world.pupils:
        assert working_yearly_cards(pupil) == 1
        if pupil not in (hugo, ines):
            assert signs_in(tablet, class_cards[pupil.id]), pupil.display_name


def test_a_ticked_pupils_temporary_card_stops_too_and_another_pupils_does_not(world, educator, tablet, class_cards):
    lea, hugo = world.pupils[0], world.pupils[1]
    temporary = {pupil.id: pupil_sign_in.issue_card(pupil, utcnow(), temporary=True) for pupil in (lea, hugo)}
    db.session.commit()
    assert print_for(educator.client, world.cooperative, lea.id).status_code == 200
    assert tablet.client.get(f"/tablet/card/{temporary[lea.id]}").status_code == 403
    assert signs_in(tablet, temporary[hugo.id])


def test_the_page_ticks_the_pupils_without_a_card_for_the_year(world, educator, class_cards):
    newcomers = classes.add_pupils(world.cooperative, [RosterRow("Nina", "R"), RosterRow("Malo", "T")])
    pupil_sign_in.revoke_pupil_cards(world.pupil, utcnow())
    pupil_sign_in.issue_card(world.pupil, utcnow(), temporary=True)
    db.session.commit()
    shown = page(educator.client.get(f"/classes/{world.cooperative.id}/cards"))
    ticked = re.findall(r'<input type="checkbox" name="pupils" value="(\d+)" form="chosen-cards"[^>]*checked>', shown)
    assert sorted(map(int, ticked)) == sorted([world.pupil.id] + [pupil.id for pupil in newcomers])
    assert shown.count('name="pupils"') == len(world.pupils) + 2
    assert "A ticked pupil's earlier cards stop working; the other pupils' cards keep working." in shown
    assert "+ 1 temporary" in shown


def test_the_head_sees_the_cards_without_ticks(world, head, class_cards):
    shown = page(head.client.get(f"/classes/{world.cooperative.id}/cards"))
    assert "Hugo B." in shown
    assert 'name="pupils"' not in shown and "Print cards for the ticked pupils" not in shown


def test_printing_twice_leaves_one_working_card_the_last_sheets(world, educator, tablet, class_cards, printed):
    hugo = world.pupils[1]
    assert print_for(educator.client, world.cooperative, hugo.id).status_code == 200
    first = printed[hugo.id]
    second = print_for(educator.client, world.cooperative, hugo.id, hugo.id)
    assert second.status_code == 200 and sheet_names(second) == ["Hugo B."]
    assert working_yearly_cards(hugo) == 1
    assert tablet.client.get(f"/tablet/card/{first}").status_code == 403
    assert signs_in(tablet, printed[hugo.id])


def refused_and_nothing_written(response, message: str) -> None:
    assert response.status_code == 422
    shown = page(response)
    assert message in shown
    assert 'role="alert"' in shown and "<h1>CM1 A <small>Sign-in cards</small></h1>" in shown
    assert re.search(r'/cards" aria-current="page">Sign-in cards</a>', shown)


@pytest.mark.parametrize("case", ["nobody", "other_class", "departed", "deleted", "not_an_id"])
def test_a_choice_that_cannot_be_printed_prints_nothing(world, educator, tablet, class_cards, case):
    hugo = world.pupils[1]
    chosen = {
        "nobody": [],
        "other_class": [hugo.id, world.other_pupils[0].id],
        "departed": [hugo.id, world.pupils[2].id],
        "deleted": [hugo.id, world.pupils[3].id],
        "not_an_id": [hugo.id, "²"],
    }[case]
    if case == "departed":
        world.pupils[2].closed_at = utcnow()
        db.session.commit()
    if case == "deleted":  # removed from another tab after this one showed the page
        assert educator.client.post(f"/classes/pupils/{world.pupils[3].id}/remove").status_code == 302
    before = card_count()
    response = print_for(educator.client, world.cooperative, *chosen)
    message = {
        "nobody": "Nothing was printed: tick at least one pupil first.",
        "other_class": "Nothing was printed: a ticked pupil is no longer in this class.",
        "departed": "Nothing was printed: Inès D. has left the class. Check the ticked pupils and print again.",
        "deleted": "Nothing was printed: a ticked pupil is no longer in this class.",
        "not_an_id": "This choice no longer exists. Reload the page and try again.",
    }[case]
    refused_and_nothing_written(response, message)
    assert "Zoé" not in page(response)
    assert card_count() == before
    assert signs_in(tablet, class_cards[hugo.id])
    if case not in ("nobody", "not_an_id"):  # Hugo stays ticked for the next try
        assert re.search(rf'value="{hugo.id}" form="chosen-cards"[^>]*checked>', page(response))


def test_several_departed_pupils_are_named(world, educator, class_cards):
    for pupil in world.pupils[2:4]:
        pupil.closed_at = utcnow()
    db.session.commit()
    response = print_for(educator.client, world.cooperative, *(pupil.id for pupil in world.pupils[1:4]))
    refused_and_nothing_written(response, "Nothing was printed: Inès D., Lucas P. have left the class.")


@pytest.mark.parametrize("who", ["other_educator", "head", "pupil", "anonymous"])
def test_only_the_classs_educator_prints_chosen_cards(world, make_client, class_cards, who):
    visitor = make_client()
    if who == "pupil":
        visitor.pair_tablet(world.cooperative)
        assert visitor.sign_in_pupil(world.pupil).status_code == 302
    elif who != "anonymous":
        visitor.sign_in({"other_educator": world.other_educator, "head": world.head}[who].email)
    before = card_count()
    response = print_for(visitor.client, world.cooperative, world.pupils[1].id)
    if who == "anonymous":
        assert response.status_code == 302 and "/account/sign-in" in response.location
    else:
        assert response.status_code == 403
    assert card_count() == before


def test_an_archived_class_prints_no_chosen_card(world, educator):
    assert educator.client.post(f"/classes/{world.cooperative.id}/archive", data={"confirm": "y"}).status_code == 302
    assert print_for(educator.client, world.cooperative, world.pupils[1].id).status_code == 403
    assert card_count() == 0


def test_the_french_page_and_refusal(world, educator, class_cards):
    educator.client.post("/language", data={"language": "fr"})
    shown = page(educator.client.get(f"/classes/{world.cooperative.id}/cards"))
    assert "Imprimer les cartes des élèves cochés" in shown
    refused = page(print_for(educator.client, world.cooperative))
    assert "Rien n’a été imprimé" in refused


@pytest.fixture
def other_app(app, database_url):
    """A second app on the same database, whose threads have connections of their own, as gunicorn's would."""
    other = make_app(database_url)
    yield other
    with other.app_context():
        db.engine.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL.startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)")
def test_two_sheets_sent_at_once_leave_one_working_card(world, other_app, class_cards, monkeypatch):
    """A double click: the second sheet waits for the first, then stops its card; each pupil keeps one."""
    cooperative_id, hugo_id = world.cooperative.id, world.pupils[1].id
    held, release = threading.Event(), threading.Event()
    issue = pupil_sign_in.issue_card

    def issue_and_hold_the_first(pupil, now, temporary=False):
        token = issue(pupil, now, temporary)
        if not held.is_set():
            held.set()
            assert release.wait(WAIT_SECONDS)
        return token

    def print_sheet() -> None:
        pupils = pupil_sign_in.chosen_pupils(db.session.get(Cooperative, cooperative_id), [hugo_id])
        pupil_sign_in.issue_pupil_cards(pupils, utcnow())
        db.session.commit()

    monkeypatch.setattr(pupil_sign_in, "issue_card", issue_and_hold_the_first)
    first = started(other_app, print_sheet)
    assert held.wait(WAIT_SECONDS)
    second = started(other_app, print_sheet)
    second_waited = lock_waiter_seen(db.engine)
    release.set()
    first.outcome()
    second.outcome()
    assert second_waited, "the second sheet did not wait for the first"
    db.session.rollback()
    assert working_yearly_cards(db.session.get(Pupil, hugo_id)) == 1
