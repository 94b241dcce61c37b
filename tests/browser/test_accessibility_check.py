"""The accessibility check finds what it must: a page that breaks a WCAG rule fails it, and our sign-in page
passes it."""

from tests.browser.accessibility import violations


def test_the_check_finds_a_missing_text_alternative_and_an_unlabelled_field(new_page):
    page = new_page()
    page.goto("/account/sign-in")
    assert violations(page) == []
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<img src=\"/static/favicon.svg\"><input type=\"text\">')")
    found = " ".join(violations(page))
    assert "image-alt" in found and "label" in found
