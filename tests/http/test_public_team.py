"""The team on the public home page is kept by the federation admins: add, edit, remove, reorder."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import TeamMember
from app.services import team
from tests.conftest import PASSWORD


@pytest.fixture
def admin(world, make_client):
    actions = make_client()
    actions.sign_in(world.admin.email, PASSWORD)
    return actions


def names() -> list[str]:
    db.session.expire_all()
    return [member.name for member in team.members()]


def add(admin, name: str, role: str = "Volunteer", bio: str = ""):
    return admin.client.post("/federation/team", data={"name": name, "role": role, "bio": bio})


def test_the_admin_adds_people_who_appear_on_the_home_page(admin, client):
    assert admin.client.get("/federation/team").status_code == 200
    assert add(admin, "Camille Martin", "President", "Taught in a Freinet class.").status_code == 302
    assert add(admin, "  Yanis Haddad ", "Trainer").status_code == 302
    assert names() == ["Camille Martin", "Yanis Haddad"]
    html = client.get("/").get_data(as_text=True)
    assert "Camille Martin" in html and "President" in html and "Taught in a Freinet class." in html


@pytest.mark.parametrize("data", [{"name": "", "role": "President"}, {"name": "Camille", "role": ""},
                                  {"name": "Camille", "role": "President", "bio": "x" * 601}])
def test_a_member_needs_a_name_and_a_role_and_a_short_bio(admin, data):
    response = admin.client.post("/federation/team", data=data)
    assert response.status_code == 422
    assert names() == []


def test_the_admin_edits_a_presentation(admin):
    add(admin, "Camille Martin", "President")
    member = db.session.scalar(select(TeamMember))
    assert admin.client.get(f"/federation/team/{member.id}").status_code == 200
    response = admin.client.post(f"/federation/team/{member.id}",
                                 data={"name": "Camille Martin", "role": "Honorary president", "bio": "Retired."})
    assert response.status_code == 302
    db.session.expire_all()
    assert (member.role, member.bio) == ("Honorary president", "Retired.")
    assert admin.client.post(f"/federation/team/{member.id}", data={"name": "", "role": "x"}).status_code == 422


def test_the_admin_reorders_and_removes(admin):
    for name in ("Ana", "Ben", "Chloé"):
        add(admin, name)
    ids = {member.name: member.id for member in team.members()}
    assert admin.client.post(f"/federation/team/{ids['Chloé']}/up").status_code == 302
    assert names() == ["Ana", "Chloé", "Ben"]
    admin.client.post(f"/federation/team/{ids['Ana']}/down")
    assert names() == ["Chloé", "Ana", "Ben"]
    admin.client.post(f"/federation/team/{ids['Chloé']}/up")  # already first: nothing moves
    assert names() == ["Chloé", "Ana", "Ben"]
    assert admin.client.post(f"/federation/team/{ids['Ana']}/remove").status_code == 302
    assert names() == ["Chloé", "Ben"]
    assert admin.client.post(f"/federation/team/{ids['Ana']}/remove").status_code == 404


def test_only_federation_admins_keep_the_team(world, make_client):
    member = team.add_member("Camille Martin", "President", "")
    db.session.commit()
    for person in (world.head, world.educator):
        actions = make_client()
        actions.sign_in(person.email, PASSWORD)
        assert actions.client.get("/federation/team").status_code == 403
        assert actions.client.post(f"/federation/team/{member.id}/remove").status_code == 403
    assert names() == ["Camille Martin"]
