"""The pupils' treasurer records money on the class tablet; it waits for the educator, who confirms it (then it
counts, with both names) or refuses it with a reason. Until then it is in no total, report, CSV or public figure;
only the current treasurer records, only the class's educator answers, and bad input writes nothing."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Decision, TreasuryEntry
from app.models.types import utcnow
from app.services import assemblies, classes, federation_figures, treasury
from tests.conftest import PASSWORD


def treasurer_named(world, pupil, opened: bool = True):
    """An assembly of the class where the pupil is the treasurer; opened unless it stays planned."""
    assembly = assemblies.plan_assembly(world.cooperative, utcnow(), "Classroom", utcnow())
    assemblies.set_roles(assembly, {("treasurer", 1): pupil.id})
    if opened:
        for other in assemblies.class_assemblies(world.cooperative):
            if other.status == "in_session":
                assemblies.close_assembly(other, utcnow())
        db.session.flush()
        assemblies.open_assembly(assembly, utcnow())
    db.session.commit()
    return assembly


def decided(cooperative, text="Buy seeds for the garden", status="to_do") -> Decision:
    decision = Decision(cooperative=cooperative, text=text, method="consensus", status=status)
    db.session.add(decision)
    db.session.commit()
    return decision


@pytest.fixture
def treasurer(world, tablet):
    """The world's pupil, treasurer of the assembly in session, signed in on the class tablet."""
    treasurer_named(world, world.pupil)
    assert tablet.sign_in_pupil(world.pupil).status_code == 302
    return tablet


def expense(cited, **fields) -> dict:
    return {"amount": "8,40", "category": "pupil_initiatives", "description": "Seeds and pots",
            "decision": str(cited.id) if cited else "", "submission": "a-submission-of-16", **fields}


def income(**fields) -> dict:
    return {"amount": "12.50", "category": "fundraising", "description": "Cake sale",
            "submission": "another-submission-16", **fields}


def record(actions, kind: str, data: dict, **headers):
    return actions.client.post(f"/treasury/tablet/{kind}", data=data, headers=headers)


def entry_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(TreasuryEntry))


def only_entry() -> TreasuryEntry:
    db.session.expire_all()
    return db.session.scalars(select(TreasuryEntry)).one()


def balance(world) -> int:
    db.session.expire_all()
    return treasury.year_report(world.cooperative, treasury.entries_of(world.cooperative)).balance


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_only_the_treasurer_sees_our_money_on_their_home(world, treasurer, make_client):
    assert "Our money" in text_of(treasurer.client.get("/tablet/me"))
    page = treasurer.client.get("/treasury/tablet")
    assert page.status_code == 200 and "Money in" in text_of(page) and "Money out" in text_of(page)
    classmate = make_client()
    classmate.pair_tablet(world.cooperative)
    classmate.sign_in_pupil(world.pupils[1])
    assert "Our money" not in text_of(classmate.client.get("/tablet/me"))


def test_the_treasurer_records_an_expense_that_waits_and_counts_nowhere(world, treasurer, educator, make_client):
    decision = decided(world.cooperative)
    form = text_of(treasurer.client.get("/treasury/tablet/expense"))
    assert "Buy seeds for the garden" in form and "One of our projects" in form and 'data-read="' in form
    response = record(treasurer, "expense", expense(decision))
    assert response.status_code == 302 and response.location.endswith("/tablet/me")
    entry = only_entry()
    assert (entry.kind, entry.amount_cents, entry.decision_id, entry.recorded_by, entry.recorded_by_pupil_id) == (
        "expense", 840, decision.id, world.pupil.display_name, world.pupil.id)
    assert entry.is_waiting and not entry.is_confirmed and entry.occurred_on == treasury.school_today(
        world.cooperative, utcnow())
    home = text_of(treasurer.client.get(response.location))
    assert "Your teacher will check it" in home and "I am done" in home, "told, and still signed in"
    assert "€8.40" in text_of(treasurer.client.get("/treasury/tablet"))

    assert balance(world) == 0 and treasury.spending_on(decision) == []
    assert set(federation_figures.money_figures().values()) == {0}
    csv = educator.client.get(f"/treasury/classes/{world.cooperative.id}/treasury.csv").get_data(as_text=True)
    assert "Seeds and pots" not in csv
    report = educator.client.get(f"/treasury/classes/{world.cooperative.id}/money-report")
    assert "Seeds and pots" not in text_of(report)
    page = text_of(educator.client.get(f"/treasury/classes/{world.cooperative.id}"))
    assert "Waiting for your confirmation" in page and "Recorded by Léa M. on the class tablet" in page


