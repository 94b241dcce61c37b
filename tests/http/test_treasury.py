"""The treasury over HTTP: educators record money in and out, expenses cite a decision of the class, mistakes are
cancelled (never edited), heads read, and bad input is refused with a message while nothing is recorded."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.domain.treasury import first_day, last_day
from app.extensions import db
from app.models import Decision, TreasuryEntry
from app.models.types import utcnow
from app.services import classes, treasury
from tests.conftest import PASSWORD


@pytest.fixture
def educator(world, make_client):
    actions = make_client()
    actions.sign_in(world.educator.email, PASSWORD)
    return actions


def decided(cooperative, text="Buy seeds for the garden", status="to_do") -> Decision:
    decision = Decision(cooperative=cooperative, text=text, method="consensus", status=status)
    db.session.add(decision)
    db.session.commit()
    return decision


def a_day_in_the_year(world):
    return first_day(world.cooperative.school_year).isoformat()


def income(world, **fields) -> dict:
    return {"occurred_on": a_day_in_the_year(world), "amount": "12.50", "category": "donation",
            "description": "Gift from the parents' association", **fields}


def expense(world, cited, **fields) -> dict:
    return {"occurred_on": a_day_in_the_year(world), "amount": "8", "category": "pupil_initiatives",
            "description": "Seeds and pots", "decision": str(cited.id) if cited else "", **fields}


def record(actions, world, kind, data):
    return actions.client.post(f"/treasury/classes/{world.cooperative.id}/{kind}", data=data)


def entry_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(TreasuryEntry))


def page(actions, world) -> str:
    return actions.client.get(f"/treasury/classes/{world.cooperative.id}").get_data(as_text=True)


def test_an_educator_records_a_donation_and_sees_the_balance(world, educator):
    assert educator.client.get(f"/treasury/classes/{world.cooperative.id}/income").status_code == 200
    response = record(educator, world, "income", income(world))
    assert response.status_code == 302
    entry = db.session.scalar(select(TreasuryEntry))
    assert (entry.kind, entry.category, entry.amount_cents, entry.recorded_by) == ("income", "donation", 1250,
                                                                                   "Teacher A")
    html = page(educator, world)
    assert "€12.50" in html and "Gift from the parents" in html


def test_twelve_fifty_with_a_comma_works_in_french(world, educator):
    educator.client.post("/language", data={"language": "fr"})
    assert record(educator, world, "income", income(world, amount="1 234,50")).status_code == 302
    assert record(educator, world, "income", income(world, amount="12,50")).status_code == 302
    assert sorted(db.session.scalars(select(TreasuryEntry.amount_cents))) == [1250, 123450]
    assert "1\u202f247,00\xa0€" in page(educator, world)


@pytest.mark.parametrize(("amount", "message"), [
    ("-12", "without a minus sign"),
    ("abc", "digits only"),
    ("12,505", "at most two digits for the cents"),
    ("0", "more than zero"),
    ("", "Enter the amount"),
    ("1e3", "digits only"),
    ("250000", "too large"),
])
def test_a_bad_amount_is_refused_and_nothing_is_recorded(world, educator, amount, message):
    response = record(educator, world, "income", income(world, amount=amount))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "Nothing was recorded" in html
    assert entry_count() == 0


def test_a_missing_amount_field_is_refused(world, educator):
    data = income(world)
    del data["amount"]
    assert record(educator, world, "income", data).status_code == 422
    assert entry_count() == 0


@pytest.mark.parametrize("which", ["before", "after"])
def test_a_date_outside_the_school_year_is_refused(world, educator, which):
    year = world.cooperative.school_year
    day = first_day(year) - timedelta(days=1) if which == "before" else last_day(year) + timedelta(days=1)
    response = record(educator, world, "income", income(world, occurred_on=day.isoformat()))
    assert response.status_code == 422
    assert "outside the class&#39;s school year" in response.get_data(as_text=True)
    assert entry_count() == 0


def test_a_date_in_the_future_is_refused(world, educator):
    tomorrow = treasury.school_today(world.cooperative, utcnow()) + timedelta(days=1)
    response = record(educator, world, "income", income(world, occurred_on=tomorrow.isoformat()))
    assert response.status_code == 422
    assert "in the future" in response.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["not-a-date", ""])
def test_an_unreadable_date_is_refused(world, educator, bad):
    response = record(educator, world, "income", income(world, occurred_on=bad))
    assert response.status_code == 422
    assert "Choose the day the money came in or went out" in response.get_data(as_text=True)


def test_a_category_of_the_other_kind_is_refused(world, educator):
    assert record(educator, world, "income", income(world, category="pupil_initiatives")).status_code == 422
    assert record(educator, world, "income", income(world, category="<script>")).status_code == 422
    assert entry_count() == 0


def test_an_expense_cites_a_decision_of_the_class(world, educator):
    decision = decided(world.cooperative)
    form = educator.client.get(f"/treasury/classes/{world.cooperative.id}/expense").get_data(as_text=True)
    assert "Buy seeds for the garden" in form
    assert record(educator, world, "expense", expense(world, decision)).status_code == 302
    entry = db.session.scalar(select(TreasuryEntry))
    assert (entry.kind, entry.decision_id, entry.amount_cents) == ("expense", decision.id, 800)
    assert "Approved by the decision" in page(educator, world)


def test_an_expense_citing_another_class_decision_is_refused_and_nothing_is_recorded(world, educator):
    elsewhere = decided(world.other_cooperative, "Their trip")
    response = record(educator, world, "expense", expense(world, elsewhere))
    assert response.status_code == 422
    assert "This decision belongs to another class. Choose a decision of CM1 A." in response.get_data(as_text=True)
    assert entry_count() == 0


@pytest.mark.parametrize(("choice", "message"), [
    ("", "Choose the decision of the class that approved this expense"),
    ("999999", "This decision does not exist"),
    ("abc", "Choose a decision from the list"),
    ("dropped", "This decision was dropped"),
])
def test_an_expense_without_a_valid_decision_is_refused(world, educator, choice, message):
    if choice == "dropped":
        choice = str(decided(world.cooperative, "An old idea", status="dropped").id)
    response = record(educator, world, "expense", expense(world, None, decision=choice))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert entry_count() == 0


def test_without_any_decision_the_expense_page_explains_what_to_do(world, educator):
    html = educator.client.get(f"/treasury/classes/{world.cooperative.id}/expense").get_data(as_text=True)
    assert "this class has no decision yet" in html and "<form method=\"post\"" not in html.split("</header>")[1]


def test_cancelling_keeps_the_entry_visible_and_takes_it_out_of_every_total(world, educator):
    record(educator, world, "income", income(world, amount="20"))
    record(educator, world, "income", income(world, amount="5", description="Recorded twice"))
    twice = db.session.scalar(select(TreasuryEntry).where(TreasuryEntry.description == "Recorded twice"))
    assert educator.client.get(f"/treasury/entries/{twice.id}/cancel").status_code == 200
    response = educator.client.post(f"/treasury/entries/{twice.id}/cancel", data={"reason": "Recorded twice"})
    assert response.status_code == 302
    db.session.expire_all()
    assert twice.is_cancelled and twice.cancelled_by == "Teacher A" and twice.amount_cents == 500
    html = page(educator, world)
    assert "Cancelled" in html and "<del>€5.00</del>" in html
    assert treasury.year_report(world.cooperative, treasury.entries_of(world.cooperative)).balance == 2000
    again = educator.client.post(f"/treasury/entries/{twice.id}/cancel", data={"reason": "Again"})
    assert again.status_code == 409


def test_cancelling_needs_a_reason(world, educator):
    record(educator, world, "income", income(world))
    entry = db.session.scalar(select(TreasuryEntry))
    assert educator.client.post(f"/treasury/entries/{entry.id}/cancel", data={"reason": "  "}).status_code == 422
    db.session.expire_all()
    assert not entry.is_cancelled


def test_the_head_reads_every_class_treasury_but_records_nothing(world, educator, make_client):
    record(educator, world, "income", income(world))
    head = make_client()
    head.sign_in(world.head.email, PASSWORD)
    html = page(head, world)
    assert "€12.50" in html and "Record money in" not in html and "Cancel this entry" not in html
    assert record(head, world, "income", income(world)).status_code == 403
    entry = db.session.scalar(select(TreasuryEntry))
    assert head.client.post(f"/treasury/entries/{entry.id}/cancel", data={"reason": "x"}).status_code == 403
    assert head.client.get(f"/treasury/classes/{world.other_cooperative.id}").status_code == 403
    assert entry_count() == 1


def test_an_archived_class_keeps_its_treasury_readable_but_closed(world, educator):
    classes.archive_cooperative(world.cooperative, utcnow())
    db.session.commit()
    assert educator.client.get(f"/treasury/classes/{world.cooperative.id}").status_code == 200
    assert record(educator, world, "income", income(world)).status_code == 403


def test_the_year_report_totals_each_category(world, educator):
    decision = decided(world.cooperative)
    record(educator, world, "income", income(world, amount="10", category="grant"))
    record(educator, world, "income", income(world, amount="2.5", category="grant"))
    record(educator, world, "expense", expense(world, decision, amount="4", category="training_resources"))
    report = treasury.year_report(world.cooperative, treasury.entries_of(world.cooperative))
    assert report.income["grant"] == 1250 and report.expense["training_resources"] == 400
    assert report.balance == 850
    html = page(educator, world)
    assert "Grants and subsidies" in html and "€8.50" in html


def where_the_home_page_counts(html: str, category_label: str) -> str:
    found = re.search(re.escape(category_label) + r'<small class="figure-note">([^<]*)</small>', html)
    assert found, category_label
    return unescape(found.group(1))


@pytest.mark.parametrize(("category_label", "note"), [
    ("Donations to the cooperative in general", "counted in: funds raised for educational programmes"),
    ("Donations for a pupil-led initiative", "counted in: donations received for pupil-led initiatives"),
    ("Pupil-led initiatives", "counted in: expenses for programmes and events"),
    ("Other expenses", "Not counted on the federation's home page"),
])
def test_each_category_says_where_the_home_page_counts_it(world, educator, category_label, note):
    assert note in where_the_home_page_counts(page(educator, world), category_label)


def test_the_income_form_says_where_a_gift_for_the_pupils_project_goes(world, educator):
    html = educator.client.get(f"/treasury/classes/{world.cooperative.id}/income").get_data(as_text=True)
    assert "A gift made for a project the pupils lead: choose “Donations for a pupil-led initiative”." in html


def test_the_treasurer_money_report_is_a_large_print_page(world, educator):
    decision = decided(world.cooperative, "A trip to the farm")
    record(educator, world, "income", income(world, amount="30"))
    record(educator, world, "expense", expense(world, decision, amount="12.40"))
    response = educator.client.get(f"/treasury/classes/{world.cooperative.id}/money-report")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="adult money-report"' in html
    assert "€17.60" in html and "A trip to the farm" in html and "data-print" in html


def test_an_expense_that_makes_the_balance_negative_is_flagged_when_entered(world, educator):
    cited = decided(world.cooperative)
    record(educator, world, "income", income(world, amount="5"))
    calm = educator.client.get(record(educator, world, "expense", expense(world, cited, amount="3")).location)
    assert "The balance is now negative" not in calm.get_data(as_text=True)
    warned = educator.client.get(record(educator, world, "expense", expense(world, cited, amount="4")).location)
    assert "The balance is now negative: -€2.00." in warned.get_data(as_text=True)
    assert entry_count() == 3, "the expense is recorded all the same"


def test_a_decision_s_page_lists_the_expenses_that_cite_it(world, educator):
    cited = decided(world.cooperative, "Buy seeds for the garden")
    record(educator, world, "income", income(world, amount="20"))
    record(educator, world, "expense", expense(world, cited, amount="8", description="Seeds and pots"))
    record(educator, world, "expense", expense(world, cited, amount="3.50", description="A watering can"))
    page = educator.client.get(f"/register/decisions/{cited.id}").get_data(as_text=True)
    assert "Money spent on it" in page and "Seeds and pots" in page and "A watering can" in page
    assert "Total: €11.50" in page
    other = decided(world.cooperative, "A class trip")
    assert "Money spent on it" not in educator.client.get(f"/register/decisions/{other.id}").get_data(as_text=True)
