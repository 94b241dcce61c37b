"""Security headers on every answer, and no caching of anything a pupil sees on a shared tablet."""

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
SHARED_TABLET_BLUEPRINTS = {"tablet"}


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), payment=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if _on_shared_tablet():
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def _on_shared_tablet() -> bool:
    if request.endpoint == "static":
        return False
    is_pupil = current_user.is_authenticated and current_user.is_pupil
    return is_pupil or request.blueprint in SHARED_TABLET_BLUEPRINTS


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
