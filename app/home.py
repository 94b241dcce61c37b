"""Where an adult lands, after signing in and from Home in the navigation: a school head on their school's page (or
the list of their schools when they head several), everyone else on their classes."""

from flask import url_for

from app.domain.policy import Actor
from app.identity import current_actor


def home_url(actor: Actor | None = None) -> str:
    actor = actor or current_actor()
    if len(actor.head_of) == 1:
        (school_id,) = actor.head_of
        return url_for("schools.show", school_id=school_id)
    if actor.head_of:
        return url_for("schools.index")
    return url_for("classes.dashboard")


def shows_my_classes(actor: Actor | None = None) -> bool:
    """"My classes" stands beside Home for a head who also teaches; for anyone else Home already is that page."""
    actor = actor or current_actor()
    return bool(actor.head_of) and bool(actor.educator_at or actor.guides)
