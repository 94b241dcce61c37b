"""A visitor who crawls the pages their role can see and sends every form back with one hostile value at a time,
the other fields filled in as a person would: any answer of 500 or more is recorded, with what caused it."""

import io
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date

from flask import Flask
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from app.extensions import limiter
from tests.http.page_forms import Field, Form, read_page
from tests.http.populated_class import become, first_pages

HOSTILE = (
    "",
    "²",  # a digit for str.isdigit(), not for int()
    "٣",  # an Arabic-Indic three: int() reads it as 3
    "9" * 5000,  # more digits than int() converts
    str(2**63),
    str(2**31),
    "-1",
    "1e9",
    " 1 ",
    "1\n",
    " ",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "x" * 20_000,
    "a\x00b",
    "\u202eevil\u202c",
    '=HYPERLINK("http://evil.example","click")',
    "<script>alert(1)</script>",
)
FILLERS = {"email": "fuzz@example.org", "password": "correct horse battery", "date": date.today().isoformat(),
           "time": "00:00", "number": "1"}
NOT_CRAWLED = (".csv", ".json", "/static/", "/account/sign-out", "/tablet/sign-out")
# Sent last: once one of these succeeds, the rest of the class's forms would only meet refusals.
ENDS_THE_VISIT = ("messages.amend", "messages.rewrite", "assemblies.put_to_vote", "messages.post", "booth.cast",
                  "tablet.sign_out", "classes.archive", "classes.delete_data")
PREVIEWS = ("booth.confirm",)  # their answer is a further form (the confirmed ballot's hidden fields)
# Forms several roles are shown, fuzzed as one of them only.
FUZZED_AS = {"public.set_language": "anonymous", "public.apply_school": "anonymous",
             "register.class_register": "educator", "classes.delete_data": "educator"}


@dataclass
class Failure:
    endpoint: str
    field: str
    value: str
    status: int

    def __str__(self) -> str:
        return f"{self.status} from {self.endpoint} with {self.field}={self.value[:40]!r}"


