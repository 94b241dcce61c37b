"""Links that leave the site (e-mails, QR codes, printed cards, the register's permanent addresses) are built from
the configured public address, never from the Host header a request happens to carry; requests for any other host
are refused."""

from urllib.parse import urlsplit

from flask import Flask, current_app, url_for

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")  # the machine itself: health checks and the local proxy


class PublicUrlError(RuntimeError):
    """PUBLIC_URL is not an absolute http(s) address."""


def public_host(public_url: str) -> str:
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise PublicUrlError(f"PUBLIC_URL must look like https://agora.example.org, not {public_url!r}")
    return parts.hostname


def external_url(endpoint: str, **values) -> str:
    """The absolute address of endpoint, on the public address when one is configured.

    Without PUBLIC_URL (development only: production refuses to start without it) the request's own address is
    used, as Flask does.
    """
    public_url = current_app.config["PUBLIC_URL"]
    if not public_url:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(public_url)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def trusted_hosts(public_url: str, extra: str) -> list[str] | None:
    """The hosts requests may name: the public one, the local machine and any configured extra; None: any."""
    if not public_url:
        return None
    extras = [host.strip() for host in extra.split(",") if host.strip()]
    return [public_host(public_url), *LOCAL_HOSTS, *extras]


def init_app(app: Flask) -> None:
    public_url = app.config["PUBLIC_URL"]
    if app.config["PRODUCTION"] and not public_url:
        raise RuntimeError("Set PUBLIC_URL to the address people use (https://agora.example.org): every link in "
                           "e-mails and on printed cards is built from it.")
    app.config["TRUSTED_HOSTS"] = trusted_hosts(public_url, app.config["ALLOWED_HOSTS"])
    app.jinja_env.globals["external_url"] = external_url
