"""One place that turns errors into pages or fragments, in the user's language, never a stack trace."""

from typing import NoReturn

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError, default_exceptions

from app.extensions import db
from app.htmx import wants_fragment


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something in the request was not right"), _("Go back, check what you typed and try again.")),
        403: (_("This page is not for you"), _("Sign in with an account that may see it, or go back.")),
        404: (_("We cannot find this page"), _("Check the address, or start again from the home page.")),
        405: (_("This action is not possible here"), _("Go back and use the buttons on the page.")),
        409: (_("This was changed in the meantime"), _("Reload the page to see the latest version.")),
        413: (_("This file is too big"), _("Send a file smaller than 2 MB.")),
        422: (_("Something in the form was not right"), _("Correct the fields shown and send again.")),
        429: (_("Too many attempts"), _("Wait a minute, then try again.")),
        500: (_("Something went wrong on our side"), _("Nothing was saved. Try again in a moment.")),
    }


def render_error(status: int, detail: str | None = None):
    title, advice = _messages().get(status, _messages()[400 if status < 500 else 500])
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, status=status, title=title, advice=detail or advice), status


def abort_with(status: int, message: str) -> NoReturn:
    """Stop the request with a status and a message that tells the user what to do next."""
    error = default_exceptions[status]()
    error.agora_detail = message
    raise error


def handle_http_exception(error: HTTPException):
    db.session.rollback()
    return render_error(error.code or 500, getattr(error, "agora_detail", None))


def handle_csrf_error(error: CSRFError):
    db.session.rollback()
    return render_error(400, _("This page has expired. Reload it and try again."))


def handle_foreign_host(error: SecurityError):
    """A request naming a host that is not ours: no page can be built for it, since every link would need a host."""
    message = _("This server does not answer for this address. Use the address your school gave you.")
    return current_app.response_class(message, status=400, mimetype="text/plain")


def handle_unexpected(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    current_app.logger.exception("Unexpected error on endpoint %s", request.endpoint)
    return render_error(InternalServerError.code)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(SecurityError, handle_foreign_host)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
