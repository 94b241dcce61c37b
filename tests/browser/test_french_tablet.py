"""A French tablet: the whole pupil sign-in in French, on the words the catalogue gives."""

import re

from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from app.database import begin_writing
from app.extensions import db
from app.models.types import utcnow
from app.pictograms import picture_name
from app.services import tablets
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in_journeys import tap_code


def french(app, text: str, **values) -> str:
    with app.test_request_context(), force_locale("fr"):
        return _(text, **values)


def french_picture(app, key: str) -> str:
    with app.test_request_context(), force_locale("fr"):
        return picture_name(key)


def test_a_french_pupil_signs_in_alone(app, world, new_page):
    begin_writing(db.session)
    _link, token = tablets.new_pairing_link(world.cooperative, utcnow())
    db.session.commit()
    tablet = new_page(locale="fr-FR")
    tablet.goto(f"/tablet/pair/{token}")
    tablet.get_by_label(french(app, "Name of this tablet")).fill("Tablette 1")
    tablet.get_by_role("button", name=french(app, "Pair this tablet")).click()
    expect(tablet.get_by_role("heading", name=french(app, "Who are you?"))).to_be_visible()
    assert french(app, "Who are you?") != "Who are you?", "the French catalogue is missing"
    screenshot(tablet, "tablet-roster-fr")
    tablet.get_by_role("link", name=world.pupil.display_name).click()
    screenshot(tablet, "tablet-code-fr")
    tap_code(tablet, world.pupil.picture_code, lambda key: french_picture(app, key))
    expect(tablet).to_have_url(re.compile(r"/tablet/me$"))
    greeting = french(app, "Hello %(name)s!", name=world.pupil.first_name)
    expect(tablet.get_by_role("heading", name=greeting)).to_be_visible()
    screenshot(tablet, "tablet-home-fr")
    tablet.get_by_role("button", name=french(app, "I am done")).click()
    expect(tablet.get_by_text(french(app, "Thank you! Next pupil →"))).to_be_visible()
