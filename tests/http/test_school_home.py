"""A school head's landing page: where each adult lands after signing in, and what the head finds on their school's
page — this year's classes, the latest decisions, the register's search, their tools — and nothing more."""

import html
from datetime import timedelta
from urllib.parse import urlsplit

from app.extensions import db
from app.models.types import utcnow
from app.services import accounts, assemblies, classes, messages, register
from tests.conftest import PASSWORD
from tests.http.page_forms import read_page


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def section(text: str, title_id: str) -> str:
    """One section of a page, from its heading's id to the end of the section."""
    start = text.index(f'aria-labelledby="{title_id}"')
    return text[start:text.index("</section>", start)]


def landing(act, email: str) -> str:
    response = act.sign_in(email)
    assert response.status_code == 302
    return urlsplit(response.location).path


def nav(text: str) -> str:
    return text[text.index('<nav aria-label="Main">'):text.index("</nav>")]


def decide(cooperative, words: str, when=None):
    decision = register.record_decision(cooperative, register.NewDecision(words, "consensus"), "Teacher A", when)
    db.session.commit()
    return decision


# Where each adult lands


def test_a_head_lands_on_their_school_page_and_finds_it_again_under_home(world, act):
    assert landing(act, world.head.email) == f"/schools/{world.school.id}"
    school_page = page(act.client.get(f"/schools/{world.school.id}"))
    assert f'<a href="/schools/{world.school.id}" aria-current="page"><span aria-hidden="true">🏠</span> Home</a>' in (
        nav(school_page))
    assert "My classes" not in nav(school_page)  # a head who teaches no class has none
    elsewhere = page(act.client.get("/account/"))
    assert f'<a href="/schools/{world.school.id}"><span aria-hidden="true">🏠</span> Home</a>' in nav(elsewhere)


def test_an_educator_still_lands_on_my_classes(world, act):
    assert landing(act, world.educator.email) == "/classes/"
    dashboard = page(act.client.get("/classes/"))
    assert "<h2>My classes</h2>" in dashboard and world.cooperative.name in dashboard
    assert '<a href="/classes/" aria-current="page"><span aria-hidden="true">🏠</span> Home</a>' in nav(dashboard)


def test_a_page_asked_for_before_signing_in_still_comes_first(world, act):
    act.client.get(f"/register/schools/{world.school.id}")
    response = act.client.post(f"/account/sign-in?next=/register/schools/{world.school.id}",
                               data={"email": world.head.email, "password": PASSWORD})
    assert urlsplit(response.location).path == f"/register/schools/{world.school.id}"


def test_a_head_who_teaches_lands_on_the_school_and_reaches_my_classes(world, act):
    begin = landing(act, world.head.email)
    act.client.post(f"/schools/{world.school.id}/educators", data={"email": world.head.email})
    assert act.client.post("/classes/new", data={"school_id": world.school.id, "name": "CP Head", "kind": "class",
                                                 "school_year": world.cooperative.school_year}).status_code == 302
    act.sign_out()
    assert landing(act, world.head.email) == begin == f"/schools/{world.school.id}"
    school_page = page(act.client.get(begin))
    assert '<a href="/classes/">My classes</a>' in nav(school_page)
    dashboard = page(act.client.get("/classes/"))
    assert "CP Head" in section_of_dashboard(dashboard) and world.cooperative.name not in section_of_dashboard(
        dashboard)
    assert "CP Head" in section(school_page, "classes-title")  # and the school page counts it among the classes


def section_of_dashboard(text: str) -> str:
    start = text.index("<h2>My classes</h2>")
    return text[start:text.index("</section>", start)]


def test_a_head_of_several_schools_lands_on_the_list_of_them(world, act):
    accounts.add_staff(world.other_school, world.head, "head")
    db.session.commit()
    assert landing(act, world.head.email) == "/schools/"
    links, _forms = read_page("/schools/", act.client.get("/schools/").get_data(as_text=True))
    assert {f"/schools/{world.school.id}", f"/schools/{world.other_school.id}"} <= set(links)
    assert '<a href="/schools/" aria-current="page">' in page(act.client.get("/schools/"))
    assert act.client.get(f"/schools/{world.other_school.id}").status_code == 200


def test_a_head_whose_school_is_not_approved_yet_is_told_so_plainly(world, act, client):
    client.post("/join", data={"school_name": "School C", "city": "Lille", "timezone": "Europe/Paris",
                               "head_name": "Head C", "email": "head@c.example.org", "password": PASSWORD,
                               "confirm": PASSWORD})
    school = accounts.user_by_email("head@c.example.org").staff_roles[0].school
    assert landing(act, "head@c.example.org") == f"/schools/{school.id}"
    text = page(act.client.get(f"/schools/{school.id}"))
    assert "Your application is being reviewed by the federation." in text
    assert "No class this school year yet" in text and "No decision yet." in text


# Who may see it


def test_a_head_of_another_school_and_the_educators_are_refused(world, make_client):
    for email in (world.other_head.email, world.educator.email, world.admin.email):
        other = make_client()
        other.sign_in(email)
        assert other.client.get(f"/schools/{world.school.id}").status_code == 403
        assert other.client.get(f"/register/schools/{world.school.id}").status_code == 403
    refused = make_client()
    refused.sign_in(world.educator.email)
    assert refused.client.get("/schools/").status_code == 403
    assert make_client().client.get(f"/schools/{world.school.id}").status_code == 302  # to the sign-in page


