"""What a browser finds on a page: the links it can follow and the forms it can send, with their fields as rendered."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, file, date, submit…
    values: list[str] = field(default_factory=list)  # what the browser would send as rendered (may be empty)
    options: list[str] = field(default_factory=list)  # for selects, radios and checkboxes: every value offered
    lowest: str = ""  # a number input's min
    numeric: bool = False  # a text input for a number (inputmode decimal or numeric)


@dataclass
class Form:
    page: str
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    htmx: bool = False  # sent by htmx, which adds its HX-Request header
    plain_submit: bool = False  # a submit button without a name: the form can be sent without any button's value

    def add(self, name: str, kind: str, value: str | None, chosen: bool, attributes: dict | None = None) -> None:
        known = self.fields.setdefault(name, Field(name, kind))
        known.lowest = (attributes or {}).get("min", "")
        known.numeric = (attributes or {}).get("inputmode") in ("decimal", "numeric")
        if kind in ("checkbox", "radio", "select", "submit"):
            known.options.append(value or "")
            if chosen:
                known.values.append(value or "")
        elif value is not None:
            known.values.append(value)


class _PageReader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._named_forms: dict[str, Form] = {}
        self._outside: list[tuple[str, str, dict[str, str]]] = []  # fields that name their form: form="its id"
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _url(self, target: str) -> str:
        return urljoin(self.page, target)

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {name: value if value is not None else "" for name, value in attrs}
        for link_attribute in ("href", "hx-get"):
            if link_attribute in attributes and tag != "link":
                self.links.append(self._url(attributes[link_attribute]))
        if tag == "form":
            action = attributes.get("action") or self.page
            self._form = Form(self.page, attributes.get("method", "get").lower(), self._url(action),
                              htmx="hx-post" in attributes)
            self.forms.append(self._form)
            if attributes.get("id"):
                self._named_forms[attributes["id"]] = self._form
        elif tag in ("input", "button") and "form" in attributes:
            self._outside.append((attributes["form"], tag, attributes))
        elif self._form is not None:
            self._field(tag, attributes)

    def _field(self, tag: str, attributes: dict[str, str]) -> None:
        name = attributes.get("name")
        if tag == "option" and self._select is not None:
            self._form.add(self._select, "select", attributes.get("value", ""), "selected" in attributes)
        submit = (tag == "button" and attributes.get("type", "submit") == "submit") or (
            tag == "input" and attributes.get("type") == "submit")
        if submit and not name:
            self._form.plain_submit = True
        if not name:
            return
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                self._form.add(name, kind, attributes.get("value", "on"), "checked" in attributes)
            elif kind not in ("submit", "button", "reset", "image"):
                self._form.add(name, kind, attributes.get("value", ""), True, attributes)
        if submit:
            self._form.add(name, "submit", attributes.get("value", ""), False)
        elif tag == "select":
            self._select = name
            self._form.fields.setdefault(name, Field(name, "select"))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def close(self) -> None:
        """The fields placed outside their form (in a table, say) join it, as a browser sends them."""
        super().close()
        for form_id, tag, attributes in self._outside:
            self._form = self._named_forms.get(form_id)
            if self._form is not None:
                self._field(tag, attributes)
        self._form = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")  # as HTML reads a textarea
            self._form.add(self._textarea, "textarea", text, True)
            self._textarea = None


def read_page(page: str, html: str) -> tuple[list[str], list[Form]]:
    """The site's own links (paths with their query) and every form of the page."""
    reader = _PageReader(page)
    reader.feed(html)
    reader.close()
    links = []
    for url in reader.links:
        parts = urlsplit(url)
        if not parts.netloc and parts.path.startswith("/"):
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links, reader.forms
