"""The public home page: what cooperative education is, how a school joins, the team, and live counters that move
with the database — and never a pupil's name."""

import re
from types import SimpleNamespace

from app.domain.treasury import Draft, first_day
from app.extensions import db
from app.models import Decision, Participation
from app.models.types import utcnow
from app.services import assemblies, federation_figures, polls, team, treasury


def home(client, language: str = "en") -> str:
    client.post("/language", data={"language": language})
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def figure(html: str, label: str) -> str:
    """The number shown just before a counter's label."""
    found = re.search(r"<strong>([^<]*)</strong>\s*<span>" + re.escape(label) + "</span>", html)
    assert found, label
    return found.group(1)


def test_the_home_page_presents_cooperative_education_and_how_to_join(client):
    html = home(client)
    for text in ("What cooperative education is", "Our mission", "Our vision", "What the federation does",
                 "Cooperation", "Democracy", "Responsibility", "Solidarity", "Equality", "Human progress",
                 "How a school joins"):
        assert text in html
    assert 'href="/join"' in html


def test_the_counters_start_at_zero(app, client):
    html = home(client)
    for label in ("cooperatives", "assemblies held", "decisions taken", "ballots cast"):
        assert figure(html, label) == "0"
    assert figure(html, "funds raised for educational programmes") == "€0.00"


def _activity(world) -> None:
    """Two closed assemblies and one planned, three decisions, four participations, money in every category."""
    now = utcnow()
    for _ in range(2):
        assembly = assemblies.plan_assembly(world.cooperative, now, "Classroom", now)
        assemblies.open_assembly(assembly, now)
        assemblies.close_assembly(assembly, now)
    assemblies.plan_assembly(world.cooperative, now, "Classroom", now)
    decisions = [Decision(cooperative=world.cooperative, text=f"Decision {n}", method="consensus") for n in range(3)]
    db.session.add_all(decisions)
    poll = polls.create_motion(world.cooperative, "A garden?", "simple", None, world.educator)
    db.session.flush()
    db.session.add_all(Participation(poll_id=poll.id, pupil_id=pupil.id) for pupil in world.pupils[:4])
    day = first_day(world.cooperative.school_year)
    for kind, category, cents, decision in (
        ("income", "fundraising", 10000, None), ("income", "grant", 5050, None), ("income", "donation", 700, None),
        ("income", "initiative_donation", 300, None), ("income", "other_income", 99999, None),
        ("expense", "training_resources", 2500, decisions[0].id),
        ("expense", "programmes_events", 1200, decisions[1].id), ("expense", "pupil_initiatives", 888, decisions[2].id),
    ):
        treasury.record_entry(world.cooperative, Draft(kind, category, day, cents, "x", decision), world.educator, now)
    mistake = treasury.record_entry(world.cooperative, Draft("income", "donation", day, 100000, "typo"),
                                    world.educator, now)
    treasury.cancel_entry(mistake, world.educator, "typo", now)
    db.session.commit()


def test_the_counters_move_with_the_database(world, client):
    _activity(world)
    html = home(client)
    assert figure(html, "cooperatives") == "2"
    assert figure(html, "assemblies held") == "2"
    assert figure(html, "decisions taken") == "3"
    assert figure(html, "ballots cast") == "4"
    assert figure(html, "funds raised for educational programmes") == "€157.50"
    assert figure(html, "donations received for pupil-led initiatives") == "€3.00"
    assert figure(html, "funds allocated to training and resources") == "€25.00"
    assert figure(html, "expenses for programmes and events") == "€20.88"


def test_the_money_figures_are_in_the_page_language(world, client):
    _activity(world)
    html = home(client, "fr")
    assert "157,50\xa0€" in html


def record_through_the_form(educator, world, kind: str, category: str, amount: str, decision="") -> None:
    answer = educator.client.post(f"/treasury/classes/{world.cooperative.id}/{kind}", data={
        "occurred_on": first_day(world.cooperative.school_year).isoformat(), "amount": amount,
        "category": category, "description": "x", "decision": decision})
    assert answer.status_code == 302


def test_a_donation_counts_as_raised_and_a_pupil_initiative_as_spent_on_programmes(world, client, educator):
    decision = Decision(cooperative=world.cooperative, text="A garden", method="consensus")
    db.session.add(decision)
    db.session.commit()
    record_through_the_form(educator, world, "income", "donation", "40")
    record_through_the_form(educator, world, "expense", "pupil_initiatives", "15", decision.id)
    record_through_the_form(educator, world, "income", "initiative_donation", "6")
    html = home(client)
    assert figure(html, "funds raised for educational programmes") == "€40.00"
    assert figure(html, "donations received for pupil-led initiatives") == "€6.00"
    assert figure(html, "expenses for programmes and events") == "€15.00"
    assert figure(html, "funds allocated to training and resources") == "€0.00"


def what_is_counted(html: str) -> dict[str, list[str]]:
    """Each heading of the 'what is counted' explanation, with the categories listed under it."""
    explained = html[html.index('<details class="figures-counted">'):html.index("</details>")]
    found = re.findall(r"<dt>([^<]*)</dt>\s*<dd><ul>(.*?)</ul>", explained, re.S)
    return {heading: re.findall(r"<li>([^<]*)</li>", items) for heading, items in found}


def test_the_page_says_which_categories_feed_which_figure(client):
    assert what_is_counted(home(client)) == {
        "funds raised for educational programmes": [
            "Donations to the cooperative in general", "Fundraising (fairs, sales, shows)", "Grants and subsidies"],
        "donations received for pupil-led initiatives": ["Donations for a pupil-led initiative"],
        "funds allocated to training and resources": ["Training and resources"],
        "expenses for programmes and events": ["Educational programmes and events", "Pupil-led initiatives"],
        "in none of the four figures": ["Other income", "Other expenses"],
    }


def test_assemblies_held_is_zero_while_the_assembly_table_does_not_exist(app, monkeypatch):
    without = SimpleNamespace(metadata=SimpleNamespace(tables={}), session=db.session)
    monkeypatch.setattr(federation_figures, "db", without)
    assert federation_figures.assemblies_held() == 0


def test_no_pupil_appears_on_the_home_page(world, client):
    _activity(world)
    html = home(client)
    for pupil in world.pupils + world.other_pupils:
        assert pupil.first_name not in html


def test_the_team_is_shown_in_its_order(world, client):
    assert "The team" not in home(client)
    team.add_member("Camille Martin", "President", "Former teacher, Freinet classroom for 20 years.")
    second = team.add_member("Yanis Haddad", "Teacher trainer", "")
    team.move_member(second, -1)
    db.session.commit()
    html = home(client)
    assert "The team" in html
    assert html.index("Yanis Haddad") < html.index("Camille Martin") and "Freinet classroom" in html
