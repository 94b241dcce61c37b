"""The operator's first account, made from the shell."""

from app.extensions import db
from app.services import accounts
from tests.conftest import PASSWORD

NEW = "a long enough passphrase"


def create_admin(runner, *args, answers=""):
    return runner.invoke(args=["accounts", "create-admin", *args], input=answers)


def test_the_first_federation_admin_is_made_from_the_shell_and_signs_in(app, runner, act):
    result = create_admin(runner, "root@fed.example.org", "--name", "Root", answers=f"{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert NEW not in result.output
    user = accounts.user_by_email("root@fed.example.org")
    assert user.is_federation_admin
    assert act.sign_in("root@fed.example.org", NEW).status_code == 302
    assert act.client.get("/federation/").status_code == 200


def test_an_existing_account_is_promoted_without_touching_its_password(app, world, runner):
    result = create_admin(runner, "teacher@a.example.org")
    assert result.exit_code == 0 and "now a federation admin" in result.output
    db.session.expire_all()
    assert world.educator.is_federation_admin and accounts.authenticate("teacher@a.example.org", PASSWORD)


def test_a_short_or_mistyped_password_makes_no_account(app, runner):
    assert create_admin(runner, "a@fed.example.org", "--name", "A", answers="short\nshort\n").exit_code != 0
    mistyped = create_admin(runner, "b@fed.example.org", "--name", "B", answers=f"{NEW}\nother\n")
    assert mistyped.exit_code != 0
    assert accounts.user_by_email("a@fed.example.org") is None and accounts.user_by_email("b@fed.example.org") is None