def test_a_school_that_does_not_exist_is_not_found(world, head):
    assert head.client.get("/schools/99999").status_code == 404


# What the page shows


def test_the_page_lists_this_years_classes_with_educators_pupils_council_and_waiting_messages(world, head):
    now = utcnow()
    second = classes.create_cooperative(world.school, world.educator, "CE1 B", world.cooperative.school_year)
    older = classes.create_cooperative(world.school, world.educator, "CM2 Z", world.cooperative.school_year - 1)
    held = assemblies.plan_assembly(world.cooperative, now - timedelta(days=3), "Classroom", now - timedelta(days=4))
    assemblies.open_assembly(held, now - timedelta(days=3))
    assemblies.close_assembly(held, now - timedelta(days=3, hours=-1))
    assemblies.plan_assembly(world.cooperative, now + timedelta(days=7), "Classroom", now)  # not held yet
    messages.post_message(world.pupils[1], "criticise", "Hugo pushed me at break", now)
    db.session.commit()

    text = page(head.client.get(f"/schools/{world.school.id}"))
    listed = section(text, "classes-title")
    year = world.cooperative.school_year
    assert f"Classes of {year}–{year + 1}" in listed
    rows = listed.split("<tr>")[2:]
    assert [row.split("</a>")[0].rsplit(">", 1)[1] for row in rows] == ["CE1 B", "CM1 A"]
    first_class = rows[1]
    assert "Teacher A" in first_class and "<td>6</td>" in first_class
    assert f'href="/assemblies/classes/{world.cooperative.id}"' in first_class
    assert f'href="/messages/classes/{world.cooperative.id}">1 message</a>' in first_class
    assert "None yet" in rows[0] and "<td>0</td>" in rows[0] and second.name in rows[0]
    assert "Hugo pushed me" not in text  # what a message says stays in the message box
    assert "ballot" not in text.lower()
    others = listed[listed.index("<details"):]
    assert "1 class of another school year" in others and f'href="/classes/{older.id}"' in others


def test_the_page_shows_the_ten_latest_decisions_of_every_class_and_none_of_another_school(world, head):
    older = classes.create_cooperative(world.school, world.educator, "CM2 Z", world.cooperative.school_year - 2)
    decide(older, "Planter des tulipes", utcnow() - timedelta(days=700))
    made = [decide(world.cooperative, f"Décision numéro {number}") for number in range(11)]
    decide(world.other_cooperative, "Une décision de l’autre école")
    register.follow_up(made[-1], "done", "Fait", "Teacher A")
    db.session.commit()

    text = page(head.client.get(f"/schools/{world.school.id}"))
    latest = section(text, "decisions-title")
    shown = [decision for decision in made if f">{decision.text}</a>" in latest]
    assert shown == made[1:]
    assert latest.index("Décision numéro 10<") < latest.index("Décision numéro 1<")
    assert "Planter des tulipes" not in latest and "l’autre école" not in text
    assert f'<a href="/register/decisions/{made[-1].id}">Décision numéro 10</a>' in latest
    assert latest.count(world.cooperative.name) == 10 and "✅ Done" in latest and "📌 To do" in latest


def test_the_search_on_the_landing_page_finds_a_decision_in_the_register(world, head):
    decide(world.cooperative, "Créer un jardin potager dans la cour")
    decide(world.cooperative, "Acheter des ballons")
    for number in range(10):
        decide(world.cooperative, f"Décision numéro {number}")  # the garden is no longer among the latest ten
    text = head.client.get(f"/schools/{world.school.id}").get_data(as_text=True)
    assert "jardin potager" not in section(text, "decisions-title")
    _links, forms = read_page(f"/schools/{world.school.id}", text)
    search = next(form for form in forms if form.method == "get")
    assert urlsplit(search.action).path == f"/register/schools/{world.school.id}"
    assert set(search.fields) == {"q", "cooperative"}
    assert search.fields["cooperative"].options == ["", str(world.cooperative.id)]

    found = page(head.client.get(urlsplit(search.action).path, query_string={"q": "jardins", "cooperative": ""}))
    assert "1 decision" in found and "Créer un jardin potager dans la cour" in found
    decision = next(link for link in read_page("/", found)[0] if link.startswith("/register/decisions/"))
    assert "Créer un jardin potager dans la cour" in page(head.client.get(decision))


def test_the_heads_tools_stay_on_the_page(world, head):
    text = page(head.client.get(f"/schools/{world.school.id}"))
    assert "Teacher A — teacher@a.example.org (educator)" in section(text, "educators-title")
    _links, forms = read_page(f"/schools/{world.school.id}", text)
    assert any(urlsplit(form.action).path == f"/schools/{world.school.id}/educators" and "email" in form.fields
               for form in forms if form.method == "post")
    refused = head.client.post(f"/schools/{world.school.id}/educators", data={"email": "not an address"})
    assert refused.status_code == 422
    assert "Latest decisions" in page(refused) and "Teacher A" in section(page(refused), "classes-title")
