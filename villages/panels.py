"""Panels that other apps add to the village page (the survey by year, the agency in charge, the
support team...).

A panel is a template and, optionally, the dotted path of a function ``(user, village) -> dict``
that gathers its data in a constant number of queries (for example
``criteria.queries.village_panel``). The village page renders the panels in this order, below
the statistics, each with the page's context (``village``, ``can_edit``, ``is_staff``,
``user``...) plus what its function returned. The lead adds one line per panel here.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Panel:
    template: str
    context: str = ""


VILLAGE_PANELS: list[Panel] = [
    Panel("criteria/_village_panel.html", "criteria.queries.village_panel"),
    Panel("assignments/_village_panels.html", "assignments.reads.village_panels"),
]


def render_panels(request, village, context: dict) -> list[str]:
    """The HTML of every panel of the village page."""
    rendered = []
    for panel in VILLAGE_PANELS:
        extra = import_string(panel.context)(request.user, village) if panel.context else {}
        rendered.append(render_to_string(panel.template, {**context, **extra}, request=request))
    return rendered
