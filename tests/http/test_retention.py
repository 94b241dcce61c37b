"""Data protection: names of departed pupils leave old decisions; a class's data is exported and deleted."""

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Cooperative, Decision, Poll, Pupil, RegisterEntry
from app.models.types import utcnow
from app.services import classes, polls, register
from tests.conftest import PASSWORD


def test_departed_pupils_become_a_pupil_of_their_class_and_the_chain_still_holds(world, runner):
    lea = world.pupil
    register.record_decision(world.cooperative, register.NewDecision(f"{lea.display_name} will water the plants",
                                                                     "consensus", responsible=(lea,)), "T")
    register.record_decision(world.cooperative, register.NewDecision("Buy paint", "consensus"), "T")
    classes.archive_cooperative(world.cooperative, utcnow() - timedelta(days=3 * 365))
    db.session.commit()
    result = runner.invoke(args=["retention", "--years", "2"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    decision = db.session.scalars(select(Decision).order_by(Decision.id)).first()
    assert "Léa" not in decision.text
    assert "CM1 A" in decision.text
    assert all("Léa" not in entry.content for entry in db.session.scalars(select(RegisterEntry)))
    assert db.session.get(Pupil, lea.id).first_name != "Léa"
    assert register.verify(world.cooperative.id).ok


def test_pupils_who_left_recently_keep_their_names(world, runner):
    classes.archive_cooperative(world.cooperative, utcnow() - timedelta(days=30))
    db.session.commit()
    runner.invoke(args=["retention", "--years", "2"])
    db.session.expire_all()
    assert db.session.get(Pupil, world.pupil.id).first_name == "Léa"


def test_the_class_export_holds_the_register_but_no_ballot_or_code(world, make_client):
    educator = make_client()
    educator.sign_in(world.educator.email, PASSWORD)
    register.record_decision(world.cooperative, register.NewDecision("Plant a garden", "consensus"), "T")
    db.session.commit()
    response = educator.client.get(f"/classes/{world.cooperative.id}/export.json")
    data = response.get_json()
    assert data["register"][0]["content"]["text"] == "Plant a garden"
    assert {pupil["name"] for pupil in data["pupils"]} >= {world.pupil.display_name}
    assert world.pupil.picture_code not in response.get_data(as_text=True)


def test_only_an_archived_class_can_be_deleted_and_only_with_its_name(world, make_client):
    head = make_client()
    head.sign_in(world.head.email, PASSWORD)
    url = f"/classes/{world.cooperative.id}/delete"
    assert head.client.post(url, data={"name": world.cooperative.name}).status_code == 403
    poll = polls.create_motion(world.cooperative, "Q?", "simple", None, world.educator)
    polls.open_poll(poll, world.educator, utcnow(), b"s")
    classes.archive_cooperative(world.cooperative, utcnow())
    db.session.commit()
    assert head.client.post(url, data={"name": "wrong"}).status_code == 422
    assert head.client.post(url, data={"name": world.cooperative.name}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Cooperative.id))) == 1
    assert db.session.scalar(select(func.count(Pupil.id))) == len(world.other_pupils)
    assert db.session.scalar(select(func.count(Poll.id))) == 0
