"""Assemblies over HTTP: planning, the agenda, the lifecycle, the board's polling, the speakers queue, minutes."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AgendaItem, Assembly, Message
from app.models.types import utcnow
from app.services import messages


def approved(world, kind="propose", text="A garden", pupil=None, supports=0) -> Message:
    message = messages.post_message(pupil or world.pupil, kind, text, utcnow())
    message.status = "approved"
    db.session.flush()
    for supporter in world.pupils[:supports]:
        messages.support(message, supporter, utcnow())
    db.session.commit()
    return message


def plan(educator, world, day="2027-01-12", at="10:00", place="Our classroom") -> Assembly:
    response = educator.client.post(f"/assemblies/classes/{world.cooperative.id}",
                                    data={"day": day, "at": at, "place": place})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return db.session.get(Assembly, int(response.location.rsplit("/", 1)[1]))


def opened(educator, world) -> Assembly:
    assembly = plan(educator, world)
    assert educator.client.post(f"/assemblies/{assembly.id}/open").status_code == 302
    return assembly


def board_state(client, assembly, since=""):
    return client.get(f"/assemblies/{assembly.id}/board/state?since={since}", headers={"HX-Request": "true"})


def test_planning_stores_the_school_time_in_utc_and_builds_the_agenda(world, educator):
    approved(world, "congratulate", "Bravo Jade")
    approved(world, "propose", "A garden", supports=1)
    approved(world, "propose", "A chess club", supports=3)
    approved(world, "criticise", "Too much noise")
    assembly = plan(educator, world, day="2027-01-12", at="10:00")
    assert assembly.starts_at == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
    assert [item.section for item in assembly.items] == [
        "news", "congratulations", "criticisms", "proposals", "proposals", "elections", "treasury", "closing"]
    assert [item.message.text for item in assembly.items if item.section == "proposals"] == ["A chess club", "A garden"]
    page = educator.client.get(f"/assemblies/{assembly.id}").get_data(as_text=True)
    assert "No decision to follow up yet." in page
    assert page.index("Follow-up of earlier decisions") < page.index("News:")


def test_planning_suggests_roles_that_rotate(world, educator):
    first = plan(educator, world)
    first_holders = {role.pupil_id for role in first.roles}
    assert len(first.roles) == len(world.pupils) == len(first_holders)
    second = plan(educator, world, day="2027-01-19")
    first_seats = {(role.role, role.seat): role.pupil_id for role in first.roles}
    assert all(first_seats.get((role.role, role.seat)) != role.pupil_id for role in second.roles)


def test_a_bad_date_is_explained(world, educator):
    response = educator.client.post(f"/assemblies/classes/{world.cooperative.id}",
                                    data={"day": "31/02/2027", "at": "10:00"})
    assert response.status_code == 422 and db.session.scalar(select(Assembly)) is None


def test_the_agenda_is_edited_until_the_session_opens(world, educator):
    proposal = approved(world, "propose", "A garden")
    assembly = plan(educator, world)
    response = educator.client.post(f"/assemblies/{assembly.id}/items", data={"title": "The class trip", "minutes": 10})
    assert response.status_code == 302
    sections = [item.section for item in assembly.items]
    assert sections[-2:] == ["free", "closing"]
    trip = assembly.items[-2]
    assert educator.client.post(f"/assemblies/items/{trip.id}/up").status_code == 302
    assert assembly.items[-3].id == trip.id
    proposal_item = next(item for item in assembly.items if item.message_id == proposal.id)
    assert educator.client.post(f"/assemblies/items/{proposal_item.id}/remove").status_code == 302
    assert proposal.id not in [item.message_id for item in assembly.items]
    assert proposal.text in educator.client.get(f"/assemblies/{assembly.id}").get_data(as_text=True)
    response = educator.client.post(f"/assemblies/{assembly.id}/items/from-message", data={"message_id": proposal.id})
    assert response.status_code == 302 and proposal.id in [item.message_id for item in assembly.items]
    assert [item.position for item in assembly.items] == list(range(len(assembly.items)))


def test_the_agenda_is_frozen_once_the_session_opens(world, educator):
    assembly = opened(educator, world)
    before = [(item.id, item.position) for item in assembly.items]
    for url, data in ((f"/assemblies/{assembly.id}/items", {"title": "Late item", "minutes": 5}),
                      (f"/assemblies/items/{assembly.items[1].id}/up", {}),
                      (f"/assemblies/items/{assembly.items[1].id}/remove", {})):
        response = educator.client.post(url, data=data)
        assert response.status_code == 409 and "can no longer be changed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [(item.id, item.position) for item in assembly.items] == before


def test_empty_or_html_item_titles_are_refused(world, educator):
    assembly = plan(educator, world)
    assert educator.client.post(f"/assemblies/{assembly.id}/items", data={"title": "", "minutes": 5}).status_code == 422
    response = educator.client.post(f"/assemblies/{assembly.id}/items", data={"title": "<i>x</i>", "minutes": 5})
    assert response.status_code == 422 and len(assembly.items) == 4


def test_the_lifecycle_goes_one_way(world, educator):
    assembly = plan(educator, world)
    assert educator.client.post(f"/assemblies/{assembly.id}/close").status_code == 409
    assert educator.client.post(f"/assemblies/{assembly.id}/next").status_code == 409
    assert educator.client.post(f"/assemblies/{assembly.id}/open").status_code == 302
    assert (assembly.status, assembly.current_position) == ("in_session", 0)
    assert assembly.items[0].started_at is not None
    assert educator.client.post(f"/assemblies/{assembly.id}/open").status_code == 409
    assert educator.client.post(f"/assemblies/{assembly.id}/close").status_code == 302
    assert (assembly.status, assembly.current_position) == ("closed", None) and assembly.closed_at is not None
    response = educator.client.post(f"/assemblies/{assembly.id}/next")
    assert response.status_code == 409 and "not in session" in response.get_data(as_text=True)


def test_only_one_assembly_of_a_class_is_in_session(world, educator):
    opened(educator, world)
    second = plan(educator, world, day="2027-02-01")
    response = educator.client.post(f"/assemblies/{second.id}/open")
    assert response.status_code == 409 and second.status == "planned"


def test_advancing_moves_through_the_items_and_stops_at_the_end(world, educator):
    assembly = opened(educator, world)
    assert educator.client.post(f"/assemblies/{assembly.id}/previous").status_code == 409
    for position in range(1, len(assembly.items)):
        assert educator.client.post(f"/assemblies/{assembly.id}/next").status_code == 302
        assert assembly.current_position == position
    assert assembly.items[0].done_at is not None
    response = educator.client.post(f"/assemblies/{assembly.id}/next")
    assert response.status_code == 409 and "last item" in response.get_data(as_text=True)


def test_an_unchanged_board_answers_204_and_a_change_answers_the_fragment(world, educator, tablet):
    assembly = opened(educator, world)
    version = str(assembly.version)
    unchanged = board_state(educator.client, assembly, version)
    assert unchanged.status_code == 204 and unchanged.get_data() == b""
    fresh = board_state(educator.client, assembly, "0")
    assert fresh.status_code == 200 and 'id="assembly-board"' in fresh.get_data(as_text=True)
    assert "<html" not in fresh.get_data(as_text=True)
    tablet.sign_in_pupil(world.pupil)
    tablet.client.post(f"/assemblies/{assembly.id}/speakers")
    changed = board_state(educator.client, assembly, version)
    assert changed.status_code == 200 and world.pupil.display_name in changed.get_data(as_text=True)


@pytest.mark.parametrize("change", ["next", "roles", "chair", "speaker", "close"])
def test_every_change_a_board_shows_bumps_the_version(world, educator, tablet, change):
    assembly = opened(educator, world)
    version = assembly.version
    tablet.sign_in_pupil(world.pupil)
    requests = {
        "next": lambda: educator.client.post(f"/assemblies/{assembly.id}/next"),
        "roles": lambda: educator.client.post(f"/assemblies/{assembly.id}/roles/suggest"),
        "chair": lambda: educator.client.post(f"/assemblies/{assembly.id}/chair", data={"chair_runs_board": "y"}),
        "speaker": lambda: tablet.client.post(f"/assemblies/{assembly.id}/speakers"),
        "close": lambda: educator.client.post(f"/assemblies/{assembly.id}/close"),
    }
    assert requests[change]().status_code in (200, 302)
    db.session.expire_all()
    assert assembly.version > version


def test_a_poll_opened_from_the_votes_tab_redraws_the_assembly_in_session(world, educator):
    assembly = opened(educator, world)
    created = educator.client.post(f"/polls/classes/{world.cooperative.id}/motions",
                                   data={"question": "Buy a ball?", "rule": "simple"})
    poll_id = created.location.rsplit("/", 1)[1]
    db.session.expire_all()
    version = assembly.version
    assert educator.client.post(f"/polls/{poll_id}/open", data={"custody": "server"}).status_code == 302
    db.session.expire_all()
    assert assembly.version > version
    assert "Buy a ball?" in board_state(educator.client, assembly, str(version)).get_data(as_text=True)


def test_a_stale_board_after_closing_says_the_assembly_is_closed_and_stops_asking(world, educator):
    assembly = opened(educator, world)
    old = str(assembly.version)
    educator.client.post(f"/assemblies/{assembly.id}/close")
    page = board_state(educator.client, assembly, old).get_data(as_text=True)
    assert "The assembly is closed." in page and "hx-trigger" not in page


def test_the_board_shows_the_current_item_timer_and_speakers(world, educator, tablet):
    approved(world, "congratulate", "Bravo Jade for the drawing")
    assembly = opened(educator, world)
    educator.client.post(f"/assemblies/{assembly.id}/next")
    page = educator.client.get(f"/assemblies/{assembly.id}/board").get_data(as_text=True)
    assert "Bravo Jade for the drawing" in page and "Item 2 of" in page
    assert 'data-timer' in page and 'data-seconds="120"' in page and "js/board.js" in page
    assert 'id="board-poll"' in page and "<script>" not in page and "style=" not in page


def test_the_board_is_for_the_class_educator_only(world, make_client, tablet, educator):
    assembly = opened(educator, world)
    head, other = make_client(), make_client()
    head.sign_in(world.head.email)
    other.sign_in(world.other_educator.email)
    assert head.client.get(f"/assemblies/{assembly.id}/board").status_code == 403
    assert other.client.get(f"/assemblies/{assembly.id}/board/state?since=1").status_code == 403
    tablet.sign_in_pupil(world.pupil)
    assert tablet.client.get(f"/assemblies/{assembly.id}/board/state").status_code == 403


def test_pupils_ask_to_speak_and_those_who_spoke_least_go_first(world, educator, make_client):
    assembly = opened(educator, world)
    tablets = []
    for pupil in world.pupils[:3]:
        tablet = make_client()
        tablet.pair_tablet(world.cooperative)
        tablet.sign_in_pupil(pupil)
        tablets.append(tablet)
    first, second, third = world.pupils[:3]
    tablets[0].client.post(f"/assemblies/{assembly.id}/speakers")
    tablets[1].client.post(f"/assemblies/{assembly.id}/speakers")
    educator.client.post(f"/assemblies/{assembly.id}/speakers/next")
    assert assembly.speaker_id == first.id
    tablets[0].client.post(f"/assemblies/{assembly.id}/speakers")
    tablets[2].client.post(f"/assemblies/{assembly.id}/speakers")
    educator.client.post(f"/assemblies/{assembly.id}/speakers/next")
    assert assembly.speaker_id == second.id
    educator.client.post(f"/assemblies/{assembly.id}/speakers/next")
    assert assembly.speaker_id == third.id
    educator.client.post(f"/assemblies/{assembly.id}/speakers/next")
    assert assembly.speaker_id == first.id
    educator.client.post(f"/assemblies/{assembly.id}/speakers/next")
    assert assembly.speaker_id is None
    assert educator.client.post(f"/assemblies/{assembly.id}/speakers/next").status_code == 409


def test_asking_twice_is_answered_kindly_and_the_button_becomes_cancel(world, educator, tablet):
    assembly = opened(educator, world)
    tablet.sign_in_pupil(world.pupil)
    htmx = {"HX-Request": "true"}
    first = tablet.client.post(f"/assemblies/{assembly.id}/speakers", headers=htmx).get_data(as_text=True)
    assert "Cancel my turn" in first and "number 1 in the queue" in first
    again = tablet.client.post(f"/assemblies/{assembly.id}/speakers", headers=htmx)
    assert again.status_code == 409 and "already in the queue" in again.get_data(as_text=True)
    assert 'id="assembly-now"' in again.get_data(as_text=True)
    cancelled = tablet.client.post(f"/assemblies/{assembly.id}/speakers/cancel", headers=htmx)
    assert "Ask to speak" in cancelled.get_data(as_text=True)
    assert tablet.client.post(f"/assemblies/{assembly.id}/speakers/cancel", headers=htmx).status_code == 409


def test_nobody_asks_to_speak_outside_a_session(world, educator, tablet):
    assembly = plan(educator, world)
    tablet.sign_in_pupil(world.pupil)
    response = tablet.client.post(f"/assemblies/{assembly.id}/speakers", headers={"HX-Request": "true"})
    assert response.status_code == 409 and "not in session" in response.get_data(as_text=True)


def test_the_speaker_giver_calls_the_next_from_a_tablet_and_others_cannot(world, educator, make_client):
    assembly = opened(educator, world)
    giver = next(role.pupil for role in assembly.roles if role.role == "speaker_giver")
    other = next(pupil for pupil in world.pupils if pupil.id not in assembly.holders("speaker_giver"))
    asker, giving, outsider = make_client(), make_client(), make_client()
    for client, pupil in ((asker, other), (giving, giver), (outsider, other)):
        client.pair_tablet(world.cooperative)
        client.sign_in_pupil(pupil)
    asker.client.post(f"/assemblies/{assembly.id}/speakers")
    assert outsider.client.post(f"/assemblies/{assembly.id}/speakers/next").status_code == 403
    page = giving.client.get("/assemblies/tablet").get_data(as_text=True)
    assert "Give the floor to the next" in page and other.display_name in page
    assert giving.client.post(f"/assemblies/{assembly.id}/speakers/next").status_code == 302
    assert assembly.speaker_id == other.id


def test_the_chair_advances_from_a_tablet_only_when_allowed(world, educator, tablet):
    assembly = opened(educator, world)
    chair = next(role.pupil for role in assembly.roles if role.role == "chair")
    tablet.sign_in_pupil(chair)
    assert tablet.client.post(f"/assemblies/{assembly.id}/next").status_code == 403
    educator.client.post(f"/assemblies/{assembly.id}/chair", data={"chair_runs_board": "y"})
    assert "Next item" in tablet.client.get("/assemblies/tablet").get_data(as_text=True)
    assert tablet.client.post(f"/assemblies/{assembly.id}/next", headers={"HX-Request": "true"}).status_code == 200
    assert assembly.current_position == 1


def test_the_tablet_follows_with_204_until_something_changes(world, educator, tablet):
    tablet.sign_in_pupil(world.pupil)
    nothing = tablet.client.get("/assemblies/tablet?since=none", headers={"HX-Request": "true"})
    assert nothing.status_code == 204
    assembly = opened(educator, world)
    page = tablet.client.get("/assemblies/tablet?since=none", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "The assembly is on" in page and "Ask to speak" in page
    since = f"{assembly.id}.{assembly.version}"
    assert tablet.client.get(f"/assemblies/tablet?since={since}", headers={"HX-Request": "true"}).status_code == 204
    educator.client.post(f"/assemblies/{assembly.id}/next")
    assert tablet.client.get(f"/assemblies/tablet?since={since}", headers={"HX-Request": "true"}).status_code == 200
    assert "assemblies/tablet" in tablet.client.get("/tablet/me").get_data(as_text=True)


def test_the_minutes_are_drafted_completed_validated_then_frozen(world, educator, make_client):
    approved(world, "propose", "A chess club")
    assembly = opened(educator, world)
    secretary = next(role.pupil for role in assembly.roles if role.role == "secretary")
    present = [pupil.id for pupil in world.pupils[:4]]
    assert educator.client.post(f"/assemblies/{assembly.id}/attendance", data={"present": present}).status_code == 302
    tablet = make_client()
    tablet.pair_tablet(world.cooperative)
    tablet.sign_in_pupil(secretary)
    assert "Write the minutes" in tablet.client.get("/assemblies/tablet").get_data(as_text=True)
    outcomes = {f"outcomes-{index}": "" for index in range(len(assembly.items))}
    outcomes["outcomes-1"] = "Adopted: the chess club starts on Monday"
    response = tablet.client.post(f"/assemblies/{assembly.id}/minutes",
                                  data={"text": "We talked about the club.\nEveryone agreed.", **outcomes})
    assert response.status_code == 302
    assert educator.client.post(f"/assemblies/{assembly.id}/minutes/validate").status_code == 409
    educator.client.post(f"/assemblies/{assembly.id}/close")
    page = educator.client.get(f"/assemblies/{assembly.id}/minutes").get_data(as_text=True)
    for expected in ("4 pupils present", "Adopted: the chess club starts on Monday", "Everyone agreed.",
                     secretary.display_name, "Secretary", "Draft: not validated yet."):
        assert expected in page
    assert educator.client.post(f"/assemblies/{assembly.id}/minutes/validate").status_code == 302
    assert assembly.minutes_frozen
    frozen = educator.client.post(f"/assemblies/{assembly.id}/minutes", data={"text": "Changed afterwards"})
    assert frozen.status_code == 409 and "validated and frozen" in frozen.get_data(as_text=True)
    assert educator.client.post(f"/assemblies/{assembly.id}/attendance", data={"present": []}).status_code == 409
    db.session.expire_all()
    assert assembly.minutes_text == "We talked about the club.\nEveryone agreed."


def test_minutes_refuse_html_and_write_nothing(world, educator):
    assembly = opened(educator, world)
    response = educator.client.post(f"/assemblies/{assembly.id}/minutes",
                                    data={"text": "Fine <script>alert(1)</script>", "outcomes-0": "Good"})
    assert response.status_code == 422 and "plain words only" in response.get_data(as_text=True)
    db.session.expire_all()
    assert assembly.minutes_text == "" and assembly.items[0].outcome is None


def test_minutes_cannot_be_written_before_the_session(world, educator):
    assembly = plan(educator, world)
    assert educator.client.post(f"/assemblies/{assembly.id}/minutes", data={"text": "Early"}).status_code == 409


def test_the_minutes_print_in_french_and_english(world, educator):
    assembly = opened(educator, world)
    educator.client.post(f"/assemblies/{assembly.id}/close")
    english = educator.client.get(f"/assemblies/{assembly.id}/minutes")
    assert english.status_code == 200 and "Minutes of the assembly" in english.get_data(as_text=True)
    assert "data-print" in english.get_data(as_text=True)
    educator.client.post("/language", data={"language": "fr"})
    french = educator.client.get(f"/assemblies/{assembly.id}/minutes")
    assert french.status_code == 200 and '<html lang="fr">' in french.get_data(as_text=True)


def test_the_class_page_shows_how_many_different_pupils_spoke(world, educator, make_client):
    assembly = opened(educator, world)
    for pupil in world.pupils[:2]:
        tablet = make_client()
        tablet.pair_tablet(world.cooperative)
        tablet.sign_in_pupil(pupil)
        tablet.client.post(f"/assemblies/{assembly.id}/speakers")
        educator.client.post(f"/assemblies/{assembly.id}/speakers/next")
    page = educator.client.get(f"/assemblies/classes/{world.cooperative.id}").get_data(as_text=True)
    assert "2 different pupils spoke" in page and "2 turns" in page


def test_the_head_reads_assemblies_but_changes_nothing(world, educator, make_client):
    assembly = plan(educator, world)
    head = make_client()
    head.sign_in(world.head.email)
    assert head.client.get(f"/assemblies/{assembly.id}").status_code == 200
    assert head.client.get(f"/assemblies/{assembly.id}/minutes").status_code == 200
    assert head.client.post(f"/assemblies/{assembly.id}/open").status_code == 403
    planned = head.client.post(f"/assemblies/classes/{world.cooperative.id}", data={"day": "2027-01-01"})
    assert planned.status_code == 403
    assert assembly.status == "planned"


def test_agenda_items_keep_unique_positions_in_the_database(world, educator):
    assembly = plan(educator, world)
    db.session.add(AgendaItem(assembly_id=assembly.id, position=0, section="free", title="Clash"))
    with pytest.raises(Exception, match="UNIQUE|unique"):
        db.session.commit()
    db.session.rollback()


def test_a_check_constraint_refuses_a_closed_assembly_without_closing_time(world, educator):
    assembly = plan(educator, world)
    assembly.status = "closed"
    with pytest.raises(Exception, match="CHECK|check"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Assembly, assembly.id).status == "planned"


def test_the_educators_run_panel_refreshes_only_when_something_changed(world, educator, tablet):
    assembly = opened(educator, world)
    version = assembly.version
    assert educator.client.get(f"/assemblies/{assembly.id}?since={version}").status_code == 204
    tablet.sign_in_pupil(world.pupil)
    tablet.client.post(f"/assemblies/{assembly.id}/speakers")
    page = educator.client.get(f"/assemblies/{assembly.id}?since={version}", headers={"HX-Request": "true"})
    assert page.status_code == 200 and world.pupil.display_name in page.get_data(as_text=True)


@pytest.mark.parametrize(("path", "data"), [
    ("/items", {"title": "Trip", "minutes": "ten"}),
    ("/items", {"title": "Trip", "minutes": "500"}),
    ("/items/from-message", {"message_id": "abc"}),
    ("/items/from-message", {"message_id": "999999"}),
    ("/roles", {"chair": "abc", "teller_1": "999999"}),
    ("/attendance", {"present": ["x", "999999"]}),
    ("/minutes", {"text": "x" * 6000}),
    ("/minutes", {"text": "Fine", "outcomes-0": "y" * 400}),
])
def test_odd_input_is_refused_with_a_4xx_and_changes_nothing(world, educator, path, data):
    assembly = plan(educator, world) if "minutes" not in path else opened(educator, world)
    before = (assembly.version, len(assembly.items))
    response = educator.client.post(f"/assemblies/{assembly.id}{path}", data=data)
    assert 400 <= response.status_code < 500, response.status_code
    db.session.expire_all()
    assert (assembly.version, len(assembly.items)) == before


def test_odd_versions_and_unknown_assemblies_never_break_the_board(world, educator):
    assembly = opened(educator, world)
    for since in ("", "abc", "-1", "9" * 400, "1.2.3"):
        assert board_state(educator.client, assembly, since).status_code == 200
    assert educator.client.get("/assemblies/999999/board/state?since=1").status_code == 404


def test_attendance_starts_with_everyone_present_so_the_educator_unticks_the_absent(world, educator):
    approved(world, "propose", "A chess club")
    assembly = opened(educator, world)
    page = educator.client.get(f"/assemblies/{assembly.id}/minutes").get_data(as_text=True)
    assert "Untick the pupils who are absent, then save" in page
    ticked = re.findall(r'<input checked id="present-\d+" name="present" type="checkbox" value="(\d+)"', page)
    assert sorted(map(int, ticked)) == sorted(pupil.id for pupil in world.pupils)
    present = [pupil.id for pupil in world.pupils[1:]]
    educator.client.post(f"/assemblies/{assembly.id}/attendance", data={"present": present})
    page = educator.client.get(f"/assemblies/{assembly.id}/minutes").get_data(as_text=True)
    ticked = re.findall(r'<input checked id="present-\d+" name="present" type="checkbox" value="(\d+)"', page)
    assert sorted(map(int, ticked)) == sorted(present) and "Tick the pupils present" in page