def test_money_in_needs_no_decision(world, treasurer):
    assert record(treasurer, "income", income()).status_code == 302
    entry = only_entry()
    assert (entry.kind, entry.category, entry.amount_cents, entry.decision_id) == ("income", "fundraising", 1250,
                                                                                   None)


def test_the_same_submission_sent_twice_is_recorded_once(world, treasurer):
    decision = decided(world.cooperative)
    first = record(treasurer, "expense", expense(decision))
    again = record(treasurer, "expense", expense(decision), **{"HX-Request": "true"})
    assert first.status_code == 302 and again.status_code == 200 and again.headers["HX-Redirect"].endswith("/tablet/me")
    assert entry_count() == 1
    assert record(treasurer, "expense", expense(decision, submission="a-new-submission-16")).status_code == 302
    assert entry_count() == 2


@pytest.mark.parametrize(("amount", "message"), [
    ("-5", "without a minus sign"),
    ("0", "more than zero"),
    ("0,00", "more than zero"),
    ("100000.01", "too much money for a class"),
    ("9" * 40, "too much money for a class"),
    ("", "Write how much"),
    ("douze", "digits only"),
])
def test_an_absurd_amount_is_refused_and_nothing_is_recorded(world, treasurer, amount, message):
    response = record(treasurer, "income", income(amount=amount))
    assert response.status_code == 422
    html = text_of(response)
    assert message in html and "Nothing was recorded" in html and 'role="alert"' in html
    assert re.search(r'data-read="Nothing was recorded\.[^"]*' + re.escape(message), html), "read aloud too"
    assert entry_count() == 0


@pytest.mark.parametrize(("choice", "message"), [
    ("", "Choose the decision of the class that allows this spending"),
    ("999999", "This decision does not exist"),
    ("abc", "Pick a decision from the list"),
    ("other_class", "This decision is not one of your class&#39;s"),
    ("dropped", "The class gave up this decision"),
])
def test_an_expense_without_a_decision_of_the_class_is_refused(world, treasurer, choice, message):
    decided(world.cooperative)
    if choice == "other_class":
        choice = str(decided(world.other_cooperative, "Their trip").id)
    elif choice == "dropped":
        choice = str(decided(world.cooperative, "An old idea", status="dropped").id)
    response = record(treasurer, "expense", expense(None, decision=choice))
    assert response.status_code == 422 and message in text_of(response)
    assert entry_count() == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"category": ""}, "Choose what kind of money it is."),
    ({"category": "pupil_initiatives"}, "Choose what kind of money it is."),  # a category of money out
    ({"description": "   "}, "Write in a few words what the money was for."),
    ({"description": "x" * 201}, "Write in a few words what the money was for."),
])
def test_a_missing_category_or_description_is_refused(world, treasurer, fields, message):
    response = record(treasurer, "income", income(**fields))
    assert response.status_code == 422 and message in text_of(response)
    assert entry_count() == 0


def test_without_any_decision_the_expense_page_says_to_decide_first(world, treasurer):
    html = text_of(treasurer.client.get("/treasury/tablet/expense"))
    assert "your class has no decision yet" in html and 'name="amount"' not in html


def test_a_refused_form_sent_by_htmx_comes_back_as_the_panel_with_its_submission(world, treasurer):
    response = record(treasurer, "income", income(amount="-3"), **{"HX-Request": "true"})
    html = text_of(response)
    assert response.status_code == 422 and html.startswith('<section id="money-panel"')
    assert 'value="another-submission-16"' in html and "<html" not in html
    assert 'value="-3"' in html and 'value="fundraising" checked' in html, "what the pupil typed and chose is kept"


def test_the_educator_s_form_keeps_the_amount_as_typed(world, educator):
    data = {"occurred_on": "not-a-date", "amount": "12,50", "category": "donation", "description": "Gift"}
    response = educator.client.post(f"/treasury/classes/{world.cooperative.id}/income", data=data)
    assert response.status_code == 422 and 'value="12,50"' in text_of(response)


def test_a_pupil_who_is_not_the_treasurer_is_told_and_nothing_is_recorded(world, make_client):
    treasurer_named(world, world.pupils[1])
    tablet = make_client()
    tablet.pair_tablet(world.cooperative)
    tablet.sign_in_pupil(world.pupil)
    for response in (tablet.client.get("/treasury/tablet"), record(tablet, "income", income())):
        assert response.status_code == 403
        html = text_of(response)
        assert "Only the class&#39;s treasurer records money on the tablet" in html and 'data-read="Only' in html
    assert entry_count() == 0


