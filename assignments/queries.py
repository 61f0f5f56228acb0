"""Reads that combine several querysets into what a page shows, each in a constant number of
queries: the assignment board, a village's panels, a liaison's villages, change history."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Activity,
    Agency,
    Assignment,
    CommonPlan,
    DvkModel,
    Membership,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
    TeamMember,
)
from criteria.models import Survey
from dankhoeo import access, bounds, history
from dankhoeo.models import User
from villages.models import AdminUnit, Village


def plan_from(request_get, plans: QuerySet | None = None) -> Plan | None:
    """The plan chosen with ?plan=<pk>, else the latest plan in progress."""
    plans = plans if plans is not None else Plan.objects.all()
    chosen = bounds.query_int(request_get, "plan", bounds.ID)
    if chosen is not None:
        plan = plans.filter(pk=chosen).first()
        if plan is not None:
            return plan
    return plans.current()


def teams_with_counts(plan: Plan) -> QuerySet[SupportTeam]:
    return SupportTeam.objects.filter(plan=plan).annotate(
        member_count=Count("members"),
        leader_count=Count("members", filter=Q(members__role=TeamMember.Role.LEADER)),
    )


@dataclass
class BoardRow:
    village: Village
    lead: Agency | None = None
    supporting: list[Agency] = field(default_factory=list)
    team: SupportTeam | None = None

    @property
    def lacks_lead(self) -> bool:
        return self.lead is None

    @property
    def lacks_team(self) -> bool:
        return self.team is None or self.team.member_count == 0

    @property
    def team_lacks_leader(self) -> bool:
        return self.team is not None and self.team.member_count > 0 and not self.team.leader_count

    @property
    def flagged(self) -> bool:
        return self.lacks_lead or self.lacks_team or self.team_lacks_leader


def _plan_villages_seen(plan: Plan, user: User) -> QuerySet[Village]:
    """The plan's villages that the user may see; for one who sees every village, the plan's
    villages alone (matching them against every village of a country of 60,000 took most of
    the board's time)."""
    if access.sees_every_village(user):
        return plan.villages.all()
    return plan.villages.filter(pk__in=access.villages_visible_to(user).values("pk"))


def board_villages(plan: Plan, user: User, *, flagged: bool = False) -> QuerySet[Village]:
    """The villages of the plan the user may see, in order; ``flagged``: only those without a
    lead agency or without a team leader (a team without members has no leader either), chosen
    by the database so that the board can show them one page at a time."""
    villages = _plan_villages_seen(plan, user).in_vietnamese_order()
    if flagged:
        lead = Assignment.objects.filter(
            plan=plan, village=OuterRef("pk"), role=Assignment.Role.LEAD
        )
        leader = TeamMember.objects.filter(
            team__plan=plan, team__village=OuterRef("pk"), role=TeamMember.Role.LEADER
        )
        villages = villages.filter(~Exists(lead) | ~Exists(leader))
    return villages


def with_places(villages: QuerySet[Village]) -> list[Village]:
    """These villages (often one page of a longer list, sliced) with their communes and
    districts, in order. The database chooses the page from the villages' own columns first
    and joins the places of the page's villages only: sorting every village of a plan joined
    with four places took most of the board's time at 1,746 villages."""
    chosen = Village.objects.filter(pk__in=villages.values("pk"))
    return list(chosen.with_places().in_vietnamese_order())


def board_counts(plan: Plan, user: User) -> dict:
    """How many villages of the plan the user sees, and how many lack a lead agency or a
    team with members: counted by the database (one query)."""
    lead = Assignment.objects.filter(plan=plan, village=OuterRef("pk"), role=Assignment.Role.LEAD)
    member = TeamMember.objects.filter(team__plan=plan, team__village=OuterRef("pk"))
    return (
        _plan_villages_seen(plan, user)
        .order_by()
        .alias(has_lead=Exists(lead), has_member=Exists(member))
        .aggregate(
            village_count=Count("pk"),
            lacking_lead=Count("pk", filter=Q(has_lead=False)),
            lacking_team=Count("pk", filter=Q(has_member=False)),
        )
    )


def board_rows(plan: Plan, user: User, *, villages: list[Village] | None = None) -> list[BoardRow]:
    """The rows of these villages (default: every village of the plan the user may see), with
    their agencies and their team (3 queries besides the villages)."""
    if villages is None:
        villages = with_places(board_villages(plan, user))
    rows = {village.pk: BoardRow(village) for village in villages}
    assignments = (
        Assignment.objects.filter(plan=plan, village__in=list(rows))
        .select_related("agency")
        .order_by("agency__name")
    )
    for assignment in assignments:
        row = rows[assignment.village_id]
        if assignment.role == Assignment.Role.LEAD:
            row.lead = assignment.agency
        else:
            row.supporting.append(assignment.agency)
    for team in teams_with_counts(plan).filter(village__in=list(rows)):
        rows[team.village_id].team = team
    return list(rows.values())


def village_panels(
    user: User, village: Village, plan: Plan | None = None, *, can_edit: bool | None = None
) -> dict:
    """Context of ``assignments/_village_panels.html`` for one village, as this user sees it.

    The caller has already checked that the user may see the village; ``can_edit``, when the
    caller knows it, says whether the user may change the village."""
    plan = plan or Plan.objects.filter(villages=village).current() or Plan.objects.current()
    if plan is None:
        return {"panels_plan": None, "village": village}
    assignments = list(
        Assignment.objects.filter(plan=plan, village=village).select_related("agency")
    )
    # Each list joins only what the panels show (the village and the plan are known already):
    # the SQL of a join that nothing reads costs more than the database's answer.
    team = (
        SupportTeam.objects.filter(plan=plan, village=village).prefetch_related("members").first()
    )
    year = plan.latest_open_year()
    resources = Resource.objects.filter(plan=plan, village=village).totals_with_year(year)
    proposals = Proposal.objects.filter(plan=plan, village=village)
    # the caller's answer spares a query; the policy decides the rest (can_record_for)
    editable = (
        access.agencies_recording_for(user, village, plan, village_editable=can_edit)
        if can_edit is not False
        else set()
    )
    return {
        "panels_plan": plan,
        "village": village,
        "lead": next((a.agency for a in assignments if a.role == Assignment.Role.LEAD), None),
        "supporting": [a.agency for a in assignments if a.role != Assignment.Role.LEAD],
        "team": team,
        "activities": list(
            Activity.objects.filter(plan=plan, village=village)
            .select_related("agency")
            .prefetch_related("customs")[:10]
        ),
        "resource_totals": resources["all"],
        "resource_totals_of_year": resources["year"],
        "open_proposals": list(proposals.open()),
        "closed_proposals": list(proposals.exclude(status__in=Proposal.OPEN_STATUSES)[:5]),
        "dvk_models": list(DvkModel.objects.filter(plan=plan, village=village)),
        "common_plans": list(
            CommonPlan.objects.filter(plan=plan, village=village).select_related("agency")
        ),
        "can_edit": bool(editable),
        "editable_agencies": editable,
        "panels_year": year,
    }


@dataclass
class MyVillageRow:
    village: Village
    lead: Agency | None
    team: SupportTeam | None
    open_proposals: int
    overdue_proposals: int
    activities_this_year: int
    survey: Survey | None = None  # this year's

    @property
    def due(self) -> list[str]:
        """What still needs doing this year, in words."""
        items = []
        if self.survey is None:
            items.append(_("Fill in this year's survey"))
        elif self.survey.status == Survey.Status.DRAFT:
            items.append(_("Finish and submit this year's survey"))
        if self.team is None or self.team.member_count == 0:
            items.append(_("Set up the support team"))
        elif not self.team.leader_count:
            items.append(_("Name the team leader"))
        if self.activities_this_year == 0:
            items.append(_("Record this year's activities"))
        if self.overdue_proposals:
            items.append(_("Follow up overdue proposals"))
        return items


def my_villages(user: User, plan: Plan, year: int) -> list[MyVillageRow]:
    """The villages of the plan the user may see, with what is due this year (6 queries)."""
    rows = board_rows(plan, user)
    ids = [row.village.pk for row in rows]
    today = datetime.date.today()
    proposals = (
        Proposal.objects.filter(plan=plan, village__in=ids)
        .open()
        .values("village")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    open_by_village = {p["village"]: p for p in proposals}
    activities = dict(
        Activity.objects.filter(plan=plan, village__in=ids)
        .in_year(year)
        .values("village")
        .annotate(total=Count("pk"))
        .values_list("village", "total")
    )
    surveys = {
        survey.village_id: survey
        for survey in Survey.objects.filter(village__in=ids, year=year).order_by("pk")
    }
    return [
        MyVillageRow(
            village=row.village,
            lead=row.lead,
            team=row.team,
            open_proposals=open_by_village.get(row.village.pk, {}).get("total", 0),
            overdue_proposals=open_by_village.get(row.village.pk, {}).get("overdue", 0),
            activities_this_year=activities.get(row.village.pk, 0),
            survey=surveys.get(row.village.pk),
        )
        for row in rows
    ]


# Change history -----------------------------------------------------------------------------

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    when: datetime.datetime
    who: object
    action: str
    subject: str
    changes: list[tuple[str, str, str]]


def _display(model, name: str, value, lookups: dict) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    if name in lookups:
        return str(lookups[name].get(value, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def history_changes(
    records: QuerySet,
    *,
    model,
    fields: list[str],
    subject,
    lookups: dict | None = None,
    limit: int = 200,
) -> list[Change]:
    """Who changed what and when, newest first, with "old → new" for each changed field.

    ``records`` are simple_history rows; ``subject(record)`` names the object; ``lookups``
    maps a foreign-key field (e.g. "agency") to {pk: label}, so that no row costs a query."""
    lookups = lookups or {}
    attnames = {model._meta.get_field(name).attname: name for name in fields}
    changes = []
    for step in history.history_steps(
        records.select_related("history_user").order_by("history_date", "history_id"),
        list(attnames),
    ):
        record, before = step.record, step.before
        shown = list(attnames) if record.history_type == "+" else step.changed if before else []
        diffs = []
        for attname in shown:
            name = attnames[attname]
            old = _display(model, name, getattr(before, attname), lookups) if before else "—"
            new = _display(model, name, getattr(record, attname), lookups)
            diffs.append((str(model._meta.get_field(name).verbose_name), old, new))
        if record.history_type == "~" and not diffs:
            continue
        changes.append(
            Change(
                when=record.history_date,
                who=record.history_user,
                action=str(ACTIONS[record.history_type]),
                subject=subject(record),
                changes=diffs if record.history_type != "-" else [],
            )
        )
    changes.reverse()
    return changes[:limit]


def plan_history(plan: Plan) -> list[Change]:
    """Changes to the plan's assignments, support teams and team members."""
    agencies = dict(Agency.objects.values_list("pk", "name"))
    villages = dict(plan.villages.values_list("pk", "name"))
    assignment_changes = history_changes(
        Assignment.history.filter(plan_id=plan.pk),
        model=Assignment,
        fields=["agency", "role", "start_date", "end_date"],
        subject=lambda r: f"{_('Assignment')}: {villages.get(r.village_id, r.village_id)}",
        lookups={"agency": agencies},
    )
    team_ids = {t.pk: t.village_id for t in SupportTeam.objects.filter(plan=plan)}
    team_changes = history_changes(
        SupportTeam.history.filter(plan_id=plan.pk),
        model=SupportTeam,
        fields=["established_on", "decision"],
        subject=lambda r: f"{_('Support team')}: {villages.get(r.village_id, r.village_id)}",
    )
    member_changes = history_changes(
        TeamMember.history.filter(team_id__in=list(team_ids)),
        model=TeamMember,
        fields=["full_name", "position", "role", "agency", "phone"],
        subject=lambda r: f"{_('Team member')}: {villages.get(team_ids.get(r.team_id), '')}",
        lookups={"agency": agencies},
    )
    everything = assignment_changes + team_changes + member_changes
    return sorted(everything, key=lambda c: c.when, reverse=True)[:200]


def common_plan_history(common_plan: CommonPlan) -> list[Change]:
    """Who recorded and corrected a common plan with the commune, and what changed."""
    return history_changes(
        CommonPlan.history.filter(id=common_plan.pk),
        model=CommonPlan,
        fields=["agency", "agreed_on", "content", "filename"],
        subject=lambda _record: str(common_plan.village),
        lookups={"agency": dict(Agency.objects.values_list("pk", "name"))},
    )


def membership_history() -> list[Change]:
    """Who was made a liaison of which agency, or an officer of which commune, and when."""
    users = dict(User.objects.values_list("pk", "username"))
    agencies = dict(Agency.objects.values_list("pk", "name"))
    communes = dict(AdminUnit.objects.communes().values_list("pk", "name"))
    return history_changes(
        Membership.history.all(),
        model=Membership,
        fields=["agency", "commune"],
        subject=lambda r: f"{_('Membership')}: {users.get(r.user_id, r.user_id)}",
        lookups={"agency": agencies, "commune": communes},
        limit=100,
    )
