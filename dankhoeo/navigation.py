"""The main navigation: which sections each user sees, as the access policy decides.

One list, read top to bottom; an app that adds a section adds one line here. Sections with the
same group share a drop-down menu (a group with one visible section is a plain link). Whether a
section is shown is a named predicate of the access policy (never a role read here); what a
user may see inside a section is the policy's business too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dankhoeo import access
from dankhoeo.models import User


@dataclass(frozen=True)
class Section:
    """A menu entry: shown when the access policy's predicate of its page says yes (the page
    asks the same predicate), to every signed-in user when it has none."""

    label: str
    url_name: str
    group: str = ""
    shown: Callable[[User], bool] = access.is_signed_in

    def shown_to(self, user: User) -> bool:
        return self.shown(user)


VILLAGES, SURVEYS, PLAN, REPORTS, SYSTEM = (
    _("Villages"),
    _("Surveys"),
    _("Plan"),
    _("Reports"),
    _("System"),
)

SECTIONS = [
    Section(_("Home"), "home"),
    Section(_("My villages"), "assignments:my-villages", shown=access.has_own_villages),
    Section(_("Villages"), "villages:list", VILLAGES),
    Section(_("Administrative units"), "villages:unit-list", VILLAGES, access.can_manage_units),
    Section(_("Surveys"), "criteria:surveys", SURVEYS),
    Section(_("Criteria sets"), "criteria:sets", SURVEYS),
    Section(_("Plans"), "assignments:plan-list", PLAN),
    Section(_("Agencies"), "assignments:agency-list", PLAN),
    Section(_("Agencies' work"), "assignments:proposal-list", PLAN),
    Section(_("Dashboard"), "reports:dashboard", REPORTS),
    Section(_("Map"), "reports:map", REPORTS),
    Section(_("Yearly review reports"), "reports:index", REPORTS),
    Section(_("Accounts"), "accounts", SYSTEM, access.can_manage_accounts),
    Section(_("Security log"), "audit-log", SYSTEM, access.can_read_security_log),
    Section(_("Administration"), "admin:index", SYSTEM, access.can_administer),
]


# The home page's shortcuts, each role its own (what each role does is in DOMAIN.md).
SHORTCUTS = [
    Section(
        _("What is due in my villages"), "assignments:my-villages", shown=access.has_own_villages
    ),
    Section(_("Surveys of the year"), "criteria:surveys", shown=access.takes_part_in_surveys),
    Section(
        _("Upload a filled survey template"),
        "criteria:survey-import",
        shown=access.can_import_surveys,
    ),
    Section(
        _("Proposals and difficulties"),
        "assignments:proposal-list",
        shown=access.takes_part_in_surveys,
    ),
    Section(_("Import villages from Excel"), "villages:import", shown=access.can_manage_units),
    Section(_("Plans and assignments"), "assignments:plan-list", shown=access.can_manage_plans),
    Section(_("Accounts"), "accounts", shown=access.can_manage_accounts),
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
    host outside ALLOWED_HOSTS): then there is no user, and no menu.

    Worked out once per request and user: a page made of several templates rendered with the
    request (the village page's panels) asks again for each."""
    user = getattr(request, "user", None)
    who = (getattr(user, "pk", None), user is not None and user.is_authenticated)
    kept = getattr(request, "_navigation", None)
    if kept is None or kept[0] != who:
        kept = (
            who,
            {
                "nav_sections": sections_for(user),
                "is_staff": user is not None and access.is_staff(user),
            },
        )
        request._navigation = kept
    return kept[1]
