"""The form fuzz's machinery (the tests are tests/test_form_fuzz*.py): each form found on the
pages (tests/form_discovery.py) is posted back, valid-looking, with malformed values
(``MALFORMED``, ``SURVIVORS``) and bad files (``BAD_FILES``), and each reply is checked: no
5xx, a refusal changes nothing and says why in Vietnamese, nothing stored holds a control
character."""

import copy
import re
from dataclasses import dataclass, field

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from tests.factories import PNG
from tests.form_discovery import Field, Form, Pages
from tests.permission_matrix import BAD, CONFLICT, MATRIX, OK, url_post_data
from tests.test_permission_matrix import fingerprint

# What is sent ---------------------------------------------------------------------------------


class Token(str):
    """A value made for each field when it is sent (see ``value_for``)."""


MISSING = Token("(missing)")  # the field is not sent at all
TWICE = Token("(sent twice)")  # the field is sent twice, with two different values
NONEXISTENT = Token("(a primary key that does not exist)")
OTHER_SCOPE = Token("(a primary key of another agency's or commune's record)")
STALE = Token("(the version before the one read)")  # optimistic locks

HUGE_TEXT = "Dữ liệu rất dài " * 6_250  # 100.000 characters
POISON_TEXT = "a\x01b\u202ec\u200b"  # a control character, a right-to-left override, a zero width
# Sent to every field: each request gives each field another of these, so that after
# len(MALFORMED) requests each field has had each. They are refused by the field's parsing.
MALFORMED = [
    "9" * 3000,
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "²",
    "\x00",
    "\x01",
    HUGE_TEXT,
    "2025-02-30",
    "0000-01-01",
    "31/12/2025",
    NONEXISTENT,
    MISSING,
]
# Malformed values that a field of each kind may well accept, sent to one field at a time with
# the others valid, so that they reach the service and the database (the fields of a kind take
# turns).
SURVIVORS = {
    "date": ["9999-12-31", "0001-01-01", "2000-02-29"],
    "number": ["１２", "-0", "١٢", "-1", "99999999999999999999"],
    "select": [OTHER_SCOPE, TWICE, NONEXISTENT],
    "textarea": [HUGE_TEXT, "\u200b"],
    "hidden": [STALE, TWICE, "99999999999999999999", "-1"],
    "checkbox": [TWICE, "-1"],
    "radio": [TWICE, "-1"],
    "text": ["9" * 3000, "１２", "\u202eabc", OTHER_SCOPE, "9999-12-31", "-0"],
}


def _png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


BAD_FILES = {
    "an empty file": lambda: SimpleUploadedFile("trong.png", b"", content_type="image/png"),
    "a program named .png": lambda: SimpleUploadedFile(
        "anh.png", b"MZ\x90\x00\x03" + b"\x00" * 60, content_type="image/png"
    ),
    "a huge name": lambda: _png("a" * 5000 + ".png"),
    "a name with ../": lambda: _png("../../../../etc/cron.d/anh.png"),
}


def value_for(token: str, f: Field, other_ids: dict[str, int]):
    """What a malformed value is for this field: a string, a list (sent twice) or MISSING."""
    if not isinstance(token, Token):
        return token
    if token == TWICE:
        plausible = f.plausible() or "1"
        others = [option for option in f.options if option and option != plausible]
        return [plausible, others[0] if others else "2"]
    if token == NONEXISTENT:
        return "2147483647"
    if token == OTHER_SCOPE:
        for key, pk in other_ids.items():
            if key in f.name:
                return str(pk)
        return str(other_ids["village"])
    if token == STALE:
        current = f.value or ""
        return str(int(current) - 1) if current.isdigit() else "0"
    return token


def _stem(name: str) -> str:
    return re.sub(r"\d+", "#", name)


def fuzzed_fields(form: "Form | None") -> list[Field]:
    """The fields fuzzed one at a time: every field, but only the first two of fields named
    alike (a survey's ``v_1``, ``v_2``, ... are one kind of field)."""
    if form is None:
        return []
    seen: dict[str, int] = {}
    chosen = []
    for f in form.fields:
        if f.name == "csrfmiddlewaretoken":
            continue
        if any(f.name == c.name for c in chosen):
            continue
        seen[_stem(f.name)] = seen.get(_stem(f.name), 0) + 1
        if seen[_stem(f.name)] <= 2:
            chosen.append(f)
    return chosen


# Sending them ---------------------------------------------------------------------------------

WRITERS = (OK, BAD, CONFLICT)
# The persona whose scope is the narrowest is fuzzed in full, the others with a short pass
# (anonymous first: the login form is theirs).
PREFERENCE = (
    "anonymous",
    "liaison",
    "support",
    "commune",
    "other_commune",
    "other_liaison",
    "staff",
    "viewer",
)
SHORT_PASS = [OTHER_SCOPE, POISON_TEXT]


