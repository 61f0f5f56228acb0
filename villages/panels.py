"""What other apps add to the village page: panels below the statistics (the survey by year,
the agency in charge, the support team...) and links beside the title (the village profile
report). The villages app knows none of them: each app registers its own in its
``AppConfig.ready()``, and the page shows them in the order the apps are installed.

A panel is a template and, optionally, a function ``(user, village, *, can_edit) -> dict`` that
gathers its data in a constant number of queries; ``can_edit`` is what the page already knows
about the user's right to change the village. Each panel is rendered with the page's context
(``village``, ``can_edit``, ``is_staff``, ``user``...) plus what its function returned. A link
is a template rendered with the page's context.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict] | None = None


VILLAGE_PANELS: list[Panel] = []
VILLAGE_LINKS: list[str] = []


def register_panel(template: str, context: Callable[..., dict] | None = None) -> None:
    """Add a panel to the village page (called from an app's ``AppConfig.ready()``)."""
    panel = Panel(template, context)
    if panel not in VILLAGE_PANELS:
        VILLAGE_PANELS.append(panel)


def register_link(template: str) -> None:
    """Add a link beside the village page's title (called from ``AppConfig.ready()``)."""
    if template not in VILLAGE_LINKS:
        VILLAGE_LINKS.append(template)


def render_panels(request, village, context: dict) -> list[str]:
    """The HTML of every panel of the village page."""
    rendered = []
    for panel in VILLAGE_PANELS:
        extra = (
            panel.context(request.user, village, can_edit=context["can_edit"])
            if panel.context
            else {}
        )
        rendered.append(render_to_string(panel.template, {**context, **extra}, request=request))
    return rendered


def render_links(request, context: dict) -> list[str]:
    """The HTML of every link beside the village page's title."""
    return [render_to_string(template, context, request=request) for template in VILLAGE_LINKS]
