"""No page of a pupil's sign-in breaks our Content Security Policy: the browser reports no violation."""

from tests.browser.test_sign_in_journeys import pair_tablet_from_class_page, sign_in_adult, tap_code


def test_signing_in_with_pictures_raises_no_csp_violation(world, new_page):
    educator, tablet = new_page(), new_page()
    violations = []
    tablet.on("console", lambda message: violations.append(message.text)
              if "Content Security Policy" in message.text else None)
    tablet.add_init_script("window.cspViolations = [];"
                           "document.addEventListener('securitypolicyviolation', function (event) {"
                           "  window.cspViolations.push(event.violatedDirective + ' ' + event.sample); });")
    sign_in_adult(educator, world.educator.email)
    pair_tablet_from_class_page(educator, tablet, world.cooperative)
    tablet.goto("/tablet/")
    tablet.get_by_role("link", name=world.pupil.display_name).click()
    tap_code(tablet, world.pupil.picture_code)
    tablet.wait_for_url("**/tablet/me")
    assert violations == [] and tablet.evaluate("window.cspViolations") == []
