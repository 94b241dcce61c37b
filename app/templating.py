"""What every template may use: the policy, pictograms, languages, dates in the school's time zone."""

import json

from flask import Flask, current_app
from flask_babel import get_locale

from app import dates
from app.authz import allowed
from app.home import home_url, shows_my_classes
from app.pictograms import picture, picture_name
from app.polls.board import current_board_poll
from app.polls.presenting import GRADE_PICTOS, grade_names, present, rule_sentence
from app.register.presenting import figures_line


def template_globals() -> dict:
    return {
        "can": allowed,
        "home_url": home_url,
        "shows_my_classes": shows_my_classes,
        "picture": picture,
        "picture_name": picture_name,
        "present_result": present,
        "current_board_poll": current_board_poll,
        "rule_sentence": rule_sentence,
        "grade_names": grade_names,
        "figures_line": figures_line,
        "grade_pictos": GRADE_PICTOS,
        "current_language": str(get_locale()),
        "languages": current_app.config["LANGUAGES"],
        "idle_seconds": current_app.config["PUPIL_IDLE_SECONDS"],
        "idle_warning_seconds": current_app.config["PUPIL_IDLE_WARNING_SECONDS"],
    }


def from_json(text: str | None):
    return json.loads(text) if text else {}


def init_app(app: Flask) -> None:
    app.context_processor(template_globals)
    app.jinja_env.filters["fromjson"] = from_json
    dates.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
