"""The message box over HTTP: pupils post and support, the educator moderates; bad input is explained."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Message, Support
from app.models.types import utcnow
from app.services import assemblies, messages


def post(tablet, pupil, kind: str, text: str):
    tablet.sign_in_pupil(pupil)
    return tablet.client.post(f"/messages/new/{kind}", data={"text": text})


def posted(world, pupil=None, kind="propose", text="We could plant a garden", status="approved") -> Message:
    message = messages.post_message(pupil or world.pupil, kind, text, utcnow())
    message.status = status
    message.decline_reason = "Not now" if status == "declined" else None
    db.session.commit()
    return message


def count(model=Message) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("kind", ["congratulate", "criticise", "wish", "propose"])
def test_a_pupil_posts_in_each_column_and_is_signed_out_for_the_next(world, tablet, kind):
    response = post(tablet, world.pupil, kind, "  Thank you   Hugo for the help  ")
    assert response.status_code == 302 and response.location.endswith("/tablet/")
    message = db.session.scalar(select(Message))
    assert (message.kind, message.status, message.author_id) == (kind, "pending", world.pupil.id)
    assert message.text == "Thank you Hugo for the help"
    assert "Next pupil" in tablet.client.get("/tablet/", follow_redirects=True).get_data(as_text=True)
    assert tablet.client.get("/messages/").status_code == 302


@pytest.mark.parametrize(("text", "explanation"), [
    ("", "the text is empty"), ("   ", "the text is empty"), ("x" * 281, "at most 280 characters"),
    ("<script>alert('hi')</script>", "plain words only"), ("look <img src=x onerror=alert(1)>", "plain words only"),
])
def test_bad_texts_come_back_explained_and_nothing_is_stored(world, tablet, text, explanation):
    response = post(tablet, world.pupil, "propose", text)
    assert response.status_code == 422
    assert explanation in response.get_data(as_text=True)
    assert count() == 0


def test_the_length_limit_is_explained_before_writing(world, tablet):
    tablet.sign_in_pupil(world.pupil)
    page = tablet.client.get("/messages/new/propose").get_data(as_text=True)
    assert "At most 280 letters and signs" in page and 'maxlength="280"' in page


def test_an_unknown_column_is_not_found(world, tablet):
    tablet.sign_in_pupil(world.pupil)
    assert tablet.client.get("/messages/new/complain").status_code == 404
    assert tablet.client.post("/messages/new/complain", data={"text": "Hi"}).status_code == 404
    assert count() == 0


def test_plain_signs_are_kept_and_always_escaped(world, tablet, educator):
    assert post(tablet, world.pupil, "wish", "3 < 5 & \"quotes\" 'too'").status_code == 302
    page = educator.client.get(f"/messages/classes/{world.cooperative.id}").get_data(as_text=True)
    assert "3 &lt; 5 &amp; &#34;quotes&#34; &#39;too&#39;" in page


def test_the_class_sees_approved_messages_only_and_anonymous_ones_without_their_author(world, tablet, educator):
    hidden = posted(world, text="Still waiting for the teacher", status="pending")
    shown = posted(world, kind="congratulate", text="Bravo to the football team")
    secret = posted(world, world.pupils[1], kind="criticise", text="The corridor is noisy")
    assert educator.client.post(f"/messages/{secret.id}/anonymous").status_code == 302
    tablet.sign_in_pupil(world.pupils[2])
    box = tablet.client.get("/messages/").get_data(as_text=True)
    assert shown.text in box and hidden.text not in box and secret.text in box
    assert world.pupils[1].display_name not in box and "anonymous" in box
    queue = educator.client.get(f"/messages/classes/{world.cooperative.id}").get_data(as_text=True)
    assert hidden.text in queue and world.pupils[1].display_name in queue and "anonymous for the class" in queue


def test_the_educator_approves_and_a_second_approval_changes_nothing(world, educator):
    message = posted(world, status="pending")
    assert educator.client.post(f"/messages/{message.id}/approve").status_code == 302
    assert message.status == "approved" and message.moderated_at is not None
    again = educator.client.post(f"/messages/{message.id}/approve")
    assert again.status_code == 409 and "already moderated" in again.get_data(as_text=True)


def test_a_declined_message_shows_its_reason_to_its_author(world, educator, tablet):
    message = posted(world, kind="criticise", text="Hugo is mean", status="pending")
    refused = educator.client.post(f"/messages/{message.id}/decline", data={"reason": "  "})
    assert refused.status_code == 422 and message.status == "pending"
    reason = "Talk to Hugo face to face first."
    assert educator.client.post(f"/messages/{message.id}/decline", data={"reason": reason}).status_code == 302
    assert (message.status, message.decline_reason) == ("declined", reason)
    tablet.sign_in_pupil(world.pupil)
    box = tablet.client.get("/messages/").get_data(as_text=True)
    assert "Not accepted" in box and reason in box


def test_the_educator_rewrites_a_message_with_its_author(world, educator):
    message = posted(world, kind="criticise", text="Hugo is mean at lunch", status="pending")
    bad = educator.client.post(f"/messages/{message.id}/rewrite", data={"text": "<b>no</b>"})
    assert bad.status_code == 422 and message.text == "Hugo is mean at lunch"
    assert educator.client.post(f"/messages/{message.id}/rewrite",
                                data={"text": "Lunch is too noisy for me"}).status_code == 302
    assert message.text == "Lunch is too noisy for me" and message.edited_at is not None


def test_merging_a_duplicate_moves_its_supports_to_the_message_kept(world, educator):
    kept = posted(world, text="A garden in the playground")
    duplicate = posted(world, world.pupils[1], text="Let's plant vegetables", status="pending")
    for pupil in world.pupils[:3]:
        db.session.add(Support(message_id=duplicate.id, pupil_id=pupil.id))
    db.session.add(Support(message_id=kept.id, pupil_id=world.pupils[0].id))
    db.session.commit()
    response = educator.client.post(f"/messages/{duplicate.id}/merge", data={f"m{duplicate.id}-into": kept.id})
    assert response.status_code == 302
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", kept.id)
    assert kept.support_count == 3 and duplicate.support_count == 0


def test_merging_across_columns_is_refused(world, educator):
    proposal = posted(world, status="pending")
    wish = posted(world, kind="wish", text="A new football", status="pending")
    response = educator.client.post(f"/messages/{proposal.id}/merge", data={f"m{proposal.id}-into": wish.id})
    assert response.status_code == 422 and proposal.status == "pending"


def test_a_pupil_supports_a_proposal_once(world, tablet):
    proposal = posted(world)
    tablet.sign_in_pupil(world.pupils[1])
    first = tablet.client.post(f"/messages/{proposal.id}/support", headers={"HX-Request": "true"})
    assert first.status_code == 200 and "You support it" in first.get_data(as_text=True)
    second = tablet.client.post(f"/messages/{proposal.id}/support", headers={"HX-Request": "true"})
    assert second.status_code == 409 and "already support" in second.get_data(as_text=True)
    without_htmx = tablet.client.post(f"/messages/{proposal.id}/support")
    assert without_htmx.status_code == 409 and "already support" in without_htmx.get_data(as_text=True)
    assert count(Support) == 1


def test_the_database_refuses_a_second_support_even_if_a_check_is_skipped(world):
    proposal = posted(world)
    db.session.add(Support(message_id=proposal.id, pupil_id=world.pupil.id))
    db.session.commit()
    db.session.add(Support(message_id=proposal.id, pupil_id=world.pupil.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(("kind", "status"), [("propose", "pending"), ("congratulate", "approved"),
                                               ("propose", "declined")])
def test_only_approved_proposals_can_be_supported(world, tablet, kind, status):
    message = posted(world, kind=kind, status=status)
    tablet.sign_in_pupil(world.pupils[1])
    assert tablet.client.post(f"/messages/{message.id}/support").status_code == 409
    assert count(Support) == 0


def test_pupils_of_another_class_and_adults_cannot_support(world, make_client, educator):
    proposal = posted(world)
    other = make_client()
    other.pair_tablet(world.other_cooperative)
    other.sign_in_pupil(world.other_pupils[0])
    assert other.client.post(f"/messages/{proposal.id}/support").status_code == 403
    assert educator.client.post(f"/messages/{proposal.id}/support").status_code == 403
    assert count(Support) == 0


def test_only_the_class_educator_moderates_and_the_head_reads(world, make_client, tablet):
    message = posted(world, status="pending")
    head, other = make_client(), make_client()
    head.sign_in(world.head.email)
    other.sign_in(world.other_educator.email)
    assert head.client.get(f"/messages/classes/{world.cooperative.id}").status_code == 200
    assert head.client.post(f"/messages/{message.id}/approve").status_code == 403
    assert other.client.get(f"/messages/classes/{world.cooperative.id}").status_code == 403
    assert other.client.post(f"/messages/{message.id}/approve").status_code == 403
    tablet.sign_in_pupil(world.pupil)
    assert tablet.client.post(f"/messages/{message.id}/approve").status_code == 403
    assert message.status == "pending"


def _on_an_agenda(world, proposal):
    from datetime import timedelta

    assembly = assemblies.plan_assembly(world.cooperative, utcnow() + timedelta(days=1), "Classroom", utcnow())
    db.session.commit()
    return assembly, next(item for item in assembly.items if item.message_id == proposal.id)


def test_an_amendment_waits_for_moderation_then_is_voted_before_the_proposal(world, tablet, educator):
    proposal = posted(world)
    tablet.sign_in_pupil(world.pupils[1])
    assert tablet.client.get(f"/messages/{proposal.id}/amend").status_code == 409
    assembly, _item = _on_an_agenda(world, proposal)
    tablet.sign_in_pupil(world.pupils[1])
    assert "Propose a change" in tablet.client.get("/messages/").get_data(as_text=True)
    response = tablet.client.post(f"/messages/{proposal.id}/amend", data={"text": "Only on Fridays"})
    assert response.status_code == 302
    amendment = db.session.scalar(select(Message).where(Message.kind == "amend"))
    assert (amendment.status, amendment.amends_id) == ("pending", proposal.id)
    version = assembly.version
    assert educator.client.post(f"/messages/{amendment.id}/approve").status_code == 302
    assert assembly.version > version
    page = educator.client.get(f"/assemblies/{assembly.id}").get_data(as_text=True)
    assert page.index("Only on Fridays") < page.index("The proposal, with the changes adopted")


def test_no_amendment_after_the_proposal_item_is_done(world, tablet):
    proposal = posted(world)
    assembly, item = _on_an_agenda(world, proposal)
    item.done_at = utcnow()
    db.session.commit()
    tablet.sign_in_pupil(world.pupils[1])
    response = tablet.client.post(f"/messages/{proposal.id}/amend", data={"text": "Only on Fridays"})
    assert response.status_code == 409 and "before its vote" in response.get_data(as_text=True)
    assert count() == 1


def test_a_message_on_an_agenda_cannot_be_declined_or_merged(world, educator):
    proposal = posted(world)
    _on_an_agenda(world, proposal)
    response = educator.client.post(f"/messages/{proposal.id}/decline", data={"reason": "Too late"})
    assert response.status_code == 409 and "remove it from the agenda first" in response.get_data(as_text=True)


def test_the_educator_sees_how_many_messages_wait_on_my_classes_and_on_the_tab(world, tablet, educator):
    dashboard = educator.client.get("/classes/").get_data(as_text=True)
    assert "to read" not in dashboard
    post(tablet, world.pupil, "propose", "A vegetable garden")
    post(tablet, world.pupils[1], "wish", "More books")
    dashboard = educator.client.get("/classes/").get_data(as_text=True)
    assert "2 messages to read" in dashboard
    class_page = educator.client.get(f"/classes/{world.cooperative.id}").get_data(as_text=True)
    assert "2 to read" in class_page


def test_a_message_sent_again_after_its_answer_was_lost_is_stored_once_and_the_pupil_told(world, tablet):
    tablet.sign_in_pupil(world.pupil)
    signed_in = tablet.client.get_cookie("session").value
    form = {"text": "We could plant a garden", "submission": "lost-answer-0001"}
    assert tablet.client.post("/messages/new/propose", data=form).status_code == 302
    tablet.client.set_cookie("session", signed_in)  # the answer never reached the tablet, nor its new cookie
    again = tablet.client.post("/messages/new/propose", data=form, headers={"HX-Request": "true"})
    assert again.headers["HX-Redirect"].endswith("/tablet/")
    assert count() == 1
    assert "Your message is in the box" in tablet.client.get("/tablet/").get_data(as_text=True)


def test_a_new_sending_of_the_same_words_is_a_new_message(world, tablet):
    for submission in ("first-sending-0001", "other-sending-0002"):
        tablet.sign_in_pupil(world.pupil)
        tablet.client.post("/messages/new/wish", data={"text": "More football", "submission": submission})
    assert count() == 2


def test_the_same_submission_is_stored_once_even_past_the_check(world):
    first = messages.post_message(world.pupil, "wish", "More football", utcnow(), "same-sending-0001")
    assert messages.post_message(world.pupil, "wish", "More football", utcnow(), "same-sending-0001") is first
    db.session.commit()
    db.session.add(Message(cooperative_id=world.cooperative.id, author=world.pupil, kind="wish", text="Again",
                           submission_key="same-sending-0001"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_refused_text_sent_by_htmx_comes_back_as_the_panel_with_its_submission(world, tablet):
    tablet.sign_in_pupil(world.pupil)
    answer = tablet.client.post("/messages/new/propose", data={"text": "", "submission": "kept-sending-0001"},
                                headers={"HX-Request": "true"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and page.lstrip().startswith('<section id="write-panel"')
    assert 'value="kept-sending-0001"' in page and "the text is empty" in page
    assert count() == 0
