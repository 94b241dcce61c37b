"""SPEC §14 pupil pages: ≤ 60 KB transferred compressed, ≤ 5 requests, usable on a 5-year-old tablet.

Run from the repository root:  .venv/bin/python -m bench.pupil_pages [--dwell 10] [--skip-old-tablet]

1. Migrates a fresh SQLite database (`flask db upgrade`) in a temporary directory and loads the demo school with
   the function `flask demo` runs (app.cli.load_demo; the command itself refuses the production config), then adds
   through the app's services approved messages, an assembly in session and an open secret motion (bench.demo_class).
2. Serves `wsgi:app` with gunicorn as `make run` does (one gthread worker, 8 threads; the app compresses its answers),
   with AGORA_CONFIG=production, on a free port of 127.0.0.1.
3. Headless Chromium (Playwright, 768×1024, French) pairs a tablet — not measured — and walks what two pupils see:
   the first posts a message, the second asks to speak and votes. A step is one tap and what follows until the
   main button of the next screen is painted, the page has loaded and no request of its own is in flight. The Chrome
   DevTools protocol records every request: type, status, the body's size as the server sent it (compressed when the
   app compresses it), decoded, and gzip-compressed at level 6 (what a compressing reverse proxy would send), and
   whether the browser's cache answered it.
4. The walk runs in four fresh browser contexts, each paired as a new tablet: cache disabled (every page as the
   first of the day), cache kept (as the tablet keeps it between pupils), and both again as a "5-year-old tablet":
   CPU 4× slower, 400 ms latency, 1.6 Mbit/s down, 750 kbit/s up.
Prints a table per walk with PASS/FAIL against 60 KB (60,000 bytes of bodies as sent) and 5 requests per step, the
headers the app sends with pages and static files, and what the pages that poll ask while they stay open.
Exits 0 either way; gunicorn is stopped and the temporary directory removed.
"""

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import servers
from bench.board_poll import machine
from bench.demo_class import Demo, Pupil, prepare
from bench.page_requests import Request, RequestLog

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TABLET = {"width": 768, "height": 1024}
BUDGET_BYTES, BUDGET_REQUESTS = 60_000, 5
OLD_TABLET_CPU = 4
OLD_TABLET_NETWORK = {"latency": 400, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
TIMEOUT_MS = 15_000  # every wait of a step, doubled on the old tablet: far below the 70 s before the idle warning
SETTLE_MS = 300  # after the page is ready, its own requests (htmx "load" triggers) may still start
MESSAGE = "Je propose qu'on range la bibliothèque de la classe tous les vendredis."


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dwell", type=float, default=10.0, help="seconds spent on the pages that poll, to count "
                                                                  "what they ask (cache-kept walk; 0: skip)")
    parser.add_argument("--skip-old-tablet", action="store_true", help="only the two walks at full speed")
    parser.add_argument("--locale", default="fr-FR", help="the tablet's language (the app serves French to it)")
    parser.add_argument("--quiet-wait", type=float, default=120.0,
                        help="at most this many seconds to wait for other work on the machine to stop (timings)")
    return parser.parse_args()


# The walk ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    label: str
    act: Callable  # what the pupil does, given the Playwright page
    ready: str  # CSS of the main button of the screen the step leads to
    dwell: bool = False  # stay on it to count what it polls


def tap(selector: str) -> Callable:
    return lambda page: page.locator(selector).first.click()


def picture(pick: int) -> str:
    return f'button.picture-button[value="{pick}"]'


def tap_pictures(picks: tuple[int, ...]) -> Callable:
    def act(page) -> None:
        for number, pick in enumerate(picks):
            page.click(picture(pick))
            page.locator(".slot-filled").nth(number).wait_for(state="attached")
    return act


def send_message(page) -> None:
    page.fill("textarea", MESSAGE)
    page.click("main form button.button-primary")


