"""Live screens that cost almost nothing while nothing changes.

Boards and tablets ask every second whether what they show changed. The fragment that polls carries a screen pass:
a signed note naming what the screen may watch and the sign-in it belongs to. A WSGI layer in front of Flask answers
an unchanged poll that shows a valid pass with 204, from one indexed read that both checks the sign-in still holds
and reads the version — no session cookie, no sign-in, no Flask request. Everything else (changed, no pass, a bad,
expired or revoked pass, a database error) goes on to the Flask route, which authorizes in full and renders. A pass
tells only "unchanged"; the state is in the database, so every worker on every machine answers the same.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from urllib.parse import parse_qsl

from flask import Flask, current_app, request, session
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, and_, bindparam, create_engine, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, MapAdapter, Rule

from app import request_log
from app.extensions import db
from app.identity import current_tablet
from app.models import AdultSession, Assembly, Cooperative, CooperativeEducator, PairedTablet, Pupil
from app.models.types import utcnow
from app.security import NO_STORE, SECURE_TRANSPORT, SECURITY_HEADERS
from app.services.assemblies import board_version, tablet_version
from app.services.tokens import hash_token

HEADER = "X-Screen-Pass"
PASS_LIFETIME = 15 * 60  # seconds; an older pass goes through Flask once, which hands out a new one
RENEW = "agora.renew_screen_pass"  # in the WSGI environ: the pass was authentic but too old
PUPIL_IDLE_GRACE = 15  # seconds, as the pupil's sign-in guard allows


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="agora-live-screen")


# Handing out passes, inside a Flask request -------------------------------------------------------------------------

def _sign_in_hash() -> str | None:
    key = getattr(current_user, "session_key", None) if current_user.is_authenticated else None
    return hash_token(key) if key else None


def board_pass(assembly: Assembly) -> str:
    """The pass of a projected board: this assembly, for as long as this adult's sign-in lasts."""
    sign_in = _sign_in_hash()
    if sign_in is None or current_user.is_pupil:
        return ""
    return _serializer(current_app.secret_key).dumps({"screen": "board", "assembly": assembly.id, "sign_in": sign_in})


def tablet_pass() -> str:
    """The pass of a pupil's tablet: their class's assembly, while this pupil's sign-in holds this tablet and
    until the pupil's idle time runs out (then Flask's guard decides)."""
    sign_in, tablet = _sign_in_hash(), current_tablet()
    if sign_in is None or tablet is None or not current_user.is_pupil:
        return ""
    seen = session.get("pupil_seen", utcnow().timestamp())
    until = int(seen + current_app.config["PUPIL_IDLE_SECONDS"] + PUPIL_IDLE_GRACE)
    return _serializer(current_app.secret_key).dumps({
        "screen": "tablet", "class": current_user.cooperative_id, "tablet": tablet.id, "pupil": current_user.id,
        "sign_in": sign_in, "until": until})


def unchanged(version: str) -> bool:
    """For the Flask routes: the screen shows this version already, and its pass needs no renewal."""
    return request.args.get("since") == version and RENEW not in request.environ


# Reading the version for a pass, in one statement --------------------------------------------------------------------

@cache
def _board_query() -> Select:
    """The assembly, joined to the sign-in while it lasts and to its adult's guiding of the class."""
    signed_in = and_(AdultSession.key_hash == bindparam("sign_in"), AdultSession.expires_at > bindparam("now"))
    guides = and_(CooperativeEducator.user_id == AdultSession.user_id,
                  CooperativeEducator.cooperative_id == Assembly.cooperative_id)
    return (select(Assembly.id, Assembly.version).join(AdultSession, signed_in).join(CooperativeEducator, guides)
            .where(Assembly.id == bindparam("assembly")))


@cache
def _tablet_query() -> Select:
    """The paired tablet held by the pupil's sign-in, their open class, and its assembly in session if any."""
    tablet = PairedTablet
    open_class = and_(Cooperative.id == tablet.cooperative_id, Cooperative.archived_at.is_(None))
    pupil = and_(Pupil.id == bindparam("pupil"), Pupil.cooperative_id == tablet.cooperative_id,
                 Pupil.closed_at.is_(None))
    in_session = and_(Assembly.cooperative_id == tablet.cooperative_id, Assembly.status == "in_session")
    return (select(Assembly.id, Assembly.version).select_from(tablet).join(Cooperative, open_class)
            .join(Pupil, pupil).outerjoin(Assembly, in_session)
            .where(tablet.id == bindparam("tablet"), tablet.cooperative_id == bindparam("class"),
                   tablet.revoked_at.is_(None), tablet.pupil_session_hash == bindparam("sign_in")).limit(1))


def board_version_for(granted: dict, values: dict, now: datetime, connection: Connection) -> str | None:
    """The assembly's version while the sign-in lasts and its adult still guides the class; else None."""
    if values.get("assembly_id") != granted["assembly"]:
        return None
    row = connection.execute(_board_query(), {"sign_in": granted["sign_in"], "now": now,
                                              "assembly": granted["assembly"]}).first()
    return board_version(row) if row is not None else None


