"""Agora: class cooperatives that deliberate, vote by secret ballot and keep a register."""

from flask import Flask

from config import Config, config_from_environment


def create_app(config: Config | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_relative_config=True)
    app.config.from_object(config or config_from_environment())
    check_production_secret(app)
    serve_live_screens(app)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_commands(app)
    return app


MINIMUM_SECRET_LENGTH = 43  # 32 random bytes, as secrets.token_urlsafe(32) writes them
HOW_TO_MAKE_A_KEY = 'make one with: python3 -c "import secrets; print(secrets.token_urlsafe(32))"'


def check_production_secret(app: Flask) -> None:
    if not app.config["PRODUCTION"]:
        return
    for name in ("SECRET_KEY", "BALLOT_KEY_SECRET"):
        if not looks_random(app.config[name]):
            raise RuntimeError(f"{name} is missing or too weak for production; {HOW_TO_MAKE_A_KEY}")


def looks_random(secret: str) -> bool:
    """Long enough for 32 random bytes and not a placeholder: no phrase repeats few characters 43 times over."""
    from config import DEVELOPMENT_SECRET

    return len(secret) >= MINIMUM_SECRET_LENGTH and secret != DEVELOPMENT_SECRET and len(set(secret)) >= 10


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT proxies the client's address and scheme are the ones they forward, and no other."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    count = app.config["PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def serve_live_screens(app: Flask) -> None:
    """Unchanged polls of boards and tablets are answered before Flask; inside the proxy fix, which comes next."""
    from app import live

    live.init_app(app)


def register_extensions(app: Flask) -> None:
    from app import ballot_keys, database, links, models  # noqa: F401 - models registers the tables for migrations
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from app.i18n import select_locale, select_timezone

    links.init_app(app)
    database.init_app(app)
    ballot_keys.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from app import inputs
    from app.assemblies.routes import blueprint as assemblies
    from app.auth.routes import blueprint as auth
    from app.booth.routes import blueprint as booth
    from app.classes.routes import blueprint as classes
    from app.federation.routes import blueprint as federation
    from app.messages.routes import blueprint as messages
    from app.polls.routes import blueprint as polls
    from app.public.routes import blueprint as public
    from app.register.routes import blueprint as register
    from app.reports.routes import blueprint as reports
    from app.schools.routes import blueprint as schools
    from app.tablet.routes import blueprint as tablet
    from app.treasury.routes import blueprint as treasury
    from app.year.routes import blueprint as year

    inputs.init_app(app)  # before the routes are added: Werkzeug picks a rule's converter then
    for blueprint in (public, auth, federation, schools, classes, tablet, polls, booth, register, messages, assemblies,
                      treasury, reports, year):
        app.register_blueprint(blueprint)


def register_hooks(app: Flask) -> None:
    from app import assets, compression, errors, identity, request_log, security, templating

    request_log.init_app(app)
    compression.init_app(app)  # hooks run last-registered first: it compresses what every later hook has written
    assets.init_app(app)
    identity.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
