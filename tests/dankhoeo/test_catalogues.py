"""One Vietnamese meaning per message: an English word that means two things carries a context
(pgettext), so that no two catalogues translate the same message differently."""

import json
from collections import defaultdict
from pathlib import Path

from django.conf import settings


def entries(path: Path):
    """(context, msgid, msgstr) of every translated, non-fuzzy entry of a .po file."""
    for block in path.read_text().split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#|")]
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            continue
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += json.loads(line)
                continue
            current, _space, rest = line.partition(" ")
            fields[current] = json.loads(rest)
        if fields.get("msgid") and (fields.get("msgstr") or fields.get("msgstr[0]")):
            translation = fields.get("msgstr") or fields["msgstr[0]"]
            yield fields.get("msgctxt", ""), fields["msgid"], translation


def catalogues() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted(
        path
        for path in base.glob("*/locale/vi/LC_MESSAGES/django.po")
        if not path.is_relative_to(base / ".venv")
    )


def test_every_app_has_a_catalogue():
    apps = {path.parts[-5] for path in catalogues()}
    assert {"dankhoeo", "villages", "criteria", "assignments", "reports"} <= apps


def test_no_two_catalogues_translate_a_message_differently():
    meanings = defaultdict(dict)
    for path in catalogues():
        for context, msgid, msgstr in entries(path):
            meanings[(context, msgid)][path.parts[-5]] = msgstr
    clashes = {key: found for key, found in meanings.items() if len(set(found.values())) > 1}
    assert clashes == {}


def test_every_source_reference_names_a_file_that_exists():
    """A catalogue's references lead a translator to the message: each names a file of its
    app (or, in dankhoeo's, of the project). `make catalogues` refreshes them after a move."""
    base = Path(settings.BASE_DIR)
    stale = []
    for path in catalogues():
        app = path.parents[3]
        for line in path.read_text().splitlines():
            if line.startswith("#: "):
                for reference in line[3:].split():
                    name = reference.rsplit(":", 1)[0] if reference[-1].isdigit() else reference
                    if not ((app / name).is_file() or (base / name).is_file()):
                        stale.append(f"{path.relative_to(base)}: {name}")
    assert not stale, stale
