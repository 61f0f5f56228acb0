"""What the dashboard and the reports gather, kept in the shared cache (settings.CACHES: the
database's cache table, or Redis when configured; never one process's memory).

A cached summary is found under its plan, year, scope, the villages it counts (so two people
who see different villages never share one), the day (the deadline makes a survey overdue) and
the *generation*: a random token that every change to the figures replaces. Any save or delete
of a survey, an assignment, a resource, an activity, a proposal, a team, a model, a plan's
villages… replaces it (``FIGURES``, connected in ``ReportsConfig.ready``); writes that bypass
the signals (bulk loads) call ``bump()`` themselves. An approval or a reopening saves its
survey, so the dashboard shows it at once, on every server.

The token is replaced twice: at once (with the database cache, inside the writer's transaction)
and again when the transaction commits, so that a reader who gathered the old figures while
the write was under way cannot file them under the new token.

The key also holds the *code version*, a digest of the source of the apps whose objects the
cache keeps (their templates and translations too, since pages keep parts as HTML): what
another version of the code wrote (before a deploy, on a server not yet
upgraded) is never read, since a class moved or changed since would not unpickle, or would
unpickle without its new fields. An entry that cannot be read all the same counts as missing.
"""

import functools
import hashlib
import logging
import pickle
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "reports:generation"
TIMEOUT = 24 * 3600  # a day: the key holds the day anyway

T = TypeVar("T")

# The models whose rows appear in a summary or a report: (app label, model name).
FIGURES = [
    ("criteria", "Survey"),
    ("criteria", "SurveyDeadline"),
    ("criteria", "Criterion"),
    ("criteria", "CriteriaSet"),
    ("assignments", "Plan"),
    ("assignments", "Agency"),
    ("assignments", "Assignment"),
    ("assignments", "SupportTeam"),
    ("assignments", "TeamMember"),
    ("assignments", "Dissemination"),
    ("assignments", "Activity"),
    ("assignments", "Resource"),
    ("assignments", "ResourceSource"),
    ("assignments", "Proposal"),
    ("assignments", "DvkModel"),
    ("villages", "AdminUnit"),
    ("villages", "Village"),
    ("reports", "ReportDocument"),
]


_token = threading.local()  # read: this thread read the token since it last replaced it


def generation() -> str:
    """The current token; a new one when none is kept (first use, or the cache was emptied)."""
    _token.read = True
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)  # another server may be first
        token = cache.get(GENERATION_KEY)
    return token


def _replace() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    _token.read = False


def bump(**_signal) -> None:
    """The figures changed: nothing gathered before this moment may be shown again.

    Once per transaction while nothing reads: when a replacement waits for the commit and this
    thread has not read the token since it last replaced it, nothing can have been filed under
    the new token with older figures, so an import of 20.000 rows (a savepoint per row) writes
    the cache twice, not twice per row. A hook still waiting is one whose savepoints were
    released or are still open, and any open one encloses this change too: if it is rolled
    back, so is this change. A savepoint rolled back takes its hooks along (and, with the
    database cache, its write), so the next change bumps again."""
    connection = transaction.get_connection()
    if (
        connection.in_atomic_block
        and not getattr(_token, "read", True)
        and any(hook is _replace for _sp, hook, *_robust in reversed(connection.run_on_commit))
    ):
        return
    _replace()
    transaction.on_commit(_replace)


# The apps whose objects a cached summary, report or review page holds, and whose templates and
# translations write the parts of pages kept as HTML (reports/views.py); with the project's
# own templates.
CODE = ("reports", "assignments", "criteria", "villages", "dankhoeo")
SOURCES = (".py", ".html", ".svg", ".css", ".txt", ".mo")
log = logging.getLogger(__name__)


@functools.cache
def code_version() -> str:
    """A digest of the source of CODE and of templates/ (Python, templates and compiled
    translations; migrations and tests aside), once per process."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in (*CODE, "templates"):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in SOURCES and "migrations" not in path.parts and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _read(key: str):
    try:
        return cache.get(key)
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError) as error:
        log.warning("Cached figures %s could not be read (%r): gathered again", key, error)
        return None


_computing = threading.local()  # the token of the entry being computed in this thread


def cached(parts: Iterable, ids: Iterable[int], compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for the same key parts, villages, generation
    and code version. An entry computed while another is (a page's HTML from its figures) is
    filed under the other's token, read before both: never newer than what it holds."""
    digest = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()
    outer = getattr(_computing, "token", None)
    token = outer or generation()
    key = ":".join(["reports", code_version(), token, *map(str, parts), digest])
    found = _read(key)
    if found is None:
        _computing.token = token
        try:
            found = compute()
        finally:
            _computing.token = outer
        cache.set(key, found, TIMEOUT)
    return found


def connect() -> None:
    """Bump the generation whenever a row of FIGURES (or a plan's list of villages) changes."""
    from django.apps import apps
    from django.db.models import signals

    for app_label, name in FIGURES:
        model = apps.get_model(app_label, name)
        signals.post_save.connect(bump, sender=model, dispatch_uid=f"reports-{name}-save")
        signals.post_delete.connect(bump, sender=model, dispatch_uid=f"reports-{name}-delete")
    from villages.models import villages_saved_in_bulk

    villages_saved_in_bulk.connect(bump, dispatch_uid="reports-villages-bulk")
    plan = apps.get_model("assignments", "Plan")
    signals.m2m_changed.connect(bump, sender=plan.villages.through, dispatch_uid="reports-plan-v")