def sign_in(pupil: Pupil, dwell: bool) -> list[Step]:
    return [Step("picture-code page", tap(f'a.tile[href$="/tablet/pupils/{pupil.id}"]'), "button.picture-button"),
            Step("  3 picture taps (fragments)", tap_pictures(pupil.picks[:-1]), "button.picture-button"),
            Step("pupil home (4th tap)", tap(picture(pupil.picks[-1])), "a.vote-now", dwell=dwell)]


def steps(writer: Pupil, voter: Pupil) -> list[Step]:
    """Pupil 1 posts a message; pupil 2 asks to speak and votes."""
    cast = '#booth form[action$="/cast"] button'
    return [Step("roster (first page)", lambda page: page.goto("/tablet/", wait_until="commit"), "a.tile"),
            *sign_in(writer, dwell=True),
            Step("message box", tap("a.message-box-link"), 'a[href$="/messages/new/propose"]'),
            Step("message form", tap('a[href$="/messages/new/propose"]'), "main form button.button-primary"),
            Step("thank you, next pupil (roster)", send_message, "a.tile"),
            *sign_in(voter, dwell=False),
            Step("  ask to speak (fragment)", tap("#assembly-now form button.button-primary"), ".now-place"),
            Step("assembly now page", lambda page: page.goto("/assemblies/tablet", wait_until="commit"),
                 "#assembly-now form button", dwell=True),
            Step("pupil home (back)", tap('main a[href$="/tablet/me"]'), "a.vote-now"),
            Step("booth", tap("a.vote-now"), 'button[name="choice"][value="for"]'),
            Step("  confirmation (fragment)", tap('button[name="choice"][value="for"]'), cast),
            Step("voted, with the tracker", tap(cast), 'a.button-primary[href$="/tablet/"]'),
            Step("thank you, next pupil (roster)", tap('a.button-primary[href$="/tablet/"]'), "a.tile")]


@dataclass(frozen=True)
class Mode:
    name: str
    cache: bool
    old_tablet: bool


MODES = (Mode("empty cache on every page", False, False), Mode("cache kept between pages and pupils", True, False),
         Mode("5-year-old tablet, empty cache on every page", False, True),
         Mode("5-year-old tablet, cache kept", True, True))


@dataclass
class Visit:
    step: Step
    requests: list[Request] = field(default_factory=list)  # the page's own: its document, files, "load" XHRs
    taps: list[Request] = field(default_factory=list)  # the htmx request of the tap that led to it (HX-Redirect)
    polled: list[Request] = field(default_factory=list)  # polls of this page or the previous one, not counted
    tap_to_visible: float = 0.0  # ms from the tap to the main button visible
    load: float | None = None  # ms from navigation start to the end of the load event (a new page only)
    visible: float | None = None  # ms from navigation start to the main button visible (a new page only)
    below_fold: bool = False  # the main button is further down than the first screen: the pupil scrolls
    polls: list[Request] = field(default_factory=list)
    dwell: float = 0.0
    error: str = ""

    @property
    def network(self) -> list[Request]:
        return [request for request in self.requests if request.on_network]

    @property
    def sent(self) -> int:
        return sum(request.sent for request in self.requests)

    @property
    def passes(self) -> bool:
        return not self.error and len(self.network) <= BUDGET_REQUESTS and self.sent <= BUDGET_BYTES


NAVIGATION = "(() => { const entry = performance.getEntriesByType('navigation')[0]; " \
             "const paint = performance.getEntriesByName('first-contentful-paint')[0]; " \
             "return {origin: performance.timeOrigin, load: entry ? entry.loadEventEnd : 0, " \
             "paint: paint ? paint.startTime : 0}; })()"


def loaded_and_painted(page, timeout_ms: float) -> dict:
    """The navigation's timings once its load event has ended and it has painted (polled from here: the CSP forbids
    the string evaluation Playwright's wait_for_function would need)."""
    deadline = time.monotonic() + timeout_ms / 1000
    timings = page.evaluate(NAVIGATION)
    while not (timings["load"] and timings["paint"]):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no load event or first paint within {timeout_ms / 1000:.0f} s")
        page.wait_for_timeout(20)
        timings = page.evaluate(NAVIGATION)
    return timings


