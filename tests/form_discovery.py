"""The forms of the app as a browser finds them, for the form fuzz (tests/form_fuzz.py): every
``<form method="post">`` of the pages a persona may read, parsed into the fields it would send
(``form="id"`` fields, named buttons and buttons' ``formaction`` included), so that a new field
is fuzzed without a change to the tests."""

import copy
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from tests.permission_matrix import MATRIX, OK, url_arguments

# A value a browser would send for an empty field, by its type, so that the posted form is
# valid-looking and the malformed value of one field reaches as far as it can.
PLAUSIBLE = {
    "date": "2025-03-01",
    "number": "1",
    "email": "nguoi.dung@example.vn",
    "url": "https://example.vn/",
    "tel": "0912345678",
    "password": "",
}
# Fields that a plain text would not fill plausibly, by a part of their name.
PLAUSIBLE_BY_NAME = (
    (re.compile(r"lat"), "14.35"),
    (re.compile(r"lon|lng"), "108.0"),
    (re.compile(r"year|nam"), "2025"),
    (re.compile(r"date|_on$|^on$|deadline|due"), "2025-03-01"),
    (
        re.compile(r"amount|count|number|households|people|population|attend|days|value|position"),
        "1",
    ),
    (re.compile(r"^v_\d+$"), "1"),
    (re.compile(r"code"), "FZ01"),
    (re.compile(r"email"), "nguoi.dung@example.vn"),
    (re.compile(r"username"), "nguoi-dung-thu"),
)


@dataclass
class Field:
    name: str
    kind: str  # an input's type, "select", "textarea"
    value: str | None  # what the browser sends as the page is (None: nothing)
    options: list[str] = field(default_factory=list)  # a select's option values
    required: bool = True

    def plausible(self) -> str | None:
        """What a user filling the form would send: what the page gives, else, for a field
        the page marks required, a value of its kind."""
        if self.kind in ("file", "button"):
            return None
        if self.value not in (None, ""):
            return self.value
        if not self.required:
            return None if self.kind == "checkbox" else ""
        if self.kind == "select":
            chosen = [option for option in self.options if option]
            return chosen[0] if chosen else ""
        if self.kind == "checkbox":
            return None
        if self.kind in PLAUSIBLE:
            return PLAUSIBLE[self.kind]
        for pattern, value in PLAUSIBLE_BY_NAME:
            if pattern.search(self.name):
                return value
        return "Nội dung thử"


