"""Every download (register CSVs, treasury CSV, class data) and every page with pupils' codes: no formula reaches a
spreadsheet, the register reads in the reader's language, and nothing is kept in a cache."""

import csv
import io

import pytest

from app.domain.treasury import Draft, first_day
from app.extensions import db
from app.models.types import utcnow
from app.services import register, treasury

FORMULA = '=HYPERLINK("http://x.example","y")'
COLUMNS = 11


def decide(cooperative, text: str, method: str = "consensus", **fields):
    decision = register.record_decision(cooperative, register.NewDecision(text, method, **fields), "Teacher A")
    db.session.commit()
    return decision


def in_language(actions, language: str):
    actions.client.post("/language", data={"language": language})
    return actions


def rows_of(response, delimiter: str) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def plain(text: str) -> str:
    """French typography's no-break spaces read as spaces, so a test names the words, not the space."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def register_exports(world):
    return {"class": f"/register/classes/{world.cooperative.id}/register.csv",
            "school": f"/register/schools/{world.school.id}/register.csv"}


# No formula reaches a spreadsheet


@pytest.mark.parametrize("export", ["class", "school"])
@pytest.mark.parametrize("language, delimiter", [("en", ","), ("fr", ";")])
def test_a_decision_written_as_a_formula_is_shown_as_text(world, head, export, language, delimiter):
    decide(world.cooperative, FORMULA)
    rows = rows_of(in_language(head, language).client.get(register_exports(world)[export]), delimiter)
    assert [row[4] for row in rows[1:]] == ["'" + FORMULA]


def test_a_candidate_named_as_a_formula_does_not_make_the_figures_a_formula(world, educator):
    decide(world.cooperative, "Élection des délégués", "election", rule="plurality", figures={"@SUM(A1:A9)": 3})
    rows = rows_of(educator.client.get(register_exports(world)["class"]), ",")
    assert rows[1][7] == "'@SUM(A1:A9): 3"


@pytest.mark.parametrize("language, delimiter", [("en", ","), ("fr", ";")])
def test_treasury_free_text_written_as_a_formula_is_shown_as_text(world, educator, language, delimiter):
    decision = decide(world.cooperative, FORMULA)
    day = first_day(world.cooperative.school_year)
    treasury.record_entry(world.cooperative, Draft("expense", "programmes_events", day, 1250, FORMULA, decision.id),
                          world.educator, utcnow())
    db.session.commit()
    response = in_language(educator, language).client.get(f"/treasury/classes/{world.cooperative.id}/treasury.csv")
    header, spent = rows_of(response, delimiter)
    assert spent[4] == "'" + FORMULA and not spent[5].startswith(("=", "'"))
    assert spent[2] == ("12,50" if language == "fr" else "12.50")


# The register in the reader's language


@pytest.fixture
def decisions(world):
    pupil = world.pupils[1]
    vote = decide(world.cooperative, "Planter un jardin", "secret_ballot", rule="simple",
                  figures={"for": 4, "against": 2, "abstain": 1, "eligible": 7, "participants": 7})
    decide(world.cooperative, "Délégués : Hugo B.", "election", rule="majority_judgment", responsible=(pupil,))
    register.follow_up(vote, "in_progress", "", "Teacher A")
    db.session.commit()
    return vote


@pytest.mark.parametrize("export", ["class", "school"])
def test_a_french_head_reads_the_register_in_french_with_semicolons(world, head, decisions, export):
    response = in_language(head, "fr").client.get(register_exports(world)[export])
    assert response.data.decode("utf-8-sig").splitlines()[0].count(";") == COLUMNS - 1
    header, election, vote = (list(map(plain, row)) for row in rows_of(response, ";"))
    assert header == ["Numéro", "Date", "Classe", "Année scolaire", "Décision", "Mode de décision", "Règle",
                      "Chiffres", "Responsables", "Échéance", "Statut"]
    assert vote[4:8] == ["Planter un jardin", "Vote à bulletin secret",
                         "Majorité simple : plus de voix pour que contre",
                         "Inscrits : 7 · Votants : 7 · Pour : 4 · Contre : 2 · Abstention : 1"]
    assert vote[10] == "En cours"
    assert election[5] == "Élection" and election[6].startswith("Jugement majoritaire : ")
    assert election[8] == "Hugo B." and election[10] == "À faire"


def test_an_english_reader_gets_commas_and_english_words(world, educator, decisions):
    header, election, vote = rows_of(in_language(educator, "en").client.get(register_exports(world)["class"]), ",")
    assert header[5:8] == ["Method", "Rule", "Figures"] and len(header) == COLUMNS
    assert vote[5:8] == ["Secret ballot", "Simple majority: more For than Against",
                         "Members: 7 · Took part: 7 · For: 4 · Against: 2 · Abstain: 1"]
    assert vote[10] == "In progress"
    assert election[5:7] == ["Election", "Majority judgment: give each candidate a grade"] and election[10] == "To do"


def test_the_decision_page_shows_the_figures_as_the_export_does(world, educator, decisions):
    page = in_language(educator, "fr").client.get(f"/register/decisions/{decisions.id}").get_data(as_text=True)
    assert "Inscrits : 7 · Votants : 7 · Pour : 4 · Contre : 2 · Abstention : 1" in plain(page)


# Nothing kept in a cache


NEVER_CACHED = [  # (who, method, url, form): every page with pupils' codes or cards, and every download
    ("educator", "get", "/classes/{c}", None),
    ("educator", "post", "/classes/{c}/rename", {"name": ""}),
    ("educator", "post", "/classes/{c}/pupils", {"names": "!!!"}),
    ("educator", "get", "/classes/{c}/cards", None),
    ("educator", "post", "/classes/{c}/cards", {}),
    ("educator", "post", "/classes/pupils/{p}/temporary-card", {}),
    ("educator", "post", "/classes/{c}/tablets/pairing-link", {}),
    ("educator", "get", "/classes/{c}/export.json", None),
    ("educator", "get", "/register/classes/{c}/register.csv", None),
    ("educator", "get", "/treasury/classes/{c}/treasury.csv", None),
    ("head", "get", "/classes/{c}", None),
    ("head", "get", "/register/schools/{s}/register.csv", None),
]


@pytest.mark.parametrize("who, method, url, form", NEVER_CACHED)
def test_pages_with_codes_and_every_download_are_never_cached(world, educator, head, who, method, url, form):
    actions = {"educator": educator, "head": head}[who]
    url = url.format(c=world.cooperative.id, s=world.school.id, p=world.pupil.id)
    response = getattr(actions.client, method)(url, data=form)
    assert response.status_code in (200, 422)
    assert response.headers.get("Cache-Control") == "no-store"


def test_downloads_are_attachments_named_after_their_class(world, educator):
    c = world.cooperative.id
    for url, filename in ((f"/classes/{c}/export.json", f"class-{c}.json"),
                          (f"/register/classes/{c}/register.csv", f"register-{c}.csv"),
                          (f"/treasury/classes/{c}/treasury.csv", f"treasury-{c}-{world.cooperative.school_year}.csv")):
        response = educator.client.get(url)
        assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_a_signed_out_visitor_gets_no_export(world, client):
    response = client.get(f"/register/classes/{world.cooperative.id}/register.csv")
    assert response.status_code in (302, 401) and "Content-Disposition" not in response.headers