def wait_quiet(page, log: RequestLog, requests: list[Request], timeout_ms: float) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while log.in_flight(requests) and time.monotonic() < deadline:
        page.wait_for_timeout(50)


def split(result: Visit, requests: list[Request]) -> None:
    """The new page's own requests (same loader as its document), the tap's htmx request before it, and polls."""
    result.polled = [request for request in requests if request.is_poll]
    loading = [request for request in requests if not request.is_poll]
    document = next((request for request in loading if request.kind == "Document"), None)
    result.requests = [request for request in loading if document is None or request.loader == document.loader]
    result.taps = [request for request in loading if document is not None and request.loader != document.loader]


def visit(page, log: RequestLog, step: Step, dwell: float, timeout_ms: float) -> Visit:
    """One step: the tap, the main button visible, the load event, then its own requests weighed."""
    start, before, result = log.mark(), page.evaluate(NAVIGATION), Visit(step)
    tapped = time.time() * 1000
    step.act(page)
    page.locator(step.ready).first.wait_for(state="visible")
    seen = time.time() * 1000
    box = page.locator(step.ready).first.bounding_box()
    result.below_fold = box is not None and box["y"] + box["height"] > TABLET["height"]
    page.wait_for_load_state("load")
    if page.evaluate(NAVIGATION)["origin"] != before["origin"]:
        now = loaded_and_painted(page, timeout_ms)
        # The button has a box as soon as its HTML is parsed; the pupil sees it from the first paint (after the CSS).
        seen = max(seen, now["origin"] + now["paint"])
        result.load, result.visible = now["load"], seen - now["origin"]
    result.tap_to_visible = seen - tapped
    page.wait_for_timeout(SETTLE_MS)
    split(result, log.since(start))
    wait_quiet(page, log, result.taps + result.requests, timeout_ms)
    log.weigh(result.taps + result.requests)
    if step.dwell and dwell:
        polled = log.mark()
        page.wait_for_timeout(dwell * 1000)
        result.polls, result.dwell = log.since(polled), dwell
        wait_quiet(page, log, result.polls, timeout_ms)
        log.weigh(result.polls)
    return result


def pair(page, token: str) -> None:
    page.goto(f"/tablet/pair/{token}")
    page.fill('input[name="label"]', "Tablette du fond de la classe")
    page.click("main form button.button-primary")
    page.locator("a.tile").first.wait_for()


def walk(browser, base: str, mode: Mode, token: str, pupils: list[Pupil], dwell: float, locale: str) -> list[Visit]:
    """A fresh context paired as a new tablet, then every step; a step that fails ends the walk, reported."""
    context = browser.new_context(viewport=TABLET, locale=locale, has_touch=True, base_url=base)
    timeout = TIMEOUT_MS * (2 if mode.old_tablet else 1)
    context.set_default_timeout(timeout)
    visits = []
    try:
        page = context.new_page()
        log = RequestLog(context, page)
        pair(page, token)
        log.emulate(mode.cache, *((OLD_TABLET_CPU, OLD_TABLET_NETWORK) if mode.old_tablet else (1, None)))
        log.clear_cache()
        for step in steps(*pupils):
            try:
                visits.append(visit(page, log, step, dwell if mode.cache and not mode.old_tablet else 0, timeout))
            except Exception as error:  # noqa: BLE001 - Playwright's timeouts and errors: report, end this walk
                visits.append(Visit(step, error=str(error).splitlines()[0]))
                break
    finally:
        context.close()
    return visits


# Reporting -----------------------------------------------------------------------------------------------------

def kb(size: float) -> str:
    return f"{size / 1000:.1f}"