def tablet_version_for(granted: dict, values: dict, now: datetime, connection: Connection) -> str | None:
    """The version a tablet shows while it is paired, its pupil signed in on it, their class open; else None.
    (Past the pupil's idle time the pass is refused earlier: Flask's sign-in guard decides then.)"""
    row = connection.execute(_tablet_query(), {key: granted[key] for key in ("pupil", "tablet", "class", "sign_in")})
    row = row.first()
    if row is None:
        return None
    return tablet_version(row if row.id is not None else None)


@dataclass(frozen=True)
class Screen:
    kind: str
    version_for: Callable[[dict, dict, datetime, Connection], str | None]
    headers: tuple[tuple[str, str], ...] = ()


SCREENS = {
    "assemblies.board_state": Screen("board", board_version_for),
    "assemblies.tablet_now": Screen("tablet", tablet_version_for, NO_STORE),  # a shared tablet keeps nothing
}


# The WSGI layer -------------------------------------------------------------------------------------------------------

class LiveScreens:
    """Answers unchanged polls that show a valid pass; hands every other request to the app."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.engine: Engine | None = None
        self.routes: MapAdapter | None = None

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_SCREEN_PASS") and environ.get("REQUEST_METHOD") == "GET":
            started = time.perf_counter()
            answered = self.unchanged(environ)
            if answered is not None:
                return self.no_content(environ, start_response, answered, started)
        return self.wsgi_app(environ, start_response)

    def unchanged(self, environ) -> tuple[Screen, str] | None:
        """The screen and route when the poll may be answered "unchanged" here; None to let Flask answer."""
        try:
            rule, values = self.screen_routes().match(environ.get("PATH_INFO", ""), "GET", return_rule=True)
        except HTTPException:
            return None
        screen = SCREENS.get(rule.endpoint)
        granted = self.granted(environ, screen)
        since = dict(parse_qsl(environ.get("QUERY_STRING", ""))).get("since")
        if screen is None or granted is None or since is None:
            return None
        try:
            with self.connect() as connection:
                version = screen.version_for(granted, values, utcnow(), connection)
        except SQLAlchemyError:
            return None  # Flask answers, with its own connection checks
        return (screen, rule.rule) if version == since else None

    def granted(self, environ, screen: Screen | None) -> dict | None:
        """What the pass grants, when it is authentic, recent and for this kind of screen."""
        if screen is None:
            return None
        try:
            granted = _serializer(self.app.secret_key).loads(environ["HTTP_X_SCREEN_PASS"], max_age=PASS_LIFETIME)
        except SignatureExpired:
            environ[RENEW] = True
            return None
        except BadSignature:
            return None
        if not isinstance(granted, dict) or granted.get("screen") != screen.kind:
            return None
        if time.time() > granted.get("until", time.time()):
            environ[RENEW] = True
            return None
        return granted

    def screen_routes(self) -> MapAdapter:
        """The app's own rules for the screens' routes, alone: matching them is cheaper than the whole map."""
        if self.routes is None:
            rules = [Rule(rule.rule, endpoint=rule.endpoint, methods=["GET"])
                     for rule in self.app.url_map.iter_rules() if rule.endpoint in SCREENS]
            self.routes = Map(rules, converters=self.app.url_map.converters).bind("screens")
        return self.routes

    def database(self) -> Engine:
        if self.engine is None:
            with self.app.app_context():
                self.engine = engine_for_screens(db.engine, self.app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        return self.engine

    def connect(self) -> Connection:
        return self.database().connect()

    def no_content(self, environ, start_response, answered: tuple[Screen, str], started: float):
        screen, route = answered
        ident = request_log.new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        secure = (SECURE_TRANSPORT,) if environ.get("wsgi.url_scheme") == "https" else ()
        start_response("204 NO CONTENT", [*SECURITY_HEADERS, *secure, *screen.headers, ("X-Request-ID", ident)])
        request_log.write_line(ident, "GET", route, 204, started)
        return []


def engine_for_screens(app_engine: Engine, options: dict) -> Engine:
    """SQLite: the app's engine (in process, a transaction costs nothing). PostgreSQL: an engine of its own, in
    autocommit and without the app's ping before each use, so that a poll is one round trip; a dropped connection
    fails one read, which Flask then answers, and the pool is renewed. It closes with the app's engine."""
    if app_engine.dialect.name == "sqlite":
        return app_engine
    engine = create_engine(app_engine.url, isolation_level="AUTOCOMMIT", connect_args=options.get("connect_args", {}))
    event.listen(app_engine, "engine_disposed", lambda _disposed: engine.dispose())
    return engine


def init_app(app: Flask) -> None:
    app.wsgi_app = LiveScreens(app, app.wsgi_app)
