"""One line per request for the operator: its id, method, route, status and duration.

Never what a form carried, nor a query string, nor the values in a URL: the route's pattern is written
(`/tablet/vote/<int:poll_id>/cast`), not the path, so no line says which ballot box a tablet used. With
LOG_FORMAT=json each line is one JSON object.
"""

import json
import logging
import re
import secrets
import sys
import time

from flask import Flask, g, request

log = logging.getLogger("agora.requests")
FORWARDED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}\Z")  # a proxy's own request id, when it sends one


def request_id() -> str:
    return g.get("request_id", "-")


def new_request_id(forwarded: str) -> str:
    """The proxy's own request id when it sends a well-formed one, else a new one."""
    return forwarded if FORWARDED_ID.match(forwarded) else secrets.token_hex(8)


def write_line(ident: str, method: str, route: str, status: int, started: float) -> None:
    log.info("request", extra={"fields": {"request_id": ident, "method": method, "route": route, "status": status,
                                          "ms": round((time.perf_counter() - started) * 1000, 1)}})


def _start() -> None:
    g.request_started = time.perf_counter()
    g.request_id = new_request_id(request.headers.get("X-Request-ID", ""))


def _finish(response):
    route = request.url_rule.rule if request.url_rule is not None else "(none)"
    write_line(request_id(), request.method, route, response.status_code, g.get("request_started", time.perf_counter()))
    response.headers["X-Request-ID"] = request_id()
    return response


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                **getattr(record, "fields", {"message": record.getMessage()})}
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class KeyValues(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        if fields is None:
            return super().format(record)
        return f"{self.formatTime(record)} {record.levelname} " + " ".join(f"{k}={v}" for k, v in fields.items())


def formatter(kind: str) -> logging.Formatter:
    return JsonLines() if kind == "json" else KeyValues("%(asctime)s %(levelname)s %(name)s: %(message)s")


def init_app(app: Flask) -> None:
    if not app.testing and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(formatter(app.config["LOG_FORMAT"]))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
