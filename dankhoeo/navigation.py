"""The main navigation: which sections each role sees.

One list, read top to bottom; an app that adds a section adds one line here. Sections with the
same group share a drop-down menu (a group with one visible section is a plain link). What a
user may see inside a section is the access policy's business, not the menu's.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dankhoeo import access
from dankhoeo.models import User

EVERY_ROLE = frozenset(User.Role)


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    group: str = ""
    roles: frozenset = EVERY_ROLE
    superuser_only: bool = False
    role_only: bool = False  # for the roles named only, superusers included only by their role

    def shown_to(self, user: User) -> bool:
        if self.superuser_only:
            return user.is_superuser
        if self.role_only:
            return user.role in self.roles
        return user.is_superuser or user.role in self.roles


STAFF = frozenset({User.Role.STAFF})
LIAISON = frozenset({User.Role.LIAISON})
WRITERS = frozenset({User.Role.STAFF, User.Role.LIAISON, User.Role.COMMUNE})
VILLAGES, SURVEYS, PLAN, REPORTS, SYSTEM = (
    _("Villages"),
    _("Surveys"),
    _("Plan"),
    _("Reports"),
    _("System"),
)

SECTIONS = [
    Section(_("Home"), "home"),
    Section(_("My villages"), "assignments:my-villages", roles=LIAISON, role_only=True),
    Section(_("Villages"), "villages:list", VILLAGES),
    Section(_("Administrative units"), "villages:unit-list", VILLAGES, roles=STAFF),
    Section(_("Surveys"), "criteria:surveys", SURVEYS),
    Section(_("Criteria sets"), "criteria:sets", SURVEYS),
    Section(_("Plans"), "assignments:plan-list", PLAN),
    Section(_("Agencies"), "assignments:agency-list", PLAN),
    Section(_("Agencies' work"), "assignments:proposal-list", PLAN),
    Section(_("Dashboard"), "reports:dashboard", REPORTS),
    Section(_("Yearly review reports"), "reports:index", REPORTS),
    Section(_("Accounts"), "accounts", SYSTEM, roles=STAFF),
    Section(_("Security log"), "audit-log", SYSTEM, roles=STAFF),
    Section(_("Administration"), "admin:index", SYSTEM, superuser_only=True),
]


# The home page's shortcuts, each role its own (what each role does is in DOMAIN.md).
SHORTCUTS = [
    Section(
        _("What is due in my villages"), "assignments:my-villages", roles=LIAISON, role_only=True
    ),
    Section(_("Surveys of the year"), "criteria:surveys", roles=WRITERS),
    Section(_("Upload a filled survey template"), "criteria:survey-import", roles=LIAISON | STAFF),
    Section(_("Proposals and difficulties"), "assignments:proposal-list", roles=WRITERS),
    Section(_("Import villages from Excel"), "villages:import", roles=STAFF),
    Section(_("Plans and assignments"), "assignments:plan-list", roles=STAFF),
    Section(_("Accounts"), "accounts", roles=STAFF),
    Section(_("The plan's figures at a glance"), "reports:dashboard"),
    Section(_("Yearly review reports"), "reports:index"),
]


def shortcuts_for(user: User) -> list[dict]:
    """The home page's shortcuts for this user: ``{label, url}``."""
    return [
        {"label": item.label, "url": reverse(item.url_name)}
        for item in SHORTCUTS
        if item.shown_to(user)
    ]


def sections_for(user: User | None) -> list[dict]:
    """Menu entries in order: a link ``{label, url, name}`` or a group ``{label, children}``."""
    if user is None or not user.is_authenticated:
        return []
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for section in SECTIONS:
        if not section.shown_to(user):
            continue
        link = {"label": section.label, "url": reverse(section.url_name), "name": section.url_name}
        if not section.group:
            entries.append(link)
        elif section.group in groups:
            groups[section.group]["children"].append(link)
        else:
            groups[section.group] = {"label": section.group, "children": [link]}
            entries.append(groups[section.group])
    return [
        entry["children"][0] if len(entry.get("children", ())) == 1 else entry for entry in entries
    ]


def context(request) -> dict:
    """Template context processor: the sections shown in the navigation bar, and ``is_staff``,
    the access policy's answer to "does this user set up plans, agencies and criteria sets"
    (pages show their staff-only buttons with it, never by reading the role).

    An error page may be rendered before the authentication middleware ran (a request for a
    host outside ALLOWED_HOSTS): then there is no user, and no menu."""
    user = getattr(request, "user", None)
    return {
        "nav_sections": sections_for(user),
        "is_staff": user is not None and access.is_staff(user),
    }
