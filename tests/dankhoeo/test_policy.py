"""The access policy's rules of issue 11, each tried the way a user would and straight on the
service: a village helped by a lead agency and a supporting agency, each with its liaison."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assignments import services as work
from assignments.models import Assignment, DvkModel, Membership, TeamMember
from criteria import services as surveys
from criteria.models import CriteriaSet, Survey
from dankhoeo import access
from dankhoeo.errors import Refused
from dankhoeo.models import AuditEvent, User
from tests.conftest import make_user
from tests.criteria.conftest import all_met
from tests.factories import (
    assign,
    commune,
    join,
    make_agency,
    make_dvk_model,
    make_plan,
    make_village,
    png_upload,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shared(db, liaison, commune_officer):
    """One village, two agencies: the liaison's is the lead, ``helper``'s is supporting."""
    criteria_set = CriteriaSet.objects.get(code="KT-147-2022", version=1)
    plan = make_plan(criteria_set=criteria_set, period_start=2021, period_end=2025)
    home = commune("23407")
    village = make_village("Làng Chung", commune_unit=home, code="CH01")
    hidden = make_village("Thôn Khuất", commune_unit=commune("23341"), code="KH01")
    lead, supporting, elsewhere = (
        make_agency("Sở Phụ Trách", code="SPT"),
        make_agency("Sở Hỗ Trợ", code="SHT"),
        make_agency("Sở Nơi Khác", code="SNK"),
    )
    assign(lead, village, plan)
    assign(supporting, village, plan, role=Assignment.Role.SUPPORTING)
    assign(elsewhere, hidden, plan)
    helper = make_user("helper", User.Role.LIAISON)
    join(liaison, agency=lead)
    join(helper, agency=supporting)
    join(commune_officer, commune_unit=home)
    team = work.team_create(plan=plan, village=village, user=None)

    class Shared:
        pass

    s = Shared()
    s.plan, s.village, s.hidden, s.team, s.helper = plan, village, hidden, team, helper
    s.lead, s.supporting, s.elsewhere = lead, supporting, elsewhere
    return s


# "Dân vận khéo" models: only their own agency moves them or adds files -------------------------


def test_a_supporting_liaison_cannot_advance_the_lead_agencys_model(client_for, shared):
    model = make_dvk_model(shared.plan, shared.lead, shared.village)
    response = client_for(shared.helper).post(
        reverse("assignments:model-advance", args=[model.pk]), {"to": "launched"}
    )
    assert response.status_code == 403
    assert DvkModel.objects.get(pk=model.pk).stage == DvkModel.Stage.REGISTERED
    with pytest.raises(PermissionDenied):
        work.dvk_advance(model=model, to="launched", user=shared.helper)


def test_a_supporting_liaison_cannot_attach_to_the_lead_agencys_model(client_for, shared):
    model = make_dvk_model(shared.plan, shared.lead, shared.village)
    response = client_for(shared.helper).post(
        reverse("assignments:model-attach", args=[model.pk]), {"file": png_upload()}
    )
    assert response.status_code == 403
    assert not model.attachments.exists()
    with pytest.raises(PermissionDenied):
        work.dvk_attach(model=model, file=png_upload(), user=shared.helper)


def test_the_models_own_agency_advances_it_and_the_page_offers_only_that(
    client_for, shared, liaison
):
    model = make_dvk_model(shared.plan, shared.supporting, shared.village)
    page = client_for(liaison).get(reverse("assignments:model-detail", args=[model.pk]))
    assert page.context["can_advance"] is False and page.context["can_attach"] is False
    page = client_for(shared.helper).get(reverse("assignments:model-detail", args=[model.pk]))
    assert page.context["can_advance"] is True and page.context["can_attach"] is True
    client_for(shared.helper).post(
        reverse("assignments:model-advance", args=[model.pk]), {"to": "launched"}
    )
    assert DvkModel.objects.get(pk=model.pk).stage == DvkModel.Stage.LAUNCHED


# Support-team members: a supporting agency manages its own people, the lead the whole team ---


def member(shared, agency, name="A Hùng"):
    return work.team_member_add(
        team=shared.team, full_name=name, role=TeamMember.Role.MEMBER, agency=agency, user=None
    )


def test_a_supporting_liaison_cannot_remove_the_lead_agencys_members(client_for, shared):
    theirs, nobodys = member(shared, shared.lead), member(shared, None, "Y Lan")
    for kept in (theirs, nobodys):
        response = client_for(shared.helper).post(
            reverse("assignments:team-member-delete", args=[kept.pk]), {"confirm": "1"}
        )
        assert response.status_code == 403
        assert TeamMember.objects.filter(pk=kept.pk).exists()
        with pytest.raises(PermissionDenied):
            work.team_member_remove(member=kept, user=shared.helper)


def test_a_removal_needs_the_confirmation(client_for, shared):
    own = member(shared, shared.supporting)
    url = reverse("assignments:team-member-delete", args=[own.pk])
    client_for(shared.helper).post(url)
    assert TeamMember.objects.filter(pk=own.pk).exists()
    client_for(shared.helper).post(url, {"confirm": "1"})
    assert not TeamMember.objects.filter(pk=own.pk).exists()


def test_the_lead_agency_manages_the_whole_team(client_for, shared, liaison):
    helpers = member(shared, shared.supporting)
    client_for(liaison).post(
        reverse("assignments:team-member-delete", args=[helpers.pk]), {"confirm": "1"}
    )
    assert not TeamMember.objects.filter(pk=helpers.pk).exists()


def test_a_supporting_liaison_adds_only_its_own_people(shared):
    with pytest.raises(PermissionDenied):
        work.team_member_add(
            team=shared.team, full_name="B", role="member", agency=shared.lead, user=shared.helper
        )
    work.team_member_add(
        team=shared.team, full_name="C", role="member", agency=shared.supporting, user=shared.helper
    )
    assert list(shared.team.members.values_list("full_name", flat=True)) == ["C"]


def test_the_team_page_offers_removal_only_where_allowed(client_for, shared):
    own, theirs = member(shared, shared.supporting), member(shared, shared.lead, "Y Lan")
    page = client_for(shared.helper).get(
        reverse("assignments:team", args=[shared.village.pk]) + f"?plan={shared.plan.pk}"
    )
    offered = {m.pk: m.can_remove for m in page.context["members"]}
    assert offered == {own.pk: True, theirs.pk: False}


# Surveys: only years of a plan in progress; the lead agency submits ----------------------------


@pytest.mark.parametrize("year", [0, 1900, 2020, 2026, 9999, 40000, 10**20])
def test_a_survey_starts_only_for_a_year_of_the_plan(client_for, shared, liaison, year):
    start = reverse("criteria:survey-start", args=[shared.village.pk, year])
    assert client_for(liaison).post(start).status_code == 404
    opened = reverse("criteria:survey-open", args=[shared.village.pk, year])
    assert client_for(liaison).get(opened).status_code == 404
    assert not Survey.objects.exists()
    assert not access.can_start_survey(liaison, shared.village, year)


def test_a_survey_starts_for_a_year_of_the_plan(client_for, shared, liaison):
    response = client_for(liaison).post(
        reverse("criteria:survey-start", args=[shared.village.pk, 2025])
    )
    assert response.status_code == 302
    assert Survey.objects.filter(village=shared.village, year=2025).exists()


def test_the_survey_service_refuses_a_year_outside_the_plan(shared, staff):
    with pytest.raises(Refused) as refused:
        surveys.survey_start(user=staff, village=shared.village, year=1900)
    assert refused.value.code == "year"


@pytest.fixture
def filled(shared, liaison):
    draft = surveys.survey_start(user=liaison, village=shared.village, year=2025)
    return surveys.survey_save_values(
        user=shared.helper, survey=draft, version=draft.version, values=all_met(draft)
    )


def test_a_supporting_agency_fills_in_the_survey_but_does_not_submit_it(client_for, shared, filled):
    url = reverse("criteria:survey-transition", args=[filled.pk, "submit"])
    page = client_for(shared.helper).get(reverse("criteria:survey", args=[filled.pk]))
    assert page.context["can_edit"] and "submit" not in page.context["actions"]
    assert client_for(shared.helper).post(url).status_code == 403
    with pytest.raises(Refused) as refused:
        surveys.survey_submit(user=shared.helper, survey=filled)
    assert "cơ quan phụ trách" in refused.value.messages[0]
    assert Survey.objects.get(pk=filled.pk).status == Survey.Status.DRAFT


def test_the_lead_agency_submits(client_for, shared, filled, liaison):
    url = reverse("criteria:survey-transition", args=[filled.pk, "submit"])
    assert client_for(liaison).post(url).status_code == 302
    assert Survey.objects.get(pk=filled.pk).status == Survey.Status.SUBMITTED


# Reports: a missing scope and a hidden one look the same ---------------------------------------


@pytest.mark.parametrize(
    "hidden, missing", [("village:KH01", "village:ZZ99"), ("agency:SNK", "agency:ZZZ")]
)
def test_a_hidden_scope_and_a_missing_one_get_the_same_answer(
    client_for, shared, liaison, hidden, missing
):
    answers = {
        scope: client_for(liaison)
        .get(reverse("reports:dashboard"), {"plan": shared.plan.number, "scope": scope})
        .status_code
        for scope in (hidden, missing)
    }
    assert answers == {hidden: 404, missing: 404}


def test_staff_are_told_a_scope_does_not_exist(client_for, shared, staff):
    response = client_for(staff).get(
        reverse("reports:dashboard"), {"plan": shared.plan.number, "scope": "village:ZZ99"}
    )
    assert response.status_code == 400


# The roster export is in the security log ------------------------------------------------------


def test_the_roster_export_is_recorded_in_the_security_log(client_for, shared, viewer):
    member(shared, shared.lead)
    response = client_for(viewer).get(reverse("assignments:roster-export", args=[shared.plan.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.actor == viewer and "support-team-roster" in event.target


# Services of assignments ask the policy themselves ----------------------------------------------


def test_assignment_and_membership_services_refuse_a_liaison(shared, liaison):
    with pytest.raises(PermissionDenied):
        work.assignment_set(
            plan=shared.plan,
            village=shared.hidden,
            agency=shared.lead,
            role=Assignment.Role.SUPPORTING,
            user=liaison,
        )
    other = make_user("other", User.Role.LIAISON)
    with pytest.raises(PermissionDenied):
        work.membership_add(user=other, agency=shared.lead, actor=liaison)
    assert not Assignment.objects.filter(village=shared.hidden, agency=shared.lead).exists()
    assert not Membership.objects.filter(user=other).exists()


def test_work_services_refuse_another_agencys_record(shared, liaison, commune_officer):
    model = make_dvk_model(shared.plan, shared.supporting, shared.village)
    with pytest.raises(PermissionDenied):
        work.dvk_update(
            model=model, version=model.version, agency=shared.lead, facts={}, user=liaison
        )
    with pytest.raises(PermissionDenied):
        work.team_create(plan=shared.plan, village=shared.hidden, user=liaison)
    with pytest.raises(PermissionDenied):
        work.dvk_evaluate(
            model=model, standards=[True] * 5, evaluation="", on=model.registered_on, user=liaison
        )
    assert DvkModel.objects.get(pk=model.pk).version == model.version


# Proposals: the commune answers what is addressed to it, the province the rest ---------------


def _proposal(shared, addressed_to, **extra):
    return work.proposal_raise(
        plan=shared.plan,
        agency=shared.lead,
        village=shared.village,
        title="Kinh phí",
        content="Đề nghị hỗ trợ",
        addressed_to=addressed_to,
        raised_on=datetime.date(2025, 4, 1),
        user=None,
        **extra,
    )


@pytest.mark.parametrize("addressed_to", ["province", "agency"])
def test_a_commune_officer_cannot_answer_a_proposal_addressed_elsewhere(
    client_for, shared, commune_officer, addressed_to
):
    extra = {"addressed_agency": shared.supporting} if addressed_to == "agency" else {}
    proposal = _proposal(shared, addressed_to, **extra)
    url = reverse("assignments:proposal-transition", args=[proposal.pk, "decline"])
    response = client_for(commune_officer).post(url, {"answer": "Không"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "open" and proposal.answer == ""
    with pytest.raises(PermissionDenied):
        work.proposal_transition(proposal=proposal, action="start", user=commune_officer)
    page = client_for(commune_officer).get(
        reverse("assignments:proposal-detail", args=[proposal.pk])
    )
    assert page.status_code == 200 and not page.context["can_answer"]


def test_a_forwarded_proposal_is_the_provinces(client_for, shared, commune_officer, staff):
    proposal = _proposal(shared, "commune")
    client = client_for(commune_officer)
    forward = reverse("assignments:proposal-transition", args=[proposal.pk, "forward"])
    assert client.post(forward).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "forwarded"
    decline = reverse("assignments:proposal-transition", args=[proposal.pk, "decline"])
    assert client.post(decline, {"answer": "Không"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "forwarded"
    assert access.can_answer_proposal(staff, proposal)
    home = client.get(reverse("home"))
    assert home.context["to_answer"]["count"] == 0  # no longer the commune's to answer
    assert list(access.proposals_to_answer(staff)) == [proposal]


# An assignment that ended (or has not begun) gives no right to change the village ------------


@pytest.mark.parametrize("days", [-1, 1], ids=["ended yesterday", "begins tomorrow"])
def test_an_agency_not_assigned_today_reads_but_does_not_change(client_for, shared, liaison, days):
    today = datetime.date.today()
    dates = {"end_date": today + datetime.timedelta(days=days)}
    if days > 0:
        dates = {"start_date": today + datetime.timedelta(days=days)}
    Assignment.objects.filter(agency=shared.lead, village=shared.village).update(**dates)
    client = client_for(liaison)
    assert client.get(reverse("villages:detail", args=[shared.village.pk])).status_code == 200
    create = reverse("assignments:activity-create", args=[shared.village.pk])
    assert client.get(f"{create}?plan={shared.plan.pk}").status_code == 403
    start = reverse("criteria:survey-start", args=[shared.village.pk, 2025])
    assert client.post(start).status_code == 403
    assert not Survey.objects.exists()
    assert not access.can_edit_village(liaison, shared.village)
    assert not access.is_lead_liaison(liaison, shared.village)
    assert not access.agencies_of(liaison, shared.village, shared.plan).exists()
    with pytest.raises(Refused):
        surveys.survey_start(user=liaison, village=shared.village, year=2025)
    # the supporting agency, still assigned, keeps its rights
    assert access.can_edit_village(shared.helper, shared.village)


def test_an_assignment_ending_today_is_still_in_force(shared, liaison):
    today = datetime.date.today()
    Assignment.objects.filter(agency=shared.lead).update(start_date=today, end_date=today)
    assert access.can_edit_village(liaison, shared.village)
    assert access.is_lead_liaison(liaison, shared.village)
