"""Security headers on every answer, and no caching of anything a pupil sees on a shared tablet."""

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SHARED_TABLET_BLUEPRINTS = {"tablet", "booth"}


def safe_local_path(target: str | None) -> str | None:
    """target when it is a path on this site, None for anything a browser could read as another site."""
    if not target or any(ord(char) < 32 or char in "\\\x7f" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "geolocation=(), microphone=(), payment=()"),
)
SECURE_TRANSPORT = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")  # over HTTPS only
NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    for name, value in SECURITY_HEADERS + ((SECURE_TRANSPORT,) if request.is_secure else ()):
        headers.setdefault(name, value)
    if _on_shared_tablet():
        for name, value in NO_STORE:
            headers[name] = value
    return response


def _on_shared_tablet() -> bool:
    if request.endpoint == "static":
        return False
    is_pupil = current_user.is_authenticated and current_user.is_pupil
    return is_pupil or request.blueprint in SHARED_TABLET_BLUEPRINTS


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
