"""One way to read a change history (django-simple-history rows): each row beside the row
before it of the same object, and the fields that changed between them. The pages that show
history (a survey's values, a plan's assignments and teams, memberships) say how to display
them; which fields changed is decided here."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    record: object  # a historical row
    before: object | None  # the previous row of the same object; None for its first row
    changed: list[str]  # the fields that differ from ``before`` (the non-empty ones if None)


def history_steps(records: Iterable, fields: list[str]) -> list[Step]:
    """The steps of ``records`` (historical rows, oldest first) over the attributes ``fields``."""
    previous: dict[object, object] = {}
    steps = []
    for record in records:
        before = previous.get(record.id)
        if before is None:
            changed = [name for name in fields if getattr(record, name) not in (None, "")]
        else:
            changed = [name for name in fields if getattr(record, name) != getattr(before, name)]
        previous[record.id] = record
        steps.append(Step(record, before, changed))
    return steps