def test_a_stale_tab_of_a_pupil_no_longer_treasurer_records_nothing(world, treasurer):
    assert treasurer.client.get("/treasury/tablet/income").status_code == 200
    treasurer_named(world, world.pupils[2])  # the next assembly opened: a new treasurer
    response = record(treasurer, "income", income(), **{"HX-Request": "true"})
    assert response.status_code == 403 and text_of(response).startswith("<section id=\"money-panel\"")
    assert "Our money" not in text_of(treasurer.client.get("/tablet/me"))
    assert entry_count() == 0


def test_the_roles_of_a_planned_assembly_are_only_a_suggestion(world, tablet):
    treasurer_named(world, world.pupil, opened=False)
    tablet.sign_in_pupil(world.pupil)
    assert tablet.client.get("/treasury/tablet").status_code == 403
    assert treasury.current_treasurer(world.cooperative) is None


def test_the_treasurer_of_the_last_assembly_held_keeps_the_money_until_the_next_opens(world, tablet):
    held = treasurer_named(world, world.pupil)
    assemblies.close_assembly(held, utcnow())
    treasurer_named(world, world.pupils[1], opened=False)  # planned: its treasurer has not started yet
    tablet.sign_in_pupil(world.pupil)
    assert tablet.client.get("/treasury/tablet").status_code == 200
    assert treasury.current_treasurer(world.cooperative) == world.pupil


def test_nobody_but_a_pupil_reaches_the_treasurer_pages(world, educator, head, client):
    treasurer_named(world, world.pupil)
    for actions in (educator, head):
        assert actions.client.get("/treasury/tablet").status_code == 302
        assert record(actions, "income", income()).status_code == 302
    assert client.get("/treasury/tablet").location.endswith("/tablet/")  # an unpaired browser: to the tiles
    assert entry_count() == 0


def waiting_entry(world, treasurer, decision=None) -> TreasuryEntry:
    data = expense(decision) if decision else income()
    assert record(treasurer, "expense" if decision else "income", data).status_code == 302
    return only_entry()


def test_the_educator_confirms_and_the_entry_counts_with_both_names(world, treasurer, educator):
    decision = decided(world.cooperative)
    entry = waiting_entry(world, treasurer, decision)
    response = educator.client.post(f"/treasury/entries/{entry.id}/confirm")
    assert response.status_code == 302
    entry = only_entry()
    assert entry.is_confirmed and entry.confirmed_by == "Teacher A" and entry.recorded_by == "Léa M."
    assert balance(world) == -840 and treasury.spending_on(decision) == [entry]
    assert federation_figures.money_figures()["programmes_expenses"] == 840
    page = text_of(educator.client.get(response.location))
    assert "Confirmed: €8.40 recorded by Léa M. now counts." in page
    assert "Recorded by Léa M. on the class tablet, confirmed by Teacher A" in page
    assert "The balance is now negative" in page
    csv = educator.client.get(f"/treasury/classes/{world.cooperative.id}/treasury.csv").get_data(as_text=True)
    assert "Seeds and pots" in csv and "Léa M.,Teacher A" in csv.replace("\r", "")
    assert "Seeds and pots" in text_of(educator.client.get(f"/treasury/classes/{world.cooperative.id}/money-report"))


def test_the_educator_refuses_with_a_reason_the_treasurer_reads(world, treasurer, educator):
    entry = waiting_entry(world, treasurer)
    assert educator.client.get(f"/treasury/entries/{entry.id}/refuse").status_code == 200
    empty = educator.client.post(f"/treasury/entries/{entry.id}/refuse", data={"reason": "  "})
    assert empty.status_code == 422 and only_entry().is_waiting
    response = educator.client.post(f"/treasury/entries/{entry.id}/refuse", data={"reason": "No receipt"})
    assert response.status_code == 302
    entry = only_entry()
    assert entry.is_refused and entry.refused_by == "Teacher A" and entry.refusal_reason == "No receipt"
    assert balance(world) == 0
    assert "Refused entries (1)" in text_of(educator.client.get(response.location))
    assert "Your teacher says: No receipt" in text_of(treasurer.client.get("/treasury/tablet"))


