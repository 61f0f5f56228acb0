"""The lists of a report beside its counts: the support teams of the villages, and the one-page
profile of a village."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch

from assignments.models import Assignment, DvkModel, Plan, Resource, SupportTeam, TeamMember
from criteria.models import Survey
from villages.models import Village


@dataclass
class TeamRow:
    village: Village
    team: SupportTeam | None
    leader: TeamMember | None
    members: list[TeamMember]


def teams(plan: Plan, villages: list[Village]) -> list[TeamRow]:
    found = {
        team.village_id: team
        for team in SupportTeam.objects.filter(
            plan=plan, village__any_of=tuple(v.pk for v in villages)
        ).prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.select_related("agency"))
        )
    }
    rows = []
    for village in villages:
        team = found.get(village.pk)
        members = list(team.members.all()) if team else []
        leader = next((m for m in members if m.role == TeamMember.Role.LEADER), None)
        rows.append(TeamRow(village, team, leader, [m for m in members if m is not leader]))
    return rows


def team_counts(plan: Plan, ids: tuple[int, ...]) -> dict:
    """{"teams": villages with a support team, "team_members": their members} among these
    villages, counted by the database (a plan has one team per village)."""
    return SupportTeam.objects.filter(plan=plan, village__any_of=ids).aggregate(
        teams=Count("pk", distinct=True), team_members=Count("members")
    )


@dataclass
class Profile:
    village: Village
    statistics: object  # the latest VillageYear, or None
    lead_agency: str
    surveys: list[Survey]
    team: TeamRow
    resources_by_year: list[dict]
    models: list[DvkModel]


def village_profile(*, plan: Plan, village: Village) -> Profile:
    """One village on one page: profile, criteria over the years (approved surveys only),
    team, resources per year and models."""
    lead = (
        Assignment.objects.filter(plan=plan, village=village, role=Assignment.Role.LEAD)
        .values_list("agency__name", flat=True)
        .first()
    )
    return Profile(
        village=village,
        statistics=village.years.order_by("-year").first(),
        lead_agency=lead or "",
        surveys=list(
            Survey.objects.filter(village=village, status=Survey.Status.APPROVED)
            .select_related("criteria_set")
            .order_by("year", "pk")
        ),
        team=teams(plan, [village])[0],
        resources_by_year=Resource.objects.filter(plan=plan, village=village).totals_by("year"),
        models=list(
            DvkModel.objects.filter(plan=plan, village=village).order_by("registered_on", "pk")
        ),
    )
