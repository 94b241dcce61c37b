"""'Is my vote in the box?': the émargement answers for the pupil of the confirm page, on their class's tablet,
for a few minutes, and to nobody else."""

import re
import time

from itsdangerous.timed import TimestampSigner

from tests.http.test_polls import open_motion


def check_url(tablet, poll) -> str:
    page = tablet.client.post(f"/tablet/vote/{poll.id}/confirm", data={"choice": "for"}).get_data(as_text=True)
    return re.search(r'data-vote-check-url="([^"]+)"', page).group(1)


def test_the_check_answers_from_the_emargement_even_after_the_cast_signed_the_pupil_out(world, educator, tablet):
    poll, _ = open_motion(educator, world)
    tablet.sign_in_pupil(world.pupil)
    url = check_url(tablet, poll)
    assert "your vote is not in the box yet" in tablet.client.get(url).get_data(as_text=True)
    assert tablet.client.post(f"/tablet/vote/{poll.id}/cast", data={"choice": "for"}).status_code == 302
    assert tablet.client.get("/tablet/me").status_code == 302, "the cast signed the pupil out"
    answer = tablet.client.get(url).get_data(as_text=True)
    assert f"Yes, {world.pupil.first_name}: your vote is in the box." in answer
    assert "for" not in answer.lower().split("your vote is in the box")[1][:40], "the choice is never shown"


def test_a_forged_or_foreign_check_answers_nothing(world, educator, tablet, make_client):
    poll, _ = open_motion(educator, world)
    tablet.sign_in_pupil(world.pupil)
    url = check_url(tablet, poll)
    assert tablet.client.get(url[:-3] + "abc").status_code == 404
    other_class_tablet = make_client()
    other_class_tablet.pair_tablet(world.other_cooperative)
    assert other_class_tablet.client.get(url).status_code == 404
    assert make_client().client.get(url).status_code in (302, 403), "an unpaired browser is sent away"
    other_poll, _ = open_motion(educator, world, question="Another one?")
    assert tablet.client.get(url.replace(f"/vote/{poll.id}/", f"/vote/{other_poll.id}/")).status_code == 404


def test_a_check_expires(world, educator, tablet, monkeypatch):
    poll, _ = open_motion(educator, world)
    tablet.sign_in_pupil(world.pupil)
    url = check_url(tablet, poll)
    in_sixteen_minutes = int(time.time()) + 16 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: in_sixteen_minutes)
    answer = tablet.client.get(url)
    assert answer.status_code == 404 and "This check has expired." in answer.get_data(as_text=True)