def test_an_entry_is_answered_once(world, treasurer, educator):
    confirmed, refused = waiting_entry(world, treasurer), None
    educator.client.post(f"/treasury/entries/{confirmed.id}/confirm")
    record(treasurer, "income", income(submission="third-submission-16"))
    refused = db.session.scalars(select(TreasuryEntry).where(TreasuryEntry.confirmed_at.is_(None))).one()
    educator.client.post(f"/treasury/entries/{refused.id}/refuse", data={"reason": "Twice"})
    for url, data, said in (
        (f"/treasury/entries/{confirmed.id}/confirm", {}, "already confirmed by Teacher A"),
        (f"/treasury/entries/{confirmed.id}/refuse", {"reason": "x"}, "already confirmed by Teacher A"),
        (f"/treasury/entries/{refused.id}/confirm", {}, "already refused by Teacher A"),
        (f"/treasury/entries/{refused.id}/refuse", {"reason": "x"}, "already refused by Teacher A"),
        (f"/treasury/entries/{refused.id}/cancel", {"reason": "x"}, "not in the class&#39;s book"),
    ):
        response = educator.client.post(url, data=data)
        assert response.status_code == 409 and said in text_of(response), url
    db.session.expire_all()
    assert refused.refusal_reason == "Twice" and not refused.is_cancelled and balance(world) == 1250


def test_an_expense_whose_decision_was_dropped_meanwhile_is_not_confirmed(world, treasurer, educator):
    decision = decided(world.cooperative)
    entry = waiting_entry(world, treasurer, decision)
    decision.status = "dropped"
    db.session.commit()
    response = educator.client.post(f"/treasury/entries/{entry.id}/confirm")
    assert response.status_code == 409 and "was dropped after the treasurer recorded it" in text_of(response)
    assert only_entry().is_waiting


def test_only_the_class_educator_answers_and_the_head_reads(world, treasurer, head, make_client):
    entry = waiting_entry(world, treasurer)
    other = make_client()
    other.sign_in(world.other_educator.email, PASSWORD)
    for actions in (head, other, treasurer):
        assert actions.client.post(f"/treasury/entries/{entry.id}/confirm").status_code in (302, 403)
        assert actions.client.post(f"/treasury/entries/{entry.id}/refuse", data={"reason": "x"}).status_code in (
            302, 403)
    assert only_entry().is_waiting
    page = text_of(head.client.get(f"/treasury/classes/{world.cooperative.id}"))
    assert "Waiting for the educator's confirmation" in page and "Cake sale" in page
    assert f"/treasury/entries/{entry.id}/confirm" not in page


def test_an_archived_class_takes_no_answer_and_no_new_entry(world, treasurer, educator):
    entry = waiting_entry(world, treasurer)
    classes.archive_cooperative(world.cooperative, utcnow())
    db.session.commit()
    assert educator.client.post(f"/treasury/entries/{entry.id}/confirm").status_code == 403
    assert only_entry().is_waiting


def test_the_educator_s_own_entries_are_confirmed_at_once(world, educator):
    data = {"occurred_on": treasury.school_today(world.cooperative, utcnow()).isoformat(), "amount": "5",
            "category": "donation", "description": "Gift"}
    assert educator.client.post(f"/treasury/classes/{world.cooperative.id}/income", data=data).status_code == 302
    entry = only_entry()
    assert entry.is_confirmed and entry.confirmed_by == entry.recorded_by == "Teacher A" and not entry.from_tablet
    assert balance(world) == 500


def test_the_educator_sees_who_the_treasurer_is(world, educator):
    page = text_of(educator.client.get(f"/treasury/classes/{world.cooperative.id}"))
    assert "Waiting for your confirmation" not in page
    treasurer_named(world, world.pupils[3])
    page = text_of(educator.client.get(f"/treasury/classes/{world.cooperative.id}"))
    assert "Lucas P., the class's treasurer, records money on the class tablet." in page


def test_a_departed_treasurer_s_name_leaves_the_treasury(world, treasurer, runner):
    from app.services import retention

    entry = waiting_entry(world, treasurer)
    retention.anonymise(world.pupil, "a pupil of CM1 A", utcnow())
    db.session.commit()
    db.session.expire_all()
    assert entry.recorded_by == "a pupil of CM1 A"


def test_the_pupil_is_told_in_french(world, treasurer):
    treasurer.client.post("/language", data={"language": "fr"})
    response = record(treasurer, "income", income(amount="-2"))
    assert response.status_code == 422
    assert "Rien n’a été enregistré" in text_of(response) or "Rien n&#39;a été enregistré" in text_of(response)
