"""An educator's class: creating it, its roster (typed, pasted, CSV), cards, renaming and archiving."""

import html
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.domain.pictures import AVATARS, CODE_PICTURES
from app.domain.school_year import school_year_of
from app.extensions import db
from app.models import Cooperative, PairedTablet, Pupil, SignInCard
from app.models.types import utcnow
from app.services import classes, pupil_sign_in

BOM = b"\xef\xbb\xbf"


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def pupils_of(cooperative) -> list[Pupil]:
    return list(db.session.scalars(select(Pupil).where(Pupil.cooperative_id == cooperative.id)
                                   .order_by(Pupil.first_name)))


def pupil_count(cooperative) -> int:
    return db.session.scalar(select(func.count(Pupil.id)).where(Pupil.cooperative_id == cooperative.id))


def names_of(cooperative) -> list[str]:
    return sorted(pupil.display_name for pupil in pupils_of(cooperative) if pupil.closed_at is None)


def add_names(client, cooperative, text: str):
    return client.post(f"/classes/{cooperative.id}/pupils", data={"names": text})


def upload(client, cooperative, content: bytes, filename: str = "pupils.csv"):
    return client.post(f"/classes/{cooperative.id}/pupils/import", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def create_class(client, school, name: str, year: int | None = None):
    return client.post("/classes/new", data={"school_id": school.id, "name": name, "kind": "class",
                                             "school_year": year or school_year_of(utcnow().date())})


@pytest.fixture
def educator(world, act):
    """The educator of School A, signed in."""
    assert act.sign_in("teacher@a.example.org").status_code == 302
    return act


@pytest.fixture
def empty_class(world):
    cooperative = classes.create_cooperative(world.school, world.educator, "CE1 Les Hiboux",
                                             world.cooperative.school_year)
    db.session.commit()
    return cooperative


# Creating a class


def test_an_educator_creates_a_class(world, educator):
    response = create_class(educator.client, world.school, "  CM2 Les Colibris ", 2025)
    assert response.status_code == 302
    cooperative = db.session.scalars(select(Cooperative).where(Cooperative.name == "CM2 Les Colibris")).one()
    assert urlsplit(response.location).path == f"/classes/{cooperative.id}"
    assert (cooperative.school_id, cooperative.school_year, cooperative.educators) == (
        world.school.id, 2025, [world.educator])
    shown = page(educator.client.get(response.location))
    assert "The class is created. Now add its pupils." in shown
    assert "CM2 Les Colibris" in shown and "2025–2026" in shown


def test_the_same_class_name_twice_in_a_year_is_refused(world, educator):
    before = db.session.scalar(select(func.count(Cooperative.id)))
    response = create_class(educator.client, world.school, "CM1 A")
    assert response.status_code == 409
    assert "Your school already has a class with this name this year." in page(response)
    assert db.session.scalar(select(func.count(Cooperative.id))) == before
    assert create_class(educator.client, world.school, "CM1 A", world.cooperative.school_year + 1).status_code == 302


# Adding pupils by typing or pasting their names


def test_typed_names_become_pupils_with_a_code_and_an_avatar(educator, empty_class):
    response = add_names(educator.client, empty_class, "Léa Martin\n\n   \n  hugo b  \nJean-Pierre O'Neil\nAdam\n")
    assert response.status_code == 302
    assert "4 pupils added." in page(educator.client.get(response.location))
    assert names_of(empty_class) == ["Adam", "Hugo B.", "Jean-Pierre O.", "Léa M."]
    pupils = pupils_of(empty_class)
    codes = [pupil.picture_code for pupil in pupils]
    assert len(set(codes)) == len(pupils)
    for code in codes:
        keys = code.split("-")
        assert len(keys) == 4 and set(keys) <= set(CODE_PICTURES)
    avatars = [pupil.avatar for pupil in pupils]
    assert len(set(avatars)) == len(pupils) and set(avatars) <= set(AVATARS)


def test_new_pupils_never_reuse_a_code_of_the_class(world, educator):
    add_names(educator.client, world.cooperative, "\n".join(f"Nina {letter}" for letter in "ABCDEFGHJK"))
    codes = [pupil.picture_code for pupil in pupils_of(world.cooperative)]
    assert len(codes) == 16 and len(set(codes)) == 16


def test_bad_lines_are_all_named_and_nothing_is_added(world, educator):
    before = pupil_count(world.cooperative)
    names = "\n".join(["Nina R", "R2D2 Robot", "", "A" * 60 + " Long", "Léa Martin", "Tom Z", "tom z", "Ève"])
    response = add_names(educator.client, world.cooperative, names)
    assert response.status_code == 422
    shown = page(response)
    assert "Nothing was added. Correct these lines and send the list again:" in shown
    assert "Line 2 (R2D2 Robot): a name may contain only letters" in shown
    assert "Line 4 (" + "A" * 50 + "): the name is too long (at most 40 letters" in shown
    assert "Line 5 (Léa M): this pupil is already in the class" in shown
    assert "Line 7 (Tom Z): this pupil is already in the class or twice in the list" in shown
    for good_line in ("Line 1 ", "Line 3 ", "Line 6 ", "Line 8 "):
        assert good_line not in shown
    assert pupil_count(world.cooperative) == before
    assert "R2D2 Robot" in shown.split("<textarea", 1)[1]  # the list is kept for correcting


def test_an_empty_list_adds_nobody(world, educator):
    before = pupil_count(world.cooperative)
    response = add_names(educator.client, world.cooperative, "  \n\n ")
    assert response.status_code == 422
    assert pupil_count(world.cooperative) == before


def test_names_pasted_from_a_spreadsheet_are_understood(educator, empty_class):
    response = add_names(educator.client, empty_class, "Léa\tMartin\nHugo\tBernard\n")
    assert response.status_code == 302
    assert names_of(empty_class) == ["Hugo B.", "Léa M."]


# Importing a CSV file


def test_a_french_excel_csv_utf8_file_is_imported(educator, empty_class):
    content = BOM + "prénom;nom;année de naissance\r\nÉmile;Zola;2016\r\n;;\r\nchloé;Dupont-Aignan;\r\n".encode()
    response = upload(educator.client, empty_class, content)
    assert response.status_code == 302
    assert "2 pupils added." in page(educator.client.get(response.location))
    assert [(p.display_name, p.birth_year) for p in pupils_of(empty_class)] == [
        ("Chloé D.", None), ("Émile Z.", 2016)]


def test_a_comma_separated_file_with_english_headers_is_imported(educator, empty_class):
    response = upload(educator.client, empty_class, b"Last name,First name\nMartin,Lea\nBa,Ali\n", "list.txt")
    assert response.status_code == 302
    assert names_of(empty_class) == ["Ali BA.", "Lea M."]


def test_a_windows_encoded_file_is_refused_with_advice(world, educator):
    before = pupil_count(world.cooperative)
    response = upload(educator.client, world.cooperative, "prénom;nom\r\nÉlodie;Hébert\r\n".encode("cp1252"))
    assert response.status_code == 422
    assert "save it as “CSV UTF-8”" in page(response)
    assert pupil_count(world.cooperative) == before


def test_a_file_without_a_first_name_column_is_refused(world, educator):
    before = pupil_count(world.cooperative)
    response = upload(educator.client, world.cooperative, b"name;surname\nNina;Roux\n")
    assert response.status_code == 422
    assert "Line 1 (name, surname): no column is named “first name” (or “prénom”)" in page(response)
    assert pupil_count(world.cooperative) == before


def test_a_spreadsheet_file_is_refused(world, educator):
    before = pupil_count(world.cooperative)
    response = upload(educator.client, world.cooperative, b"PK\x03\x04 not a csv", "pupils.xlsx")
    assert response.status_code == 422
    assert "The file must be a .csv file." in page(response)
    assert pupil_count(world.cooperative) == before


def test_over_long_names_in_a_file_are_refused(world, educator):
    before = pupil_count(world.cooperative)
    content = ("first name;last name\nNina;Roux\n" + "B" * 41 + ";Roux\nNoa;" + "C" * 81 + "\n").encode()
    response = upload(educator.client, world.cooperative, content)
    assert response.status_code == 422
    shown = page(response)
    assert "Line 3 (" + "B" * 41 + "): the name is too long" in shown
    assert "Line 4 (Noa): the name is too long" in shown and "Line 2 " not in shown
    assert pupil_count(world.cooperative) == before


def test_a_bad_birth_year_is_refused(world, educator):
    response = upload(educator.client, world.cooperative, b"prenom;annee\nNina;12\n")
    assert response.status_code == 422
    assert "Line 2 (12): the birth year must be a year such as 2017" in page(response)


# Renaming, removing a pupil, a new code


def test_renaming_a_class(world, educator):
    response = educator.client.post(f"/classes/{world.cooperative.id}/rename", data={"name": "CM1 Les Lynx"})
    assert response.status_code == 302
    assert "The class is renamed." in page(educator.client.get(response.location))
    assert world.cooperative.name == "CM1 Les Lynx"


def test_renaming_to_a_name_taken_this_year_is_refused(world, educator, empty_class):
    response = educator.client.post(f"/classes/{empty_class.id}/rename", data={"name": "CM1 A"})
    assert response.status_code == 409
    assert "Your school already has a class with this name this year." in page(response)
    db.session.refresh(empty_class)
    assert empty_class.name == "CE1 Les Hiboux"


def test_removing_a_pupil_added_by_mistake(world, educator):
    pupil = world.pupils[1]
    response = educator.client.post(f"/classes/pupils/{pupil.id}/remove")
    assert response.status_code == 302
    assert "Hugo B. was removed from the class." in page(educator.client.get(response.location))
    assert db.session.get(Pupil, pupil.id) is None
    assert "Hugo B." not in names_of(world.cooperative) and len(names_of(world.cooperative)) == 5


def test_a_new_picture_code_is_different_and_unique(world, educator):
    pupil = world.pupil
    old = pupil.picture_code
    response = educator.client.post(f"/classes/pupils/{pupil.id}/new-code")
    assert response.status_code == 302 and response.location.endswith(f"#pupil-{pupil.id}")
    assert "Léa M. has a new picture code." in page(educator.client.get(response.location))
    db.session.refresh(pupil)
    assert pupil.picture_code != old
    codes = [other.picture_code for other in pupils_of(world.cooperative)]
    assert len(set(codes)) == len(codes)


# Sign-in cards


def test_printing_cards_gives_one_qr_per_pupil_and_voids_the_old_ones(world, educator, make_client):
    old_token = pupil_sign_in.issue_card(world.pupil, utcnow())
    db.session.commit()
    tablet = make_client()
    tablet.pair_tablet(world.cooperative)
    assert tablet.client.get(f"/tablet/card/{old_token}").status_code == 200

    response = educator.client.post(f"/classes/{world.cooperative.id}/cards")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    sheet = page(response)
    assert sheet.count("<svg") == len(world.pupils) == 6
    for pupil in world.pupils:
        assert f"<h2>{pupil.display_name}</h2>" in sheet
    valid = db.session.scalars(select(SignInCard).where(SignInCard.revoked_at.is_(None))).all()
    assert sorted(card.pupil_id for card in valid) == sorted(pupil.id for pupil in world.pupils)

    refused = tablet.client.get(f"/tablet/card/{old_token}")
    assert refused.status_code == 403
    assert "This card no longer works." in page(refused)


def test_a_temporary_card_for_one_pupil(world, educator):
    response = educator.client.post(f"/classes/pupils/{world.pupil.id}/temporary-card")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    sheet = page(response)
    assert sheet.count("<svg") == 1
    assert "Léa M." in sheet and "Temporary card, valid 12 hours" in sheet
    card = db.session.scalars(select(SignInCard)).one()
    assert card.pupil_id == world.pupil.id and card.kind == "temporary"
    assert timedelta(hours=11, minutes=59) < card.expires_at - utcnow() <= timedelta(hours=12)


def test_stopping_all_cards_of_the_class(world, educator, make_client):
    tokens = [pupil_sign_in.issue_card(pupil, utcnow()) for pupil in world.pupils[:2]]
    other_class_token = pupil_sign_in.issue_card(world.other_pupils[0], utcnow())
    db.session.commit()
    response = educator.client.post(f"/classes/{world.cooperative.id}/cards/revoke")
    assert response.status_code == 302
    assert "2 cards no longer work." in page(educator.client.get(response.location))
    tablet = make_client()
    tablet.pair_tablet(world.cooperative)
    for token in tokens:
        assert tablet.client.get(f"/tablet/card/{token}").status_code == 403
    other = db.session.scalars(select(SignInCard).where(SignInCard.pupil_id == world.other_pupils[0].id)).one()
    assert other.revoked_at is None and other_class_token


# Archiving at the end of the year


def test_archiving_needs_the_confirm_box(world, educator):
    response = educator.client.post(f"/classes/{world.cooperative.id}/archive", data={})
    assert response.status_code == 422
    assert "Tick the box to confirm." in page(response)
    db.session.refresh(world.cooperative)
    assert world.cooperative.archived_at is None
    assert all(pupil.closed_at is None for pupil in pupils_of(world.cooperative))


def test_archiving_closes_pupils_unpairs_tablets_and_freezes_the_class(world, educator, make_client):
    tablet = make_client()
    tablet.pair_tablet(world.cooperative)
    assert tablet.client.get("/tablet/").status_code == 200
    pupil_sign_in.issue_card(world.pupil, utcnow())
    db.session.commit()

    response = educator.client.post(f"/classes/{world.cooperative.id}/archive", data={"confirm": "y"})
    assert response.status_code == 302
    assert db.session.scalars(select(SignInCard)).one().revoked_at is not None
    db.session.refresh(world.cooperative)
    assert world.cooperative.archived_at is not None
    assert all(pupil.closed_at is not None for pupil in pupils_of(world.cooperative))
    assert all(t.revoked_at is not None for t in db.session.scalars(select(PairedTablet)))

    unpaired = tablet.client.get("/tablet/")
    assert unpaired.status_code == 403
    assert "This tablet is not paired with a class" in page(unpaired)

    shown = page(educator.client.get(f"/classes/{world.cooperative.id}"))
    assert "This class is archived" in shown
    for form in ("Add these pupils", "Import a CSV file", "Rename the class", "Archive the class", "New code"):
        assert form not in shown


def test_an_archived_class_cannot_be_managed(world, educator):
    cooperative_id, pupil_id = world.cooperative.id, world.pupil.id
    educator.client.post(f"/classes/{cooperative_id}/archive", data={"confirm": "y"})
    before = pupil_count(world.cooperative)
    attempts = [
        (f"/classes/{cooperative_id}/pupils", {"names": "Nina R"}),
        (f"/classes/{cooperative_id}/rename", {"name": "Renamed"}),
        (f"/classes/{cooperative_id}/cards", {}),
        (f"/classes/{cooperative_id}/cards/chosen", {"pupils": pupil_id}),
        (f"/classes/{cooperative_id}/archive", {"confirm": "y"}),
        (f"/classes/pupils/{pupil_id}/new-code", {}),
        (f"/classes/pupils/{pupil_id}/remove", {}),
        (f"/classes/pupils/{pupil_id}/temporary-card", {}),
    ]
    for url, data in attempts:
        assert educator.client.post(url, data=data).status_code == 403, url
    assert pupil_count(world.cooperative) == before
    assert world.cooperative.name == "CM1 A"
    assert db.session.scalar(select(func.count(SignInCard.id))) == 0


def test_an_archived_class_still_shows_who_was_in_it(world, educator):
    educator.client.post(f"/classes/{world.cooperative.id}/archive", data={"confirm": "y"})
    shown = page(educator.client.get(f"/classes/{world.cooperative.id}"))
    assert "Add them below" not in shown
    assert "Léa M." in shown


# Names are text, never markup


def test_markup_in_a_pupil_name_is_refused_and_shown_escaped(world, educator):
    before = pupil_count(world.cooperative)
    response = add_names(educator.client, world.cooperative, "<script>alert(1)</script> X\nNina <b>R</b>")
    assert response.status_code == 422
    raw = response.get_data(as_text=True)
    assert "<script>alert(1)" not in raw and "<b>R</b>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert pupil_count(world.cooperative) == before


def test_markup_in_a_file_is_refused(world, educator):
    before = pupil_count(world.cooperative)
    response = upload(educator.client, world.cooperative, b"first name\n<img src=x onerror=alert(1)>\n")
    assert response.status_code == 422
    assert "<img src=x" not in response.get_data(as_text=True)
    assert pupil_count(world.cooperative) == before


def test_markup_in_a_class_name_is_shown_as_text(world, educator):
    response = create_class(educator.client, world.school, "CM2 <script>alert(2)</script>")
    assert response.status_code == 302
    for url in (response.location, "/classes/"):
        raw = educator.client.get(url).get_data(as_text=True)
        assert "<script>alert(2)" not in raw
        assert "CM2 &lt;script&gt;alert(2)&lt;/script&gt;" in raw
