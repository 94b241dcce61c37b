"""The treasury's CSV export: UTF-8 with a byte-order mark, amounts and separators in the page's language,
cancelled entries kept apart so the spreadsheet's sums match the page, no formula smuggled in."""

import csv
import io

import pytest

from app.domain.treasury import Draft, first_day
from app.extensions import db
from app.models import Decision
from app.models.types import utcnow
from app.services import treasury
from tests.conftest import PASSWORD


@pytest.fixture
def educator(world, make_client):
    actions = make_client()
    actions.sign_in(world.educator.email, PASSWORD)
    return actions


@pytest.fixture
def entries(world):
    day = first_day(world.cooperative.school_year)
    decision = Decision(cooperative=world.cooperative, text="Sortie à la ferme", method="consensus")
    db.session.add(decision)
    db.session.flush()
    now = utcnow()
    treasury.record_entry(world.cooperative, Draft("income", "fundraising", day, 123450, "Fête de l'école"),
                          world.educator, now)
    treasury.record_entry(world.cooperative, Draft("expense", "programmes_events", day, 1250, "=cmd|' /C calc'!A0",
                                                   decision.id), world.educator, now)
    mistake = treasury.record_entry(world.cooperative, Draft("income", "donation", day, 500, "Doublon"),
                                    world.educator, now)
    treasury.cancel_entry(mistake, world.educator, "Saisi deux fois", now)
    db.session.commit()


def download(educator, world, language: str):
    educator.client.post("/language", data={"language": language})
    response = educator.client.get(f"/treasury/classes/{world.cooperative.id}/treasury.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def test_french_export_opens_in_a_french_spreadsheet(world, educator, entries):
    data = download(educator, world, "fr")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4 and len(rows[0]) == 10
    fundraising, spent, cancelled = rows[1:]
    assert fundraising[1] == "1234,50" and fundraising[4] == "Fête de l'école"
    assert spent[2] == "12,50" and "Sortie à la ferme" in spent[5]
    assert cancelled[1] == "" and cancelled[6] == "5,00" and "Saisi deux fois" in cancelled[7]


def test_english_export_uses_points_and_commas(world, educator, entries):
    rows = list(csv.reader(io.StringIO(download(educator, world, "en").decode("utf-8-sig"))))
    assert rows[0][:3] == ["Date", "Money in", "Money out"]
    assert rows[1][1] == "1234.50" and rows[2][2] == "12.50"
    assert rows[1][0] == first_day(world.cooperative.school_year).isoformat()


def test_free_text_never_starts_a_formula(world, educator, entries):
    rows = list(csv.reader(io.StringIO(download(educator, world, "en").decode("utf-8-sig"))))
    assert rows[2][4].startswith("'=")


def test_only_the_class_and_its_school_head_download(world, entries, make_client):
    url = f"/treasury/classes/{world.cooperative.id}/treasury.csv"
    for person, status in ((world.head, 200), (world.other_educator, 403), (world.other_head, 403),
                           (world.admin, 403)):
        actions = make_client()
        actions.sign_in(person.email, PASSWORD)
        assert actions.client.get(url).status_code == status
