"""The educator's "Our year" page: the figures of a class with two councils, who may see it, and the speakers
queue that gives the floor first to those who spoke least over the year."""

from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest

from app.extensions import db
from app.models.types import utcnow
from app.services import assemblies, messages, polls, register, speakers


class _Tables(HTMLParser):
    """Each table's rows as lists of cell texts, keyed by the table's caption."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self.tables[self._caption.strip()] = self._rows

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def tables_of(page: str) -> dict[str, list[list[str]]]:
    reader = _Tables()
    reader.feed(page)
    return reader.tables


def _at(world, month: int, day: int, hour: int = 9) -> datetime:
    year = world.cooperative.school_year + (0 if month >= 9 else 1)
    return datetime(year, month, day, hour, tzinfo=UTC)


def _council(world, when: datetime, roles: dict[str, int], turns: list[int]):
    """A council held and closed on that day: these pupils in these roles, these pupils speaking in turn."""
    assembly = assemblies.plan_assembly(world.cooperative, when, "Classroom", when)
    assemblies.set_roles(assembly, {(role, 1): world.pupils[index].id for role, index in roles.items()})
    assemblies.open_assembly(assembly, when)
    for index in turns:
        speakers.ask_to_speak(assembly, world.pupils[index], when)
        speakers.call_next(assembly)
    assemblies.close_assembly(assembly, when + timedelta(hours=1))
    return assembly


def _decision(world, text: str, due_on: date | None, status: str | None = None, on: datetime | None = None):
    decision = register.record_decision(world.cooperative, register.NewDecision(text, "consensus", due_on=due_on),
                                        "Teacher A", _at(world, 10, 1))
    if status:
        register.follow_up(decision, status, "", "Teacher A", on)
    return decision


def fill_the_year(world):
    """Two councils (Léa chairs both, Hugo keeps the minutes once, Inès gives the floor then leaves the class),
    five messages over three months, a decision in every standing — and a secret ballot that must not count."""
    _council(world, _at(world, 10, 5), {"chair": 0, "secretary": 1, "speaker_giver": 2}, [0, 0, 1])
    _council(world, _at(world, 11, 9), {"chair": 0, "timekeeper": 3}, [0, 2])
    for kind, when in (("congratulate", _at(world, 9, 15)), ("congratulate", _at(world, 10, 2)),
                       ("propose", _at(world, 10, 3)), ("criticise", _at(world, 10, 20)), ("wish", _at(world, 11, 4))):
        messages.post_message(world.pupils[4], kind, "Text", when)
    today = date.today()
    _decision(world, "On time", _at(world, 10, 31).date(), "done", _at(world, 10, 20))
    _decision(world, "Late", _at(world, 10, 10).date(), "done", _at(world, 10, 25))
    _decision(world, "Overdue", today - timedelta(days=1))
    _decision(world, "Not yet due", today + timedelta(days=30), "in_progress", _at(world, 10, 2))
    _decision(world, "Dropped", None, "dropped", _at(world, 10, 3))
    poll = polls.create_motion(world.cooperative, "A pet?", "simple", None, world.educator)
    polls.open_poll(poll, world.educator, utcnow(), b"secret")
    world.pupils[2].closed_at = utcnow()
    db.session.commit()
    return world


@pytest.fixture
def year(world):
    return fill_the_year(world)


def _page(client, cooperative_id: int) -> str:
    response = client.get(f"/year/classes/{cooperative_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_roles_table_counts_each_role_and_names_who_never_held_one(year, educator):
    page = _page(educator.client, year.cooperative.id)
    roles = tables_of(page)["Roles held in this year's councils"]
    assert roles[0] == ["Pupil", "Chair", "Secretary", "Timekeeper", "Speaker-giver", "Treasurer", "Teller", "Total"]
    by_pupil = {row[0]: row[1:] for row in roles[1:]}
    assert by_pupil["Léa M."] == ["2", "0", "0", "0", "0", "0", "2"]
    assert by_pupil["Hugo B."] == ["0", "1", "0", "0", "0", "0", "1"]
    assert by_pupil["Lucas P."] == ["0", "0", "1", "0", "0", "0", "1"]
    assert by_pupil["A pupil who left (1)"] == ["0", "0", "0", "1", "0", "0", "1"]
    assert "Never held a role:</strong> Adam G., Jade F.</p>" in page
    assert "Inès" not in page
    assert "2 councils held." in page


def test_speaking_turns_add_up_over_the_year(year, educator):
    turns = tables_of(_page(educator.client, year.cooperative.id))["Speaking turns in this year's councils"]
    assert dict(turns[1:]) == {"Adam G.": "0", "Hugo B.": "1", "Jade F.": "0", "Léa M.": "3", "Lucas P.": "0",
                               "A pupil who left (1)": "1"}


def test_messages_are_counted_by_month_and_column_from_september_to_june(year, educator):
    months = tables_of(_page(educator.client, year.cooperative.id))["Messages posted each month"]
    assert months[0][1:] == ["👏 I congratulate", "😟 I criticise", "🌟 I would like", "💡 I propose",
                             "✏️ Change to a proposal", "Total"]
    assert [row[0].split()[0] for row in months[1:]] == ["September", "October", "November", "December", "January",
                                                           "February", "March", "April", "May", "June"]
    assert months[1][1:] == ["1", "0", "0", "0", "0", "1"]
    assert months[2][1:] == ["1", "1", "0", "1", "0", "3"]
    assert months[3][1:] == ["0", "0", "1", "0", "0", "1"]


def test_decisions_are_counted_by_how_they_were_kept(year, educator):
    decisions = tables_of(_page(educator.client, year.cooperative.id))["This year's decisions"]
    assert decisions == [["Done on time", "1"], ["Done late", "1"], ["Still open, overdue", "1"],
                         ["Still open, not yet due", "1"], ["Dropped", "1"], ["Total", "5"]]


def test_each_chart_is_an_svg_with_a_title_and_the_page_has_no_script(year, educator):
    page = _page(educator.client, year.cooperative.id)
    for chart in ("roles-chart", "turns-chart", "messages-chart", "decisions-chart"):
        assert f'aria-labelledby="{chart}-title"' in page and f'<title id="{chart}-title">' in page
    assert page.count('class="chart-segment') == 5  # one a month and column with messages
    assert "<script>" not in page and "A pet?" not in page


def test_the_page_is_in_french_for_a_french_educator(year, educator):
    educator.client.post("/language", data={"language": "fr"})
    page = _page(educator.client, year.cooperative.id)
    assert "Notre année" in page and "Prises de parole" in page


@pytest.mark.parametrize("who, status", [("educator", 200), ("head", 200), ("other_educator", 403),
                                         ("other_head", 403), ("admin", 403)])
def test_only_the_class_educators_and_its_head_see_the_year(year, make_client, who, status):
    visitor = make_client()
    visitor.sign_in(getattr(year, who).email)
    assert visitor.client.get(f"/year/classes/{year.cooperative.id}").status_code == status


def test_a_pupil_is_refused(year, tablet):
    tablet.sign_in_pupil(year.pupil)
    assert tablet.client.get(f"/year/classes/{year.cooperative.id}").status_code in (302, 403)


def test_another_class_is_refused_and_an_unknown_one_is_not_found(world, educator):
    other = educator.client.get(f"/year/classes/{world.other_cooperative.id}")
    assert other.status_code == 403 and "This page is not for you" in other.get_data(as_text=True)
    unknown = educator.client.get("/year/classes/999999")
    assert unknown.status_code == 404 and "We cannot find this page" in unknown.get_data(as_text=True)


def test_the_class_navigation_links_to_the_year(world, educator):
    page = educator.client.get(f"/classes/{world.cooperative.id}").get_data(as_text=True)
    assert f'href="/year/classes/{world.cooperative.id}"' in page and "Our year" in page


def test_the_queue_gives_the_floor_first_to_who_spoke_least_this_year(world, educator, make_client):
    _council(world, _at(world, 10, 5), {}, [0, 0])
    assembly = assemblies.plan_assembly(world.cooperative, _at(world, 11, 9), "Classroom", utcnow())
    assemblies.open_assembly(assembly, utcnow())
    db.session.commit()
    speakers.ask_to_speak(assembly, world.pupils[0], _at(world, 11, 9, 9))
    speakers.ask_to_speak(assembly, world.pupils[1], _at(world, 11, 9, 10))
    db.session.commit()
    assert educator.client.post(f"/assemblies/{assembly.id}/speakers/next").status_code == 302
    db.session.refresh(assembly)
    assert assembly.speaker_id == world.pupils[1].id
