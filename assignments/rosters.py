"""The support-team roster of a plan: one page and one Excel exporter from the same rows."""

from django.db.models import Prefetch, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from assignments.models import Plan, SupportTeam, TeamMember
from dankhoeo import access
from dankhoeo import spreadsheets as xl
from dankhoeo.models import User


def teams_for(plan: Plan, user: User) -> QuerySet[SupportTeam]:
    """The plan's teams in the villages this user may see, with their members (2 queries)."""
    members = TeamMember.objects.select_related("agency")
    return (
        SupportTeam.objects.filter(plan=plan, village__in=access.villages_visible_to(user))
        .select_related("village", "village__commune", "village__commune__successor")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("village__sort_key", "village__pk")
    )


COLUMNS = [
    xl.Column("village", _("Village"), width=24),
    xl.Column("commune", _("Commune"), width=30),
    xl.Column("role", _("Role in the team"), kind="choice", choices=TeamMember.Role.choices),
    xl.Column("full_name", _("Full name"), width=26),
    xl.Column("position", _("Position"), width=26),
    xl.Column("workplace", _("Agency or unit"), width=34),
    xl.Column("phone", _("Phone"), width=16),
]


class RosterExporter:
    identifier = "support-team-roster"
    title = _("Support-team roster")

    def __init__(self, plan: Plan, user: User):
        self.plan = plan
        self.user = user

    def rows(self):
        for team in teams_for(self.plan, self.user):
            for member in team.members.all():
                yield {
                    "village": team.village.name,
                    "commune": team.village.commune.name_with_successor(),
                    "role": member.role,
                    "full_name": member.full_name,
                    "position": member.position,
                    "workplace": str(member.agency) if member.agency else member.workplace,
                    "phone": member.phone,
                }

    def render(self) -> tuple[str, str, bytes]:
        content = xl.build_workbook([xl.SheetSpec(self.title, COLUMNS, rows=self.rows())])
        filename = f"to-ho-tro-{slugify(self.plan.number)}.xlsx"
        return filename, xl.XLSX_CONTENT_TYPE, content
