"""The bad values that used to answer 500: each now gets a 4xx with a sentence, and nothing is saved."""

import html
import io

from flask import current_app
from sqlalchemy import func, select

from app.domain.roster import MAX_CLASS_SIZE
from app.extensions import db
from app.models import Assembly, Ballot, Decision, Message, Pupil, TreasuryEntry
from app.models.types import utcnow
from app.services import assemblies, messages, polls

BIG = str(2**63)


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def name(number: int) -> str:
    """A first name of letters only, one for each number."""
    return "Pupil" + "".join(chr(ord("a") + int(digit)) for digit in f"{number:04d}")


def test_a_csv_of_3300_pupils_is_refused_whole_with_the_limit(world, educator):
    rows = "".join(f"{name(number)};M;2016\n" for number in range(3300))
    before = count(Pupil)
    response = educator.client.post(f"/classes/{world.cooperative.id}/pupils/import",
                                    data={"file": (io.BytesIO(f"prénom;nom;année\n{rows}".encode()), "big.csv")},
                                    content_type="multipart/form-data")
    assert response.status_code == 422
    assert (f"A class has at most {MAX_CLASS_SIZE} pupils, and this list would bring it to 3306. Add only the pupils "
            "of this class.") in page(response)
    assert count(Pupil) == before and page(response).count("<li>") < 50


def test_typed_names_beyond_the_class_limit_are_refused_in_french(world, educator):
    names = "\n".join(name(number) for number in range(MAX_CLASS_SIZE))
    response = educator.client.post(f"/classes/{world.cooperative.id}/pupils", data={"names": names},
                                    headers={"Accept-Language": "fr"})
    assert response.status_code == 422
    assert f"Une classe compte au plus {MAX_CLASS_SIZE} élèves" in page(response)


