"""Which language and time zone a page is shown in."""

from flask import current_app, request, session
from flask_login import current_user


def select_locale() -> str:
    chosen = session.get("language")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"


def select_timezone() -> str:
    cooperative = getattr(current_user, "cooperative", None)
    if cooperative is not None:
        return cooperative.school.timezone
    return current_app.config["DEFAULT_TIMEZONE"]
