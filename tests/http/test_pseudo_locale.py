"""Every string a French user sees goes through the catalogue: the pages are rendered with a pseudo-catalogue that
marks each translated string ⟦like this⟧, and any visible word left unmarked that is not data (a name, a class, a
question someone typed, a date, a number) fails the test with the page and the words."""

import re
import zoneinfo
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.dates import get_day_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import String, Text, select

from app.extensions import babel, db
from app.models.types import utcnow
from app.services import polls
from tests.conftest import Actions, World, app_configured
from tests.http.test_authorization import ROLES, _become, _requests

ROOT = Path(__file__).resolve().parents[2]
OPEN, CLOSE = "⟦", "⟧"
VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
# Names of things, the same in every language, and each language's own name on the language switch.
NOT_WORDS = {"Agora", "CSV", "JSON", "PDF", "QR", "OCCE", "English", "Français"}


def pseudo_catalogue(folder: Path) -> Path:
    """The French catalogue's ids, each translated as itself between markers, served as French (with English plural
    forms: one form for one, the other for the rest, as the ids themselves)."""
    french = read_po((ROOT / "app/translations/fr/LC_MESSAGES/messages.po").open("rb"))
    pseudo = Catalog(locale="en")
    for message in french:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            pseudo.add(tuple(message.id), tuple(f"{OPEN}{text}{CLOSE}" for text in (message.id[0], message.id[1])))
        else:
            pseudo.add(message.id, f"{OPEN}{message.id}{CLOSE}")
    target = folder / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as mo:
        write_mo(mo, pseudo)
    return folder


class VisibleText(HTMLParser):
    """The text a person sees or hears: text outside scripts and styles, and the labels in a few attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self.hidden += 1
        self.chunks.extend(value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.chunks.append(data)


def data_in_database() -> list[str]:
    """Every text stored in the database: names, questions, messages, minutes… shown as they were typed."""
    values = []
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, String | Text)]
        if columns:
            for row in db.session.execute(select(*columns)):
                values.extend(value for value in row if isinstance(value, str) and len(value.strip()) > 1)
    values.extend(zoneinfo.available_timezones())  # time zones are shown by their IANA names
    return sorted(set(values), key=len, reverse=True)


def french_calendar_words() -> set[str]:
    words = set()
    for width in ("wide", "abbreviated"):
        for names in (get_month_names(width, locale="fr"), get_day_names(width, locale="fr")):
            words.update(name.strip(".").lower() for name in names.values())
    return words | {"à", "h", "er"}  # "er" of "1er septembre", written by the date pattern


def without_marked(text: str) -> str:
    """The text with every marked string taken out, innermost first (a translated sentence may hold others)."""
    while True:
        shorter = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
        if shorter == text:
            return text
        text = shorter


def unmarked_words(page: str, data: list[str], calendar: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    text = without_marked("\n".join(parser.chunks))  # a marked sentence may span tags: <strong> inside it
    for value in data:
        text = text.replace(value, " ")
    words = re.findall(r"[^\W\d_]{2,}", text)
    return [word for word in words if word not in NOT_WORDS and word.lower() not in calendar]


@pytest.fixture
def pseudo_app(database_url, _schema, tmp_path):
    """An app reading the pseudo-catalogue. Flask-Babel keeps loaded catalogues by locale for the whole process, so
    the French one other tests loaded is forgotten before, and the pseudo one after."""
    folder = pseudo_catalogue(tmp_path / "translations")
    with app_configured(database_url, BABEL_TRANSLATION_DIRECTORIES=str(folder)) as app:
        with app.app_context():  # the first look at Flask-Babel's domain needs an app
            translations = babel.domain_instance.get_translations_cache(None)
        translations.clear()
        yield app
    translations.clear()


def booths_of_every_election_method(world: World) -> dict[str, tuple]:
    """An open election of each method, so that grades, ranks and ticks are on the pages too."""
    booths = {}
    for method in ("plurality", "approval", "majority_judgment", "schulze"):
        poll = polls.create_election(world.cooperative, f"Delegate by {method}", method, 1, world.pupils[:3],
                                     world.educator)
        polls.open_poll(poll, world.educator, utcnow(), b"a server secret")
        booths[f"booth.vote ({method})"] = ("GET", f"/tablet/vote/{poll.id}", {}, {"pupil"})
    db.session.commit()
    return booths


@pytest.mark.parametrize("role", [role for role in ROLES if role not in ("other_pupil", "other_educator")])
def test_every_page_a_french_user_sees_is_translated(pseudo_app, role):
    world = World()
    requests = {**_requests(world), **booths_of_every_election_method(world)}
    visitor = Actions(pseudo_app.test_client())
    visitor.client.post("/language", data={"language": "fr"})
    _become(role, world, visitor)
    data, calendar = data_in_database(), french_calendar_words()
    untranslated, checked = {}, set()
    for endpoint, (method, url, _form, allowed) in sorted(requests.items()):
        if method != "GET" or role not in allowed:
            continue
        response = visitor.client.get(url)
        if response.mimetype != "text/html" or response.status_code >= 300:
            continue
        checked.add(endpoint)
        words = unmarked_words(response.get_data(as_text=True), data, calendar)
        if words:
            untranslated[endpoint] = sorted(set(words))
    assert untranslated == {}
    assert len(checked) >= 3, checked  # the role's pages were really read
    assert role != "pupil" or "booth.vote (majority_judgment)" in checked
