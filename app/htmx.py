"""The one place that decides between a whole page and an htmx fragment."""

from flask import make_response, render_template, request


def wants_fragment() -> bool:
    """Only a plain htmx request gets a fragment: boosted links and history restores need the page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(page: str, fragment: str, status: int = 200, **context):
    response = make_response(render_template(fragment if wants_fragment() else page, **context), status)
    response.vary.add("HX-Request")
    return response
