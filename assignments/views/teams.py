"""A village's support team under a plan: set it up, add and remove members."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import services
from assignments.forms import (
    TeamForm,
    TeamMemberForm,
)
from assignments.models import SupportTeam
from assignments.views.common import (
    call_service,
    plan_of_village,
    writable_village,
)
from dankhoeo import access


def team(request, pk: int):
    """The village's support team: set it up, add members, remove members."""
    user = request.user
    village = access.village_for(user, pk)
    plan = plan_of_village(request, village)
    team = SupportTeam.objects.filter(plan=plan, village=village).first()
    status = 200
    team_form, member_form = TeamForm(), TeamMemberForm()
    if request.method == "POST":
        writable_village(request, pk, plan)
        if team is None:
            team_form = TeamForm(request.POST)
            if team_form.is_valid() and call_service(
                request,
                services.team_create,
                plan=plan,
                village=village,
                user=user,
                **team_form.cleaned_data,
            ):
                return redirect(request.get_full_path())
        else:
            member_form = TeamMemberForm(request.POST)
            if member_form.is_valid() and call_service(
                request, services.team_member_add, team=team, user=user, **member_form.cleaned_data
            ):
                return redirect(request.get_full_path())
        status = 400
    members = list(team.members.select_related("agency")) if team else []
    for member in members:
        member.can_remove = access.can_manage_team_member(user, team, member.agency_id)
    context = {
        "village": village,
        "plan": plan,
        "team": team,
        "members": members,
        "can_edit": access.can_manage_team(user, village, plan),
        "team_form": team_form,
        "member_form": member_form,
    }
    return render(request, "assignments/team.html", context, status=status)


@require_POST
def team_member_delete(request, pk: int):
    """Remove a member from a team, once the remover has ticked the confirmation box."""
    member = access.team_member_for(request.user, pk, write=True)
    team = member.team
    team_url = f"{reverse('assignments:team', args=[team.village_id])}?plan={team.plan_id}"
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the removal."))
        return redirect(team_url)
    if call_service(request, services.team_member_remove, member=member, user=request.user):
        messages.success(request, _("The member has been removed."))
    return redirect(team_url)