def ms(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def row(label: str, requests: list[Request], verdict: str, timings: str) -> str:
    network = [request for request in requests if request.on_network]
    raw, gzipped = sum(request.sent_raw for request in requests), sum(request.sent_gzipped for request in requests)
    sent = sum(request.sent for request in requests)
    return (f"{label:<34} {len(network):>4} {len(requests) - len(network):>5} {kb(sent):>7} {kb(raw):>7} "
            f"{kb(gzipped):>7} "
            f"{kb(sum(request.header_bytes for request in requests)):>7} {verdict:>6} {timings}")


def print_walk(mode: Mode, visits: list[Visit], details: bool) -> None:
    print(f"\n## {mode.name}\n")
    print(f"{'step':<34} {'reqs':>4} {'cache':>5} {'sent KB':>7} {'raw KB':>7} {'gzip KB':>7} {'hdrs KB':>7} "
          f"{'budget':>6} "
          f"{'load ms':>7} {'button ms':>9} {'tap→button':>10}")
    for visit in visits:
        if visit.error:
            print(f"{visit.step.label:<34} ERROR {visit.error}")
            continue
        if visit.taps:
            print(row(f"  the tap ({visit.taps[0].method} {visit.taps[0].kind})", visit.taps, "", ""))
        print(row(visit.step.label, visit.requests, "PASS" if visit.passes else "FAIL",
                  f"{ms(visit.load):>7} {ms(visit.visible):>9} {visit.tap_to_visible:>10.0f}"
                  f"{' (button below the fold)' if visit.below_fold else ''}"))
        if details or not visit.passes:
            for request in visit.taps + visit.requests:
                print(f"      {describe(request)}")
            for request in visit.polled:
                print(f"      {describe(request)} (a poll, not counted)")
    network = [request for visit in visits for request in visit.taps + visit.network if request.on_network]
    print(f"whole walk: {len(network)} requests, {kb(sum(request.sent for request in network))} KB of bodies as sent "
          f"({kb(sum(request.sent_raw for request in network))} KB decoded, "
          f"{kb(sum(request.sent_gzipped for request in network))} KB gzip-compressed at level 6)")


def describe(request: Request) -> str:
    where = "cache" if request.cached else (request.error or f"{request.status}")
    encoding = request.headers.get("content-encoding", "identity")
    sizes = (f"sent {kb(request.sent):>5} KB ({encoding}) raw {kb(request.raw):>5} KB gzip {kb(request.gzipped):>5} KB"
             if request.raw else "")
    sizes = "body no longer held by the browser: not weighed" if request.unweighed else sizes
    return f"{request.method:<4} {request.kind:<10} {where:<6} {request.path[:60]:<60} {sizes}"


def print_headers(visits: list[Visit]) -> None:
    """What the app says about caching and compression, from the first answer of each kind."""
    print("\n## Headers the app sends (cache-kept walk)\n")
    bodies = [request for visit in visits for request in visit.requests if request.sent_raw]
    encodings = sorted({request.headers.get("content-encoding", "none") for request in bodies})
    print(f"Content-Encoding of the {len(bodies)} answers with a body: {', '.join(encodings)} "
          "(what the app chose among what Chromium offered: br as well as gzip for 127.0.0.1 and HTTPS)")
    shown: set[str] = set()
    for request in (request for visit in visits for request in visit.requests):
        kind = request.path.split("?")[0] if request.path.startswith("/static/") else request.kind
        if request.on_network and request.status in (200, 304) and kind not in shown:
            shown.add(kind)
            headers = request.headers
            validators = [name for name in ("etag", "last-modified") if name in headers] or ["none"]
            print(f"{request.status} {request.path[:50]:<50} Cache-Control: {headers.get('cache-control', '(none)')}; "
                  f"Content-Encoding: {headers.get('content-encoding', '(none)')}; validators: {', '.join(validators)}")


def heaviest_headers(request: Request) -> str:
    sizes = sorted(((len(name) + len(value) + 4, name) for name, value in request.headers.items()), reverse=True)
    return ", ".join(f"{name} {size} B" for size, name in sizes[:4])


def print_polls(visits: list[Visit]) -> None:
    print("\n## What a page asks while it stays open (cache-kept walk)\n")
    polls = [request for visit in visits for request in visit.polls if request.on_network and request.wire]
    if polls:
        print(f"a poll answered {polls[0].status}: {polls[0].wire} bytes, the heaviest headers: "
              f"{heaviest_headers(polls[0])}")
    for visit in (visit for visit in visits if visit.dwell):
        paths: dict[str, list[Request]] = {}
        for request in visit.polls:
            paths.setdefault(request.path.split("?")[0], []).append(request)
        for path, requests in paths.items():
            statuses = sorted({request.status for request in requests})
            per_minute = 60 / visit.dwell
            print(f"{visit.step.label.strip():<22} {path:<28} {len(requests) * per_minute:>5.0f} requests/min "
                  f"(status {statuses}), {kb(sum(r.sent for r in requests) * per_minute)} KB/min of bodies as sent, "
                  f"{kb(sum(r.header_bytes for r in requests) * per_minute)} KB/min of headers")


# Running -------------------------------------------------------------------------------------------------------

def probe_favicon(browser, base: str) -> str:
    """Headless Chromium never asks for /favicon.ico; a tablet's browser does when a page names no icon."""
    context = browser.new_context(base_url=base)
    try:
        answer = context.request.get("/favicon.ico", timeout=10_000)
        return (f"GET /favicon.ico -> {answer.status} {answer.headers.get('content-type', '')}, "
                f"{len(answer.body()):,} bytes, Cache-Control: {answer.headers.get('cache-control', '(none)')}")
    finally:
        context.close()


def run_walks(base: str, demo: Demo, modes: tuple[Mode, ...], args) -> tuple[str, list[list[Visit]], str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            results = [walk(browser, base, mode, demo.pairing_tokens[index], demo.pupils[2 * index:2 * index + 2],
                            args.dwell, args.locale) for index, mode in enumerate(modes)]
            return browser.version, results, probe_favicon(browser, base)
        finally:
            browser.close()


def report(modes: tuple[Mode, ...], results: list[list[Visit]], chromium: str, favicon: str, url: str,
           args) -> None:
    print(f"\n{machine(url)}, Chromium {chromium} headless, viewport 768×1024, locale {args.locale}")
    print(f"budget per step: ≤ {BUDGET_REQUESTS} requests on the network, ≤ {BUDGET_BYTES:,} bytes of bodies as the "
          "server sent them ('sent', Content-Encoding honoured); 'raw' = decoded, 'gzip' = gzip level 6 of the "
          "decoded body; 'cache' = answered by the browser's cache, not counted; headers not counted")
    print("old tablet: CPU ×4 slower, 400 ms latency, 1.6 Mbit/s down, 750 kbit/s up (bodies travel as the app sends "
          "them); times are ms from navigation start (load event end, main button visible) and from the tap")
    for mode, visits in zip(modes, results, strict=True):
        print_walk(mode, visits, details=not mode.old_tablet)
    if len(results) > 1:
        print_headers(results[1])
        print(f"not asked by headless Chromium: {favicon}")
        print_polls(results[1])


def main() -> None:
    args = parse_args()
    modes = MODES[:2] if args.skip_old_tablet else MODES
    work = Path(tempfile.mkdtemp(prefix="agora-pupil-pages-"))
    server = None
    try:
        env, demo = prepare(work, len(modes))
        server = servers.start_gunicorn("pupil-pages", "wsgi:app", env, 1, "gthread", 8, work)
        servers.wait_for_quiet_machine(args.quiet_wait)
        before = servers.machine_busy()
        chromium, results, favicon = run_walks(f"http://127.0.0.1:{server.port}", demo, modes, args)
        busy, total = (now - then for now, then in zip(servers.machine_busy(), before, strict=True))
    finally:
        if server is not None:
            servers.stop(server)
        shutil.rmtree(work, ignore_errors=True)
    report(modes, results, chromium, favicon, env["DATABASE_URL"], args)
    print(f"\nCPU: the machine was {100 * busy / max(total, 1):.0f} % busy during the walks (browser, gunicorn and "
          "anything else); the old tablet's CPU is this machine's slowed down 4 times")


if __name__ == "__main__":
    main()