def writers(name: str) -> list[str]:
    """Who may post to this row (its write is allowed, or refused as bad input or a conflict):
    the superuser is staff again; a ``~`` row (another agency's or commune's record) is fuzzed
    for the personas whose own record it is."""
    allowed = [p for p in PREFERENCE if MATRIX[name][p][1] in WRITERS]
    if "~" in name:
        allowed = [p for p in allowed if p != "staff"]
    return allowed


def targets(*namespaces: str) -> list[str]:
    """The matrix rows that some persona may post to, in the given URL namespaces ("" is the
    project's own URLs)."""
    chosen = []
    for name in sorted(MATRIX):
        namespace = name.split(":")[0] if ":" in name else ""
        if namespace in namespaces and writers(name):
            chosen.append(name)
    return chosen


def other_scope_ids(built) -> dict[str, int]:
    """Primary keys of the unrelated agency's and the other commune's records, by the part of a
    field's name that asks for one (``agency``, ``village``, ...)."""
    other = built.other
    return {
        "agency": other.activity.agency_id,
        "village": other.activity.village_id,
        "commune": other.activity.village.commune_id,
        "member": other.team_member.pk,
        "survey": built.other_evidence.value.survey_id,
        "user": built.users["other_liaison"].pk,
        "membership": built.users["other_liaison"].memberships.first().pk,
    }


# What a reply must be -------------------------------------------------------------------------

VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
# What no stored text may hold: control characters (tab and line ends aside), which the text
# cleaning drops (dankhoeo/text.py), and NUL, which PostgreSQL refuses outright.
POISON = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"
ERROR_XPATH = (
    "//*[contains(@class, 'invalid-feedback') or contains(@class, 'alert-danger')"
    " or contains(@class, 'alert-warning') or contains(@class, 'errorlist')"
    " or @role='alert']"
)
REFUSALS = {400, 403, 404, 405, 409}


def poisoned_rows(tables: list[str]) -> dict[str, int]:
    """How many rows of each table hold a poisoned text (one query)."""
    if not tables:
        return {}
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT %s, count(*) FROM {quote(table)} t WHERE t::text ~ %s" for table in tables
    )
    params = [part for table in tables for part in (table, POISON)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def errors_shown(response) -> list[str]:
    """The error texts a user sees: the form's errors, the page's error messages, the heading
    of an error page, and the error messages carried to the next page by a redirect."""
    texts = []
    content_type = response.get("Content-Type", "")
    if "html" in content_type and response.content.strip():
        document = lxml.html.fromstring(response.content.decode())
        elements = document.xpath(ERROR_XPATH)
        if response.status_code in REFUSALS:  # the heading of an error page (_error.html)
            elements += document.xpath("//p[contains(@class, 'display-6')]/following-sibling::h1")
        texts += [" ".join(element.text_content().split()) for element in elements]
    elif response.status_code in REFUSALS and response.content.strip():
        texts.append(response.content.decode(errors="replace")[:300])
    messages = getattr(response, "wsgi_request", None)
    if messages is not None:
        texts += [str(m) for m in get_messages(response.wsgi_request) if m.level >= 30]
    return [text for text in texts if text]


@dataclass
class Fuzz:
    """One row of the matrix fuzzed for one persona; ``failures`` collects what went wrong."""

    name: str
    persona: str
    url: str
    client: object
    before: dict[str, str]
    quiet: bool  # the URL answers a refused form without an error (it saves nothing)
    seen: set = field(default_factory=set)  # the forms that had every malformed value
    failures: list[str] = field(default_factory=list)
    sent: int = 0

    def post(self, data: dict, what: str) -> bool:
        """Send, check the reply; True when the form was accepted (it changed a table)."""
        self.sent += 1
        cookies = copy.deepcopy(self.client.cookies)
        try:
            with transaction.atomic():
                response = self.client.post(self.url, data)
                changed = sorted(t for t, d in fingerprint().items() if self.before[t] != d)
                poison = {t: n for t, n in poisoned_rows(changed).items() if n}
                transaction.set_rollback(True)
        except Exception as error:  # the test client re-raises what the view raised
            self.failures.append(f"{self.persona} {what}: raised {error!r:.300}")
            return False
        finally:
            self.client.cookies = cookies
        status = response.status_code
        if status >= 500:
            self.failures.append(f"{self.persona} {what}: status {status}")
            return False
        if poison:
            self.failures.append(f"{self.persona} {what}: stored control characters in {poison}")
        refused = status in REFUSALS or (status == 200 and not changed)
        if refused and changed:
            self.failures.append(f"{self.persona} {what}: refused ({status}) but changed {changed}")
        errors = errors_shown(response)
        foreign = [text[:120] for text in errors if not VIETNAMESE.search(text)]
        if foreign:
            self.failures.append(f"{self.persona} {what}: errors not in Vietnamese: {foreign}")
        if refused and not errors and not self.quiet:
            self.failures.append(f"{self.persona} {what}: refused ({status}) with no error shown")
        return bool(changed) and not refused


# Fuzzing a row --------------------------------------------------------------------------------

# URLs that answer a refused form without an error message, because they save nothing: the
# verdicts of values being typed (a fragment of the survey page).
QUIET = {"criteria:survey-verdicts"}


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:16]}…({len(str(value))} chars)"


