"""The main navigation: which sections each role sees.

One list, read top to bottom; an app that adds a section adds one line here. What a user may
see inside a section is the access policy's business, not the menu's.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dankhoeo.models import User

EVERY_ROLE = frozenset(User.Role)


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: frozenset = EVERY_ROLE
    superuser_only: bool = False

    def shown_to(self, user: User) -> bool:
        if self.superuser_only:
            return user.is_superuser
        return user.is_superuser or user.role in self.roles


SECTIONS = [
    Section(_("Home"), "home"),
    Section(_("Villages"), "villages:list"),
    Section(_("Surveys"), "criteria:surveys"),
    Section(_("Criteria sets"), "criteria:sets"),
    Section(_("My villages"), "assignments:my-villages", roles=frozenset({User.Role.LIAISON})),
    Section(_("Plans"), "assignments:plan-list"),
    Section(_("Agencies"), "assignments:agency-list"),
    Section(_("Agencies' work"), "assignments:proposal-list"),
    Section(_("Dashboard"), "reports:dashboard"),
    Section(_("Reports"), "reports:index"),
    Section(_("Administrative units"), "villages:unit-list", roles=frozenset({User.Role.STAFF})),
    Section(_("Security log"), "audit-log", roles=frozenset({User.Role.STAFF})),
    Section(_("Administration"), "admin:index", superuser_only=True),
]


def sections_for(user: User) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"label": section.label, "url": reverse(section.url_name), "name": section.url_name}
        for section in SECTIONS
        if section.shown_to(user)
    ]


def context(request) -> dict:
    """Template context processor: the sections shown in the navigation bar."""
    return {"nav_sections": sections_for(request.user)}
