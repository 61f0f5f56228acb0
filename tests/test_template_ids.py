"""Ids written into pages are plain digits. With Vietnamese number formatting a pk of 1000 is
rendered "1.000": an element id, a form field name, a button value or a ``?plan=`` link built
with it no longer matches the object (the survey page's live verdicts and its Attach buttons
stopped working once the ids passed 999). Every ``{{ ….pk }}`` or ``{{ …_id }}`` in a template
goes through ``|unlocalize``; ``{% url %}`` arguments are never localised and need nothing."""

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = ["templates", "dankhoeo", "villages", "criteria", "assignments", "reports"]
# a variable whose name says it is an id, printed with no filter or with filters other than
# unlocalize
ID_PRINTED = re.compile(r"\{\{\s*[\w.]*(?:\.pk|\.id|_id|_pk)\s*(?:\|(?!\s*unlocalize)[^}]*)?\}\}")


def templates():
    for folder in TEMPLATE_DIRS:
        yield from (ROOT / folder).rglob("*.html")


def test_a_thousand_is_written_with_a_separator_in_vietnamese():
    """Why the rule exists (if this stops holding, the rule is harmless but moot)."""
    with translation.override("vi"):
        page = Template("{% load l10n %}{{ pk }}|{{ pk|unlocalize }}").render(Context({"pk": 1000}))
    assert page == "1.000|1000"


def test_every_id_printed_in_a_template_is_unlocalised():
    found = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group()}"
        for path in templates()
        for text in [path.read_text()]
        for match in ID_PRINTED.finditer(text)
    ]
    assert found == []