def test_a_csv_birth_year_in_other_digits_is_a_bad_line(world, educator):
    response = educator.client.post(f"/classes/{world.cooperative.id}/pupils/import",
                                    data={"file": (io.BytesIO("prénom;année\nNina;²\nMalo;٢٠١٦\n".encode()), "a.csv")},
                                    content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Line 2 (²): the birth year" in page(response) and "Line 3 (٢٠١٦): the birth year" in page(response)


def _open_election(world, method: str):
    poll = polls.create_election(world.cooperative, "Delegate", method, 1, world.pupils[:3], world.educator)
    polls.open_poll(poll, world.educator, utcnow(), current_app.config["BALLOT_KEY_SECRET"].encode())
    db.session.commit()
    return poll


def test_grades_and_ranks_in_other_digits_are_not_a_ballot(world, tablet):
    graded, ranked = _open_election(world, "majority_judgment"), _open_election(world, "schulze")
    tablet.sign_in_pupil(world.pupil)
    missing = {"grade": "Give a grade to every candidate, or tap “Blank vote”.",
               "rank": "Give each candidate a number from 1, or tap “Blank vote”."}
    for poll, field, values in ((graded, "grade", ("²", "٣", "9" * 5000, "6", "-1")),
                                (ranked, "rank", ("²", "٣", BIG, "4", "0"))):
        keys = polls.candidate_ids(poll)
        for value in values:
            choice = {f"{field}-{key}": "1" for key in keys} | {f"{field}-{keys[0]}": value}
            for step in ("confirm", "cast"):
                response = tablet.client.post(f"/tablet/vote/{poll.id}/{step}", data=choice)
                assert response.status_code == 422, (field, value, step)
                assert missing[field] in page(response)
    assert count(Ballot) == 0


def test_a_picture_code_with_a_trailing_newline_starts_again(world, tablet):
    for picks in ("12\n", "1\n", " ", "١٢"):
        response = tablet.client.post(f"/tablet/pupils/{world.pupil.id}/code", data={"picks": picks, "pick": "1"})
        assert response.status_code == 400 and "Something went wrong. Start again." in page(response)
    assert tablet.client.post(f"/tablet/pupils/{world.pupil.id}/code", data={"picks": "12", "pick": "٣"}).status_code \
        == 400


def test_responsible_pupils_that_cannot_exist_are_refused(world, educator):
    for raw in ("²", BIG, str(2**31), "0", str(world.other_pupils[0].id)):
        response = educator.client.post(f"/register/classes/{world.cooperative.id}/decisions",
                                        data={"text": "Tidy up", "responsible": [str(world.pupil.id), raw]})
        assert response.status_code == 400
        assert "A responsible pupil must be a member of the class." in page(response)
    assert count(Decision) == 0


def test_a_due_date_far_away_is_explained(world, educator):
    response = educator.client.post(f"/register/classes/{world.cooperative.id}/decisions",
                                    data={"text": "Tidy up", "due_on": "0001-01-01"}, follow_redirects=True)
    assert "Choose a day between the years 2000 and 2200." in page(response) and count(Decision) == 0


def test_an_assembly_in_year_1_or_on_the_30th_of_february_is_explained(world, educator):
    url = f"/assemblies/classes/{world.cooperative.id}"
    for day, sentence in (("0001-01-01", "Choisissez un jour entre les années 2000 et 2200."),
                          ("9999-12-31", "Choisissez un jour entre les années 2000 et 2200."),
                          ("2027-02-30", "Choisissez un jour du calendrier, écrit comme 2027-01-12.")):
        response = educator.client.post(url, data={"day": day, "at": "00:00"}, headers={"Accept-Language": "fr"})
        assert response.status_code == 422 and sentence in page(response)
    assert count(Assembly) == 0


def test_numbers_typed_in_other_digits_are_explained(world, educator):
    planned = assemblies.plan_assembly(world.cooperative, utcnow(), "Library", utcnow())
    db.session.commit()
    response = educator.client.post(f"/assemblies/{planned.id}/items", data={"title": "Trip", "minutes": "٣"})
    assert response.status_code == 422 and "Write a whole number, with the digits 0 to 9 only." in page(response)
    response = educator.client.post(f"/assemblies/{planned.id}/items", data={"title": "Trip", "minutes": BIG},
                                    headers={"Accept-Language": "fr"})
    assert "Écrivez un nombre entier, avec les chiffres 0 à 9 seulement." in page(response)


def test_hidden_message_ids_that_cannot_exist_are_not_found(world, educator):
    planned = assemblies.plan_assembly(world.cooperative, utcnow(), "Library", utcnow())
    proposal = messages.post_message(world.pupil, "propose", "A garden", utcnow())
    proposal.status = "approved"
    assemblies.add_message_item(planned, proposal)
    db.session.commit()
    item = next(item for item in planned.items if item.message_id == proposal.id)
    for raw in (BIG, str(2**31), "²"):
        added = educator.client.post(f"/assemblies/{planned.id}/items/from-message", data={"message_id": raw})
        voted = educator.client.post(f"/assemblies/items/{item.id}/put-to-vote", data={"message_id": raw})
        assert added.status_code == voted.status_code == 404
        assert "This is not one of the votes on this proposal. Reload the page and try again." in page(voted)


def test_merging_into_a_message_that_cannot_exist_is_explained(world, educator):
    duplicate = messages.post_message(world.pupil, "wish", "More books", utcnow())
    db.session.commit()
    response = educator.client.post(f"/messages/{duplicate.id}/merge", data={f"m{duplicate.id}-into": BIG})
    assert response.status_code == 422 and "Choose another message of the same column to merge with." in page(response)
    assert db.session.get(Message, duplicate.id).status == "pending"


def test_an_expense_citing_a_decision_that_cannot_exist_is_explained(world, educator):
    response = educator.client.post(f"/treasury/classes/{world.cooperative.id}/expense", data={
        "occurred_on": utcnow().date().isoformat(), "amount": "5", "category": "programmes_events",
        "description": "Seeds", "decision": BIG})
    assert response.status_code == 422 and "Choose a decision from the list." in page(response)
    assert count(TreasuryEntry) == 0


def test_the_register_search_reads_ascii_page_numbers_only(world, educator):
    for query in (f"page={BIG}", "page=٢", "year=²", f"year={'9' * 5000}"):
        response = educator.client.get(f"/register/classes/{world.cooperative.id}?{query}")
        assert response.status_code == 400 and "This search cannot be done" in page(response)


def test_a_row_number_in_other_digits_is_not_a_row(world, educator):
    planned = assemblies.plan_assembly(world.cooperative, utcnow(), "Library", utcnow())
    assemblies.open_assembly(planned, utcnow())
    db.session.commit()
    response = educator.client.post(f"/assemblies/{planned.id}/minutes", data={"text": "Notes", "outcomes-²": "x"})
    assert response.status_code == 302 and db.session.get(Assembly, planned.id).minutes_text == "Notes"


def test_a_nul_character_is_refused_before_it_reaches_the_database(world, educator, tablet):
    response = educator.client.post(f"/classes/{world.cooperative.id}/rename", data={"name": "CM1\x00 B"},
                                    headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert "contient un caractère invisible (NUL) qui ne peut pas être enregistré" in page(response)
    tablet.sign_in_pupil(world.pupil)
    assert tablet.client.post("/messages/new/propose", data={"text": "A\x00garden"}).status_code == 400
    assert educator.client.get(f"/register/classes/{world.cooperative.id}?q=a%00b").status_code == 400
    assert count(Message) == 0 and world.cooperative.name == "CM1 A"
