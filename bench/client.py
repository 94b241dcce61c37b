"""A small HTTP client for the benchmarks: one connection per request, cookies kept by hand, every request timed.

The standard library only (no requests or httpx in the venv). Cookies are kept by hand because the production
config marks them Secure, which a cookie jar would refuse to send over the benchmark's plain-HTTP loopback.
"""

import http.client
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from app.services.tablets import COOKIE_NAME

TIMEOUT = 10.0
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Answer:
    status: int
    location: str
    body: str
    headers: dict[str, str]
    seconds: float


class StepFailed(Exception):
    """A request did not answer as a working booth would; the label says which step and how."""


@dataclass
class Browser:
    """A tablet's browser: its device cookie, its address (X-Forwarded-For) and the pupil's session cookie."""

    port: int
    tablet_cookie: str = ""
    address: str = ""
    user_agent: str = "AgoraBench"
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.tablet_cookie:
            self.cookies[COOKIE_NAME] = self.tablet_cookie

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, urlencode(form))

    def request(self, method: str, path: str, body: str | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=self._headers(path, body))
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        self._keep_cookies(response.msg.get_all("Set-Cookie") or [])
        return Answer(response.status, response.getheader("Location", ""), text, dict(response.getheaders()),
                      seconds)

    def _headers(self, path: str, body: str | None) -> dict[str, str]:
        host = f"127.0.0.1:{self.port}"
        headers = {"Host": host, "User-Agent": self.user_agent, "X-Forwarded-Proto": "https",
                   "Referer": f"https://{host}{path}", "Accept-Language": "en"}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for line in set_cookies:
            name, _, value = line.split(";", 1)[0].partition("=")
            if value and "01 Jan 1970" not in line:
                self.cookies[name.strip()] = value.strip().strip('"')
            else:
                self.cookies.pop(name.strip(), None)


def expect(answer: Answer, step: str, status: int, location_end: str = "") -> Answer:
    """The answer, or StepFailed("<step> <status>") when it is not the one a working booth gives."""
    if answer.status != status or not answer.location.endswith(location_end):
        where = f" -> {answer.location}" if answer.location else ""
        raise StepFailed(f"{step} {answer.status}{where}")
    return answer


def csrf_token(answer: Answer) -> str:
    found = CSRF_FIELD.search(answer.body)
    if not found:
        raise StepFailed(f"no CSRF token in the answer ({answer.status})")
    return found.group(1)
