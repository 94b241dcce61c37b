"""Agora: class cooperatives that deliberate, vote by secret ballot and keep a register."""

from flask import Flask

from config import Config, config_from_environment


def create_app(config: Config | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_relative_config=True)
    app.config.from_object(config or config_from_environment())
    check_production_secret(app)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_commands(app)
    return app


def check_production_secret(app: Flask) -> None:
    from config import DEVELOPMENT_SECRET

    if app.config["PRODUCTION"] and app.config["SECRET_KEY"] in ("", DEVELOPMENT_SECRET):
        raise RuntimeError("Set SECRET_KEY (and BALLOT_KEY_SECRET) to real secrets before running in production.")


def register_extensions(app: Flask) -> None:
    from app import ballot_keys, database, models  # noqa: F401 - models registers the tables for migrations
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from app.i18n import select_locale, select_timezone

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
    from app.schools.routes import blueprint as schools
    from app.tablet.routes import blueprint as tablet
    from app.treasury.routes import blueprint as treasury

    inputs.init_app(app)  # before the routes are added: Werkzeug picks a rule's converter then
    for blueprint in (public, auth, federation, schools, classes, tablet, polls, booth, register, messages, assemblies,
                      treasury):
        app.register_blueprint(blueprint)


def register_hooks(app: Flask) -> None:
    from app import assets, errors, identity, security, templating

    assets.init_app(app)
    identity.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
