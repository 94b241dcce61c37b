"""Every request a browser page makes, as Chromium's DevTools protocol reports it: what was fetched, what the cache
served, how many bytes came over the wire (the body as the server sent it, compressed or not, and the headers), and
what the bodies weigh decoded and gzip-compressed.

Playwright's own request events do not say whether the cache answered, so this listens to the protocol directly.
"""

import base64
import gzip
from dataclasses import dataclass, field
from urllib.parse import urlsplit

GZIP_LEVEL = 6  # nginx's and Apache's usual level: what a compressing reverse proxy would send


@dataclass
class Request:
    request_id: str
    loader: str  # the document that asked for it: a new page has a new loader
    url: str
    kind: str  # the protocol's resource type: Document, Stylesheet, Script, XHR, Fetch, Image, Font, Other
    method: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    cached: bool = False  # answered by the browser's cache, nothing sent to the server
    wire: int = 0  # bytes received for it (headers and body as sent), 0 when the cache answered
    head: int = 0  # of which the status line and headers
    raw: int = 0  # the body's size, decoded (what the page reads)
    gzipped: int = 0  # the body's size once gzip-compressed
    done: bool = False
    error: str = ""
    unweighed: bool = False  # the browser no longer held the body when it was asked for

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def is_poll(self) -> bool:
        """The app's pages ask "anything new since version X?" (`?since=`) on a timer: polling, not loading."""
        return self.kind in ("XHR", "Fetch") and "since=" in urlsplit(self.url).query

    @property
    def on_network(self) -> bool:
        return not self.cached and not self.error

    @property
    def header_bytes(self) -> int:
        return self.head if self.on_network else 0

    @property
    def sent(self) -> int:
        """Body bytes as the server sent them (Content-Encoding honoured): none for a 304 or a cache hit."""
        return max(0, self.wire - self.head) if self.on_network and self.status == 200 else 0

    @property
    def sent_gzipped(self) -> int:
        """Body bytes a compressing proxy would send: none for a 304 or a cache hit."""
        return self.gzipped if self.on_network and self.status == 200 else 0

    @property
    def sent_raw(self) -> int:
        return self.raw if self.on_network and self.status == 200 else 0


class RequestLog:
    """Listens to one page's network events; `mark()` and `since(mark)` cut the log into the steps of a walk."""

    def __init__(self, context, page) -> None:
        self.cdp = context.new_cdp_session(page)
        self.log: list[Request] = []
        self._latest: dict[str, Request] = {}
        for event, handler in (("requestWillBeSent", self._sent), ("responseReceived", self._received),
                               ("requestServedFromCache", self._from_cache), ("loadingFinished", self._finished),
                               ("loadingFailed", self._failed), ("responseReceivedExtraInfo", self._raw_headers)):
            self.cdp.on(f"Network.{event}", handler)
        self.cdp.send("Network.enable", {"maxTotalBufferSize": 64_000_000, "maxResourceBufferSize": 16_000_000})

    def _sent(self, event: dict) -> None:
        previous = self._latest.get(event["requestId"])
        if previous is not None and "redirectResponse" in event:
            self._answer(previous, event["redirectResponse"])
            previous.wire = previous.head = int(event["redirectResponse"].get("encodedDataLength", 0))
            previous.done = True
        request = Request(event["requestId"], event.get("loaderId", ""), event["request"]["url"],
                          event.get("type", "Other"), event["request"]["method"])
        self._latest[event["requestId"]] = request
        self.log.append(request)

    @staticmethod
    def _answer(request: Request, response: dict) -> None:
        request.status = int(response["status"])
        request.headers.update({name.lower(): value for name, value in response.get("headers", {}).items()})
        request.cached = request.cached or bool(response.get("fromDiskCache") or response.get("fromPrefetchCache"))

    def _received(self, event: dict) -> None:
        if event["requestId"] in self._latest:
            request = self._latest[event["requestId"]]
            self._answer(request, event["response"])
            request.head = int(event["response"].get("encodedDataLength", 0))  # received so far: the headers

    def _raw_headers(self, event: dict) -> None:
        """The headers as received, Set-Cookie included (responseReceived leaves it out)."""
        if event["requestId"] in self._latest:
            self._latest[event["requestId"]].headers.update(
                {name.lower(): value for name, value in event.get("headers", {}).items()})

    def _from_cache(self, event: dict) -> None:
        if event["requestId"] in self._latest:
            self._latest[event["requestId"]].cached = True

    def _finished(self, event: dict) -> None:
        if event["requestId"] in self._latest:
            request = self._latest[event["requestId"]]
            request.wire, request.done = int(event.get("encodedDataLength", 0)), True

    def _failed(self, event: dict) -> None:
        if event["requestId"] in self._latest:
            request = self._latest[event["requestId"]]
            request.error, request.done = event.get("errorText", "failed"), True

    def mark(self) -> int:
        return len(self.log)

    def since(self, start: int, end: int | None = None) -> list[Request]:
        return self.log[start:end]

    def in_flight(self, requests: list[Request]) -> bool:
        return any(not request.done for request in requests)

    def weigh(self, requests: list[Request]) -> None:
        """Reads the bodies (while the page still holds them) and measures them raw and gzip-compressed."""
        for request in requests:
            empty = request.headers.get("content-length") == "0"
            if request.done and not request.error and request.status == 200 and not request.raw and not empty:
                body = self._body(request)
                request.raw, request.gzipped = len(body), len(gzip.compress(body, GZIP_LEVEL)) if body else 0

    def _body(self, request: Request) -> bytes:
        try:
            answer = self.cdp.send("Network.getResponseBody", {"requestId": request.request_id})
        except Exception:  # noqa: BLE001 - the protocol raises a bare Error when the body is gone
            request.unweighed = True
            return b""
        body = answer.get("body", "")
        return base64.b64decode(body) if answer.get("base64Encoded") else body.encode()

    def emulate(self, cache: bool, cpu_slowdown: float, network: dict | None) -> None:
        """The browser's cache on or off, a slower CPU and a slower network, for this page from now on."""
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
        if network:
            self.cdp.send("Network.emulateNetworkConditions", {"offline": False, **network})

    def clear_cache(self) -> None:
        self.cdp.send("Network.clearBrowserCache")
