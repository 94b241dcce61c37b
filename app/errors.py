"""One place that turns errors into pages or fragments, in the user's language, never a stack trace."""

import time
from typing import NoReturn

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError, default_exceptions

from app.extensions import db, limiter
from app.htmx import wants_fragment
from app.request_log import request_id


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
        503: (_("The server is busy"), _("Nothing was saved. Try again in a few seconds.")),
    }


def _what_was_saved() -> str:
    """The advice of a 5xx page, true to this request: it may have saved something before it failed."""
    if g.get("saved"):
        return _("What you did was saved, but this page could not be shown. Reload it or go back.")
    if request.method in ("GET", "HEAD"):
        return _("This page could not be shown. Try again in a moment.")
    return _("Nothing was saved. Try again in a moment.")


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


def handle_too_many_attempts(error: RateLimitExceeded):
    """The limit's own headers are off (they cost two more trips to the limiter's storage on every answer); a
    refusal still says when to come back."""
    db.session.rollback()
    page, status = render_error(429)
    limit = limiter.current_limit
    seconds = max(1, int(limit.reset_at - time.time())) if limit is not None else 60
    return page, status, {"Retry-After": str(seconds)}


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
    if _is_busy_database(error):
        current_app.logger.warning("Database busy on endpoint %s: %s", request.endpoint, type(error.orig).__name__)
        page, status = render_error(503, None if not g.get("saved") else _what_was_saved())
        return page, status, {"Retry-After": "3"}
    current_app.logger.exception("Unexpected error on endpoint %s (request %s)", request.endpoint, request_id())
    return render_error(InternalServerError.code, _what_was_saved())


BUSY_SQLSTATES = {"55P03", "57014", "40P01", "40001"}  # lock timeout, statement timeout, deadlock, serialization


def _is_busy_database(error: Exception) -> bool:
    """A wait that ran out (SQLite's busy timeout, PostgreSQL's lock or statement timeout) or a deadlock."""
    if not isinstance(error, OperationalError | DBAPIError) or error.orig is None:
        return False
    if getattr(error.orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "database is locked" in str(error.orig) or "database is busy" in str(error.orig)


def _note_writing(session, *_args) -> None:
    session.info["wrote"] = True


def _note_orm_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _note_writing(state.session)


def _remember_saving(session) -> None:
    """A commit that wrote something: the request has saved, whatever fails after it."""
    if session.info.pop("wrote", False) and has_request_context():
        g.saved = True


def _forget_writing(session, *_args) -> None:
    session.info.pop("wrote", None)


SAVING_EVENTS = (("after_flush", _note_writing), ("do_orm_execute", _note_orm_statement),
                 ("after_commit", _remember_saving), ("after_rollback", _forget_writing))


def init_app(app: Flask) -> None:
    for name, listener in SAVING_EVENTS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    app.register_error_handler(RateLimitExceeded, handle_too_many_attempts)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(SecurityError, handle_foreign_host)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