@dataclass
class Form:
    action: str  # the URL it posts to, query string included
    fields: list[Field]

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    def names(self) -> list[str]:
        seen = []
        for f in self.fields:
            if f.name not in seen:
                seen.append(f.name)
        return seen

    def files(self) -> list[str]:
        return [f.name for f in self.fields if f.kind == "file"]

    def body(self) -> dict[str, list[str]]:
        """The form as a user would send it, file fields aside (the CSRF token too, as a
        browser sends it, though the test client does not check it)."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            value = f.plausible()
            if value is None or (f.name == "csrfmiddlewaretoken" and f.name in data):
                continue
            if f.kind == "radio" and f.name in data:
                continue
            data.setdefault(f.name, []).append(value)
        return data


FIELD_TAGS = ("input", "select", "textarea", "button")
BUTTONS = ("submit", "button", "image", "reset")


def _field(element) -> Field | None:
    made = _field_as_is(element)
    if made is not None:
        made.required = element.get("required") is not None
    return made


def _field_as_is(element) -> Field | None:
    """A named field; a named button is one too (it sends its value when it is pressed), left
    out of the form as the page gives it but fuzzed like the others."""
    name = element.get("name")
    if not name or element.get("disabled") is not None:
        return None
    tag = element.tag
    if tag == "button" or (element.get("type") or "").lower() in BUTTONS:
        return Field(name, "button", None, [element.get("value", "")])
    if tag == "select":
        options = [option.get("value", option.text_content()) for option in element.iter("option")]
        chosen = [
            option.get("value", option.text_content())
            for option in element.iter("option")
            if option.get("selected") is not None
        ]
        if not chosen and options and element.get("multiple") is None:
            chosen = [options[0]]
        return Field(name, "select", chosen[0] if chosen else None, options)
    if tag == "textarea":
        return Field(name, "textarea", element.text or "")
    kind = (element.get("type") or "text").lower()
    if kind in ("checkbox", "radio"):
        checked = element.get("checked") is not None
        return Field(name, kind, element.get("value", "on") if checked else None)
    return Field(name, kind, element.get("value", ""))


def forms_of(page_url: str, html: str) -> list[Form]:
    """The POST forms of a page, with one Form per target (a button's ``formaction`` posts the
    same fields elsewhere), fields associated with ``form="id"`` included."""
    if not html.strip():
        return []
    document = lxml.html.fromstring(html)
    found = []
    for form in document.iter("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        fields = []
        for element in form.iter("input", "select", "textarea", "button"):
            made = _field(element)
            if made and not element.get("form"):
                fields.append(made)
        if form.get("id"):
            for element in document.xpath("//*[@form=$id]", id=form.get("id")):
                made = _field(element) if element.tag in FIELD_TAGS else None
                if made:
                    fields.append(made)
        action = form.get("action") or page_url
        targets = [action]
        for element in [form, *form.iter()]:  # htmx posts the form elsewhere too
            for attribute in ("hx-post", "data-hx-post"):
                if element.get(attribute):
                    targets.append(element.get(attribute))
        for button in form.iter("button", "input"):
            if button.get("formaction"):
                targets.append(button.get("formaction"))
        for target in targets:
            found.append(Form(target, list(fields)))
    return found


# Finding the forms ----------------------------------------------------------------------------

LOOK_AT = 8  # pages read to find the form of a URL that only takes POST


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


class Pages:
    """The pages each persona may read, read at most once, and their forms."""

    def __init__(self, built, clients):
        self.clients = clients
        self.arguments = url_arguments(built)
        self.read: dict[tuple[str, str], list[Form]] = {}
        self.fuzzed: set = set()  # the form fuzz's note of the forms it fuzzed in full

    def url(self, name: str) -> str:
        kwargs, query = self.arguments.get(name, ({}, ""))
        return reverse(name.split("~")[0], kwargs=kwargs) + query

    def forms(self, persona: str, page: str) -> list[Form]:
        if (persona, page) not in self.read:
            client = self.clients[persona]
            cookies = copy.deepcopy(client.cookies)
            try:
                with transaction.atomic():
                    response = client.get(page)
                    transaction.set_rollback(True)
            finally:
                client.cookies = cookies
            html = ""
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                html = response.content.decode()
            self.read[persona, page] = forms_of(page, html)
        return self.read[persona, page]

    def form_for(self, persona: str, name: str) -> "Form | None":
        """The form that posts to the row's URL on the pages the persona reads: the page
        itself first, then the pages nearest to it by path (a button's page is its parent);
        failing that, a form of the same URL pattern for another record (its fields are the
        same)."""
        url = self.url(name)
        path = urlsplit(url).path
        wanted = _segments(path)

        def nearness(page: str) -> int:
            shared = 0
            for mine, theirs in zip(_segments(urlsplit(page).path), wanted, strict=False):
                if mine != theirs:
                    break
                shared += 1
            return -shared

        others = [
            self.url(other)
            for other, row in MATRIX.items()
            if row[persona][0] == OK and urlsplit(self.url(other)).path != path
        ]
        pages = [url] if MATRIX[name][persona][0] == OK else []
        pages += sorted(dict.fromkeys(others), key=nearness)[:LOOK_AT]
        alike = None
        for page in pages:
            for form in self.forms(persona, page):
                if form.path == path:
                    return form
                if alike is None and _view_name(form.path) == _view_name(path):
                    alike = form
        return alike


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None