@dataclass
class Visitor:
    role: str
    app: Flask
    world: object
    act: object
    requests: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def client(self):
        return self.act.client

    def endpoint(self, form: Form) -> str:
        adapter = self.app.url_map.bind("localhost")
        try:
            return adapter.match(form.action.split("?")[0], method=form.method.upper())[0]
        except HTTPException:
            return f"? {form.method} {form.action}"

    def crawl(self, limit: int = 200) -> list[tuple[str, Form]]:
        """Every page reachable from where the role starts, and its forms worth fuzzing, one of each kind."""
        queue, seen, found = deque(first_pages(self.role, self.world)), set(), {}
        while queue and len(seen) < limit:
            url = queue.popleft()
            path = url.split("?")[0]
            if path in seen or any(part in path for part in NOT_CRAWLED):
                continue
            seen.add(path)
            response = self.client.get(url)
            if response.status_code in (301, 302, 303) and response.location.startswith("/"):
                queue.append(response.location)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            links, forms = read_page(url, response.get_data(as_text=True))
            queue.extend(links)
            for form in forms:
                self._keep(form, found)
        self._previews(found)
        return sorted(found.items(), key=lambda pair: (_turn(pair[0].split()[0]), pair[0]))

    def _keep(self, form: Form, found: dict) -> None:
        form.fields.pop("csrf_token", None)
        endpoint = self.endpoint(form)
        if form.fields and FUZZED_AS.get(endpoint, self.role) == self.role:
            found.setdefault(f"{endpoint} [{' '.join(sorted({_kind_of(name) for name in form.fields}))}]", form)

    def _previews(self, found: dict) -> None:
        for key, form in list(found.items()):
            if key.split()[0] in PREVIEWS:
                response = self.send(form, valid_data(form))
                for further in read_page(form.action, response.get_data(as_text=True))[1]:
                    self._keep(further, found)

    def send(self, form: Form, data: MultiDict):
        limiter.reset()  # the limits are tested elsewhere: here every value must reach the view
        self.requests += 1
        if form.method == "get":
            return self.client.get(form.action, query_string=data)
        headers = {"HX-Request": "true"} if form.htmx else {}
        return self.client.post(form.action, data=data, headers=headers)

    def fuzz(self, endpoint: str, form: Form) -> None:
        """Each field in turn, but one of a row of alike fields (a grade per candidate, a pupil per role)."""
        fuzzed = set()
        for name, described in form.fields.items():
            alike = (described.kind, *described.options) if described.options else _kind_of(name)
            if alike in fuzzed:
                continue
            fuzzed.add(alike)
            for value in HOSTILE:
                data = valid_data(form)
                data.setlist(name, [hostile(described, value)])
                self.try_data(endpoint, form, data, name, value)
            if _kind_of(name) != name:  # a numbered row: its number as "²" (FieldList reads it with isdigit())
                data = valid_data(form)
                data.setlist(re.sub(r"[0-9]+", "²", name), data.poplist(name))
                self.try_data(endpoint, form, data, f"{name} renamed", "²")

    def try_data(self, endpoint: str, form: Form, data: MultiDict, name: str, value: str) -> None:
        status = self.answer_and_next_page(form, data)
        if status >= 500:
            self.failures.append(Failure(endpoint, name, value, status))
        self.stay_signed_in()

    def answer_and_next_page(self, form: Form, data: MultiDict) -> int:
        """The status of the answer, or of the page it leads to when the value was taken (shown with it)."""
        response = self.send(form, data)
        target = response.headers.get("HX-Redirect") or response.location or ""
        if response.status_code >= 500 or not target.startswith("/"):
            return response.status_code
        return self.client.get(target).status_code

    def signed_in(self) -> bool:
        cookie = self.client.get_cookie(self.app.config["SESSION_COOKIE_NAME"])
        if cookie is None:
            return False
        return "_user_id" in self.app.session_interface.get_signing_serializer(self.app).loads(cookie.value)

    def stay_signed_in(self) -> None:
        """Casting, posting a message and "I am done" sign the pupil out: the same pupil signs in again, or the
        forms left would meet only the roster."""
        if self.role in ("pupil", "educator", "head", "admin") and not self.signed_in():
            become(self.role, self.world, self.act)


def _turn(endpoint: str) -> int:
    return ENDS_THE_VISIT.index(endpoint) if endpoint in ENDS_THE_VISIT else -1


def _kind_of(name: str) -> str:
    return re.sub(r"[0-9]+", "#", name)


def _valid_value(described: Field) -> list[str]:
    offered = [option for option in described.options if option]
    if described.kind in ("select", "radio"):
        return [value for value in described.values if value] or offered[:1] or described.values
    if described.kind == "checkbox":
        return described.values or offered  # every candidate, every pupil present…
    if described.kind in ("submit", "hidden") or any(described.values):
        return described.values
    if described.kind == "number" or described.numeric:
        return [described.lowest or "1"]
    return [FILLERS.get(described.kind, "Fuzz")]


def valid_data(form: Form) -> MultiDict:
    """The form filled in as a person would: what the page shows, something plausible in empty fields, every box
    offered ticked, the first named button pressed when the form has no plain one."""
    data = MultiDict()
    for name, described in form.fields.items():
        if described.kind == "file":
            data.add(name, (io.BytesIO(b"first name,last name\nMalo,X\n"), "pupils.csv"))
            continue
        for value in _valid_value(described):
            data.add(name, value)
    buttons = [described for described in form.fields.values() if described.kind == "submit"]
    if buttons and not form.plain_submit:
        data.setlist(buttons[0].name, buttons[0].options[:1])
    return data


def hostile(described: Field, value: str):
    """The value as the field carries it: a file's cells for a CSV upload, the value itself anywhere else."""
    if described.kind == "file":
        content = f"first name;last name;birth year\nLéa;M;{value}\n{value};B;2016\n"
        return io.BytesIO(content.encode()), "pupils.csv"
    return value