def _body(base: dict, files: list[str], changes: dict) -> dict:
    data = {key: list(values) for key, values in base.items()}
    for name in files:
        data[name] = _png("anh.png")
    for name, value in changes.items():
        if value == MISSING:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def fuzz_row(world, pages: Pages, name: str) -> list[str]:
    """Post the row's form as each persona that may: the first (narrowest scope) as the page
    gives it, then in full; the others with a short pass (a ``~`` row's form is the plain
    row's, fuzzed in full there). Returns what went wrong."""
    built, clients, before = world
    other_ids = other_scope_ids(built)
    failures = []
    for turn, persona in enumerate(writers(name)):
        form = pages.form_for(persona, name)
        fields = [] if form is None else form.fields
        base = {} if form is None else form.body()
        base.update(
            {key: [str(value)] for key, value in url_post_data(built).get(name, {}).items()}
        )
        named = {}
        for f in fields:
            if f.name != "csrfmiddlewaretoken":
                named.setdefault(f.name, f)
        files = [f.name for f in named.values() if f.kind == "file"][:2]
        plain = [f for f in named.values() if f.kind != "file"]
        url = pages.url(name)
        run = Fuzz(name, persona, url, clients[persona], before, name in QUIET, pages.fuzzed)
        if turn == 0:
            run.post(_body(base, files, {}), "the form as the page gives it")
        if turn == 0 and "~" not in name:
            _full_pass(run, base, files, plain, fuzzed_fields(form), other_ids)
        else:
            for token in SHORT_PASS:
                changes = {f.name: value_for(token, f, other_ids) for f in plain}
                run.post(_body(base, files, changes), f"every field {_describe(token)}")
        failures += run.failures
    return failures


def _full_pass(run: Fuzz, base, files, plain, one_by_one, other_ids) -> None:
    """Every malformed value in every field (``MALFORMED``), every bad file in every file
    field; then the poisoned text in every text field at once (each alone if that is
    refused); each field alone with a value its kind may accept (``SURVIVORS``, in turn; the
    free texts until each survivor was sent once), the others valid; each file field alone
    with each bad file."""
    bad_files = list(BAD_FILES.values())
    # A form seen already (a record's "edit" form is its "create" form plus the hidden
    # version) has had every malformed value in every field.
    signature = frozenset((f.name, f.kind) for f in plain if f.kind != "hidden")
    rounds = len(MALFORMED) if (plain or files) and signature not in run.seen else 0
    run.seen.add(signature)
    for k in range(rounds):
        changes = {
            f.name: value_for(MALFORMED[(k + i) % len(MALFORMED)], f, other_ids)
            for i, f in enumerate(plain)
        }
        changes.update({name: bad_files[k % len(bad_files)]() for name in files})
        run.post(_body(base, [], changes), f"every field malformed (round {k})")
    texts = [f for f in one_by_one if f.kind in ("text", "textarea")]
    if texts and not run.post(
        _body(base, files, {f.name: POISON_TEXT for f in texts}), "every text poisoned"
    ):
        for f in texts:  # refused: one of them may not take it; each alone, then
            run.post(_body(base, files, {f.name: POISON_TEXT}), f"{f.name} poisoned")
    turns: dict[str, int] = {}
    for f in one_by_one:
        if f.kind == "file":
            for label, make in BAD_FILES.items():
                run.post(_body(base, files, {f.name: make()}), f"{f.name}={label}")
            continue
        survivors = SURVIVORS.get(f.kind, SURVIVORS["text"])
        turn = turns[f.kind] = turns.get(f.kind, -1) + 1
        if f.kind in ("text", "textarea") and turn >= len(survivors):
            continue  # free texts are alike: each survivor once is enough (all got poison)
        value = value_for(survivors[turn % len(survivors)], f, other_ids)
        run.post(_body(base, files, {f.name: value}), f"{f.name}={_describe(value)}")


@pytest.fixture(scope="module")
def pages(world):
    """The pages each persona of the permission matrix's world reads, with their forms."""
    built, clients, _before = world
    return Pages(built, clients)
