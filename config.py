"""Configuration classes: every setting comes from the environment, with safe development defaults."""

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused in production


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{INSTANCE_DIR / 'agora.sqlite'}"


def _switched_on(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value not in ("0", "false", "no", "off")


class Config:
    """Development defaults: SQLite in instance/, one process, mails printed to the console."""

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET)
        self.BALLOT_KEY_SECRET = os.environ.get("BALLOT_KEY_SECRET", self.SECRET_KEY)
        # Outside the database and never backed up: a folder (0700, one 0600 file a poll) or a redis:// URL.
        self.BALLOT_KEY_STORE = os.environ.get("BALLOT_KEY_STORE", str(INSTANCE_DIR / "ballot-keys"))
        self.SQLALCHEMY_DATABASE_URI = _database_url()
        self.REDIS_URL = os.environ.get("REDIS_URL", "")
        # How many reverse proxies stand in front and add X-Forwarded-For: their addresses are not the client's.
        self.PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # or "json": one object a line
        self.MAIL_SENDER = os.environ.get("MAIL_SENDER", "agora@localhost")
        self.SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
        self.SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
        # The address people use, e.g. https://agora.example.org: every link in e-mails and on cards is built on it.
        self.PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")
        self.ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "")  # other names of this server, comma-separated
        # Text answers gzip- or brotli-compressed by the app; off when a proxy in front compresses them (it may).
        self.COMPRESS_RESPONSES = _switched_on("COMPRESS_RESPONSES", default=True)

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    DATABASE_LOCK_WAIT_SECONDS = 5.0  # the longest a request waits for another's lock before it answers "try again"
    DATABASE_STATEMENT_SECONDS = 60.0  # PostgreSQL: the longest statement, and the longest idle open transaction
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGES = ("fr", "en")
    DEFAULT_TIMEZONE = "Europe/Paris"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_HEADERS_ENABLED = False  # errors.handle_too_many_attempts sends Retry-After
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a secret
    BALLOT_SCRUB_WAIT_SECONDS = 5.0  # how long closing waits for readers before it leaves the scrub for later
    PUPIL_IDLE_SECONDS = 90
    PUPIL_IDLE_WARNING_SECONDS = 20
    PUPIL_LOCK_FAILURES = 5
    PUPIL_LOCK_MINUTES = 5
    PUPIL_NAME_RETENTION_YEARS = 2
    RETENTION_LANGUAGE = "fr"
    PASSWORD_RESET_MAX_AGE = 3600
    VOTE_CHECK_MAX_AGE = 15 * 60  # how long "Is my vote in the box?" answers after the confirm page
    INVITATION_MAX_AGE = 7 * 24 * 3600
    TESTING = False
    PRODUCTION = False


class ProductionConfig(Config):
    """Production: a real secret is mandatory, cookies are secure, mails go through SMTP."""

    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def __init__(self) -> None:
        super().__init__()
        self.MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")


class TestConfig(Config):
    """Tests: a database given by the fixture, mails kept in memory, no rate-limit surprises across tests."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast on purpose: tests create many accounts

    def __init__(self) -> None:
        super().__init__()
        self.MAIL_BACKEND = "memory"
        self.RATELIMIT_STORAGE_URI = "memory://"
        # One folder per test process; key names are random, so tests never meet each other's keys.
        self.BALLOT_KEY_STORE = str(Path(tempfile.gettempdir()) / f"agora-test-ballot-keys-{os.getpid()}")


def config_from_environment() -> Config:
    name = os.environ.get("AGORA_CONFIG", "development")
    return {"production": ProductionConfig, "test": TestConfig}.get(name, Config)()
