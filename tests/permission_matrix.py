"""The permission matrix: every URL of the app × every persona, with the expected outcome of a
read (GET) and, where the view takes POST, of a write (POST with a minimal body).

Outcomes tell allowed from refused, and refusals apart:

- ``L``: 302 to the login page (anonymous);
- ``ok``: allowed (200, or a redirect elsewhere than the login page);
- ``400``: refused as bad input (the form or the workflow says why);
- ``409``: refused as a conflict with a change made meanwhile;
- ``403``: the persona's role may not do this;
- ``404``: the object is outside the persona's scope (hidden and missing look the same);
- ``405``: the wrong method (checked once per URL, for the first persona that expects it);
- ``-``: no write to test (a page that only reads).

Every refused write (L, 400, 403, 404, 405, 409) must leave the database as it was: the test
compares a fingerprint of every table of the app before and after.

The world (``build_world``): one village ("the village") led by the liaison's agency and
supported by the supporting liaison's agency, in the commune officer's commune; the outsiders
(an unrelated agency's liaison, another commune's officer) have their own village. Rows named
``<url>~support`` use the records of the supporting agency in the village (ownership cases);
``~other`` the records of the unrelated agency's village.
"""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile

from assignments import services as work_services
from assignments.models import (
    Activity,
    ActivityPhoto,
    Agency,
    Assignment,
    CommonPlan,
    DvkAttachment,
    DvkModel,
    Membership,
    Plan,
    Proposal,
    Resource,
    ResourceSource,
    TeamMember,
)
from criteria import services as criteria_services
from criteria.models import CriteriaSet, Criterion, Evidence, Indicator, Survey
from dankhoeo import tokens
from dankhoeo.models import ApiToken, ImportJob, User
from reports.models import ReportFile
from tests.conftest import make_user
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
from villages.models import AdminUnit, Village

LOGIN, HIDDEN, DENIED, OK, WRONG_METHOD, BAD, CONFLICT = (
    "L",
    "404",
    "403",
    "ok",
    "405",
    "400",
    "409",
)
REFUSED = {LOGIN, HIDDEN, DENIED, WRONG_METHOD, BAD, CONFLICT}

PERSONAS = (
    "anonymous",
    "other_liaison",
    "liaison",
    "support",
    "other_commune",
    "commune",
    "viewer",
    "staff",
    "superuser",
)


# The world ------------------------------------------------------------------------------------


@dataclass
class Records:
    """What one agency recorded in a village."""

    activity: Activity
    resource: Resource
    proposal: Proposal
    model: DvkModel
    team_member: TeamMember
    common_plan: CommonPlan


@dataclass
class World:
    users: dict[str, User]
    plan: Plan
    criteria_set: CriteriaSet
    criterion: Criterion
    indicator: Indicator
    agency: Agency
    village: Village
    commune: AdminUnit
    assignment: Assignment
    membership: Membership
    survey: Survey
    evidence: Evidence
    other_evidence: Evidence
    photo: ActivityPhoto
    attachment: DvkAttachment
    lead: Records
    support: Records
    other: Records
    report_file: ReportFile
    token: ApiToken
    import_job: ImportJob
    province_proposal: Proposal
    ended_village: Village


def _report_file(staff: User, plan: Plan, village: Village) -> ReportFile:
    """A file that staff asked for and the queue made (reports/jobs.py)."""
    made = ReportFile.objects.create(
        user=staff,
        exporter="review-xlsx",
        query={"plan": plan.number, "year": 2025, "scope": f"village:{village.code}"},
        status=ReportFile.Status.READY,
        progress=100,
        filename="review.xlsx",
        content_type="application/octet-stream",
    )
    made.file.save("review.xlsx", ContentFile(b"PK"))
    return made


def _proposal(plan: Plan, agency: Agency, village: Village, addressed_to: str, title: str):
    return work_services.proposal_raise(
        plan=plan,
        agency=agency,
        village=village,
        title=title,
        content="Cần hỗ trợ",
        addressed_to=addressed_to,
        raised_on=datetime.date(2025, 4, 1),
        user=None,
    )


def _records(plan: Plan, agency: Agency, village: Village, team) -> Records:
    activity = work_services.activity_record(
        plan=plan,
        agency=agency,
        village=village,
        held_on=datetime.date(2025, 3, 1),
        kind=Activity.Kind.PROPAGANDA,
        description="Tuyên truyền",
        photos=[png_upload()],
        user=None,
    )
    resource = work_services.resource_record(
        plan=plan,
        agency=agency,
        village=village,
        source=ResourceSource.objects.order_by("position").first(),
        kind=Resource.Kind.CASH,
        amount=1_000_000,
        received_on=datetime.date(2025, 3, 2),
        user=None,
    )
    proposal = _proposal(plan, agency, village, Proposal.Addressee.COMMUNE, "Đường vào làng")
    member = work_services.team_member_add(
        team=team, full_name="A Hùng", role=TeamMember.Role.MEMBER, agency=agency, user=None
    )
    model = make_dvk_model(plan, agency, village)
    common_plan = work_services.common_plan_record(
        plan=plan,
        agency=agency,
        village=village,
        agreed_on=datetime.date(2025, 2, 1),
        content="Kế hoạch chung với xã",
        file=png_upload(),
        user=None,
    )
    return Records(activity, resource, proposal, model, member, common_plan)


def build_world() -> World:
    criteria_set = CriteriaSet.objects.get(code="KT-147-2022", version=1)
    plan = make_plan("133-KH/TU", criteria_set=criteria_set, period_start=2021, period_end=2026)
    agency = make_agency("Sở Được Phân Công", code="SPC")
    supporting = make_agency("Sở Hỗ Trợ", code="SHT")
    other_agency = make_agency("Sở Khác", code="SKH")
    home, away = commune("23407"), commune("23416")
    village = make_village("Làng Được Giúp", commune_unit=home, code="MX01")
    other_village = make_village("Thôn Nơi Khác", commune_unit=away, code="MX02")
    assignment = assign(agency, village, plan)
    assign(supporting, village, plan, role=Assignment.Role.SUPPORTING)
    assign(other_agency, other_village, plan)
    # the lead agency's assignment to a second village of the commune ended yesterday
    ended_village = make_village("Làng Đã Bàn Giao", commune_unit=home, code="MX03")
    ended = assign(agency, ended_village, plan)
    ended.end_date = datetime.date.today() - datetime.timedelta(days=1)
    ended.save(update_fields=["end_date"])
    plan.villages.add(village, other_village, ended_village)

    users = {name: make_user(name, role) for name, role in _ROLES.items()}
    users["superuser"] = make_user("superuser", User.Role.VIEWER, is_superuser=True)
    membership = join(users["liaison"], agency=agency)
    join(users["support"], agency=supporting)
    join(users["other_liaison"], agency=other_agency)
    join(users["commune"], commune_unit=home)
    join(users["other_commune"], commune_unit=away)

    liaison, other_liaison = users["liaison"], users["other_liaison"]
    survey = criteria_services.survey_start(user=liaison, village=village, year=2025)
    value = survey.values.select_related("indicator__criterion").first()
    evidence = criteria_services.evidence_add(user=liaison, value=value, file=png_upload())
    other_survey = criteria_services.survey_start(
        user=other_liaison, village=other_village, year=2025
    )
    other_evidence = criteria_services.evidence_add(
        user=other_liaison, value=other_survey.values.first(), file=png_upload()
    )
    team = work_services.team_create(plan=plan, village=village, user=None)
    other_team = work_services.team_create(plan=plan, village=other_village, user=None)
    lead = _records(plan, agency, village, team)
    return World(
        users=users,
        plan=plan,
        criteria_set=criteria_set,
        criterion=value.indicator.criterion,
        indicator=value.indicator,
        agency=agency,
        village=village,
        commune=home,
        assignment=assignment,
        membership=membership,
        survey=survey,
        evidence=evidence,
        other_evidence=other_evidence,
        photo=lead.activity.photos.get(),
        attachment=work_services.dvk_attach(model=lead.model, file=png_upload(), user=None),
        lead=lead,
        support=_records(plan, supporting, village, team),
        other=_records(plan, other_agency, other_village, other_team),
        report_file=_report_file(users["staff"], plan, village),
        token=tokens.api_token_create(user=users["liaison"], name="Bảng tính")[0],
        import_job=ImportJob.objects.create(
            user=users["staff"],
            flow="villages.services.import_flow",
            token="t" * 32,
            title="Nhập danh sách thôn, làng",
            back="/villages/import/",
            status=ImportJob.Status.DONE,
        ),
        ended_village=ended_village,
        province_proposal=_proposal(
            plan, agency, village, Proposal.Addressee.PROVINCE, "Kinh phí nhà văn hóa"
        ),
    )


_ROLES = {
    "other_liaison": User.Role.LIAISON,
    "liaison": User.Role.LIAISON,
    "support": User.Role.LIAISON,
    "other_commune": User.Role.COMMUNE,
    "commune": User.Role.COMMUNE,
    "viewer": User.Role.VIEWER,
    "staff": User.Role.STAFF,
}

_OWNED = {
    "assignments:activity-edit": "activity",
    "assignments:activity-delete": "activity",
    "assignments:resource-edit": "resource",
    "assignments:resource-delete": "resource",
    "assignments:common-plan-edit": "common_plan",
    "assignments:common-plan-delete": "common_plan",
    "assignments:proposal-detail": "proposal",
    "assignments:proposal-transition": "proposal",
    "assignments:model-detail": "model",
    "assignments:model-edit": "model",
    "assignments:model-advance": "model",
    "assignments:model-attach": "model",
    "assignments:team-member-delete": "team_member",
}


def url_arguments(w: World) -> dict[str, tuple[dict, str]]:
    """For each row that needs them: its URL kwargs and query string. Plain rows name the
    objects of the village's lead agency; ``~support`` and ``~other`` rows those of the
    supporting agency in the village and of the unrelated agency in its own village."""
    plan_q = f"?plan={w.plan.pk}"
    report_q = f"?plan={w.plan.number}&year=2025&scope=village:{w.village.code}"
    village = {"pk": w.village.pk}
    arguments = {
        "account": ({"pk": w.users["viewer"].pk}, ""),
        "account-password": ({"pk": w.users["viewer"].pk}, ""),
        "account-active": ({"pk": w.users["viewer"].pk}, ""),
        "account-membership-add": ({"pk": w.users["support"].pk}, ""),
        "account-membership-remove": (
            {"pk": w.users["liaison"].pk, "membership": w.membership.pk},
            "",
        ),
        "token-revoke": ({"pk": w.token.pk}, ""),
        "villages:detail": (village, ""),
        "villages:edit": (village, ""),
        "villages:year-save": (village, ""),
        "villages:commune": ({"pk": w.commune.pk}, ""),
        "villages:unit-edit": ({"pk": w.commune.pk}, ""),
        "villages:unit-close": ({"pk": w.commune.pk}, ""),
        "criteria:survey": ({"pk": w.survey.pk}, ""),
        "criteria:survey-save": ({"pk": w.survey.pk}, ""),
        "criteria:survey-verdicts": ({"pk": w.survey.pk}, ""),
        "criteria:recognition-create": ({"pk": w.survey.pk}, ""),
        "criteria:survey-transition": ({"pk": w.survey.pk, "action": "submit"}, ""),
        "criteria:evidence-upload": ({"pk": w.survey.pk, "indicator_pk": w.indicator.pk}, ""),
        "criteria:survey-open": ({"village_pk": w.village.pk, "year": 2024}, ""),
        "criteria:survey-start": ({"village_pk": w.village.pk, "year": 2024}, ""),
        "criteria:survey-start~1900": ({"village_pk": w.village.pk, "year": 1900}, ""),
        "criteria:survey-workbook": ({}, f"?survey={w.survey.pk}"),
        "criteria:evidence": ({"pk": w.evidence.pk}, ""),
        "criteria:evidence-delete": ({"pk": w.evidence.pk}, ""),
        "criteria:evidence~other": ({"pk": w.other_evidence.pk}, ""),
        "criteria:evidence-delete~other": ({"pk": w.other_evidence.pk}, ""),
        "criteria:set": ({"pk": w.criteria_set.pk}, ""),
        "criteria:set-edit": ({"pk": w.criteria_set.pk}, ""),
        "criteria:set-workbook": ({"pk": w.criteria_set.pk}, ""),
        "criteria:set-import": ({"pk": w.criteria_set.pk}, ""),
        "criteria:set-action": ({"pk": w.criteria_set.pk, "action": "confirm"}, ""),
        "criteria:criterion-create": ({"set_pk": w.criteria_set.pk}, ""),
        "criteria:criterion-edit": ({"set_pk": w.criteria_set.pk, "pk": w.criterion.pk}, ""),
        "criteria:criterion-delete": ({"pk": w.criterion.pk}, ""),
        "criteria:indicator-create": ({"criterion_pk": w.criterion.pk}, ""),
        "criteria:indicator-edit": ({"criterion_pk": w.criterion.pk, "pk": w.indicator.pk}, ""),
        "criteria:indicator-delete": ({"pk": w.indicator.pk}, ""),
        "assignments:plan-detail": ({"pk": w.plan.pk}, ""),
        "assignments:plan-edit": ({"pk": w.plan.pk}, ""),
        "assignments:board": ({"pk": w.plan.pk}, ""),
        "assignments:assignment-create": ({"pk": w.plan.pk}, ""),
        "assignments:plan-history": ({"pk": w.plan.pk}, ""),
        "assignments:roster": ({"pk": w.plan.pk}, ""),
        "assignments:roster-export": ({"pk": w.plan.pk}, ""),
        "assignments:import": ({"pk": w.plan.pk}, ""),
        "assignments:import-template": ({"pk": w.plan.pk}, ""),
        "assignments:assignment-delete": ({"pk": w.assignment.pk}, ""),
        "assignments:agency-detail": ({"pk": w.agency.pk}, ""),
        "assignments:agency-edit": ({"pk": w.agency.pk}, ""),
        "assignments:dissemination-create": ({"pk": w.agency.pk}, plan_q),
        "assignments:membership-delete": ({"pk": w.membership.pk}, ""),
        "assignments:my-villages": ({}, plan_q),
        "assignments:village-work": (village, plan_q),
        "assignments:team": (village, plan_q),
        "assignments:activity-create": (village, plan_q),
        "assignments:resource-create": (village, plan_q),
        "assignments:proposal-create": (village, plan_q),
        "assignments:model-create": (village, plan_q),
        "assignments:photo": ({"pk": w.photo.pk}, ""),
        "assignments:model-evaluate": ({"pk": w.lead.model.pk}, ""),
        "assignments:common-plan-create": (village, plan_q),
        "assignments:common-plan-file": ({"pk": w.lead.common_plan.pk}, ""),
        "assignments:common-plan-history": ({"pk": w.lead.common_plan.pk}, ""),
        "assignments:attachment": ({"pk": w.attachment.pk}, ""),
        "reports:index": ({}, report_q),
        "reports:dashboard": ({}, report_q),
        "reports:map": ({}, report_q),
        "reports:review": ({}, report_q),
        "reports:review-edit": ({}, report_q),
        "reports:export": ({"name": "dashboard-xlsx"}, report_q),
        "reports:file": ({"pk": w.report_file.pk}, ""),
        "reports:file-download": ({"pk": w.report_file.pk}, ""),
        "import-job": ({"pk": w.import_job.pk}, ""),
        "import-job-confirm": ({"pk": w.import_job.pk}, ""),
    }
    arguments["assignments:activity-create~ended"] = ({"pk": w.ended_village.pk}, plan_q)
    arguments["criteria:survey-start~ended"] = (
        {"village_pk": w.ended_village.pk, "year": 2025},
        "",
    )
    arguments["assignments:proposal-transition~province"] = (
        {"pk": w.province_proposal.pk, "action": "start"},
        "",
    )
    action = {"assignments:proposal-transition": "forward"}
    for name, field in _OWNED.items():
        for suffix, records in (("", w.lead), ("~support", w.support), ("~other", w.other)):
            kwargs = {"pk": getattr(records, field).pk}
            if name in action:
                kwargs["action"] = action[name]
            arguments[name + suffix] = (kwargs, "")
    return arguments


def url_post_data(w: World) -> dict[str, dict]:
    """The body of the writes: what they need to reach their access check, and the
    confirmation of deletions, so that an allowed one really deletes."""
    confirm = {"confirm": "1"}
    data = {
        "assignments:dissemination-create": {"plan": w.plan.pk},
        "account-membership-add": {"agency": w.agency.pk},
        "assignments:model-advance": {"to": DvkModel.Stage.LAUNCHED},
        "assignments:activity-delete": confirm,
        "assignments:resource-delete": confirm,
        "assignments:common-plan-delete": confirm,
        "assignments:team-member-delete": confirm,
    }
    for name in _OWNED:
        if name in data:
            data[name + "~support"] = data[name + "~other"] = data[name]
    return data


# The matrix -----------------------------------------------------------------------------------
#
# One row per URL name, one column per persona, each cell "read/write". Columns: anonymous, the
# unrelated agency's liaison, the lead agency's liaison, the supporting agency's liaison, the
# other commune's officer, the village's commune officer, viewer, provincial staff, superuser.
#
# Notes: agencies, plans, criteria sets and communes are reference data every signed-in user
# reads; their pages list only the villages in the reader's scope. "criteria:survey-verdicts"
# computes the verdicts of typed values and saves nothing, so the viewer may call it.
# "criteria:survey-transition" (submit) is the lead agency's and staff's: the supporting
# agency gets 403; the survey is not filled in, so the allowed get 400 with the reason.
# "criteria:survey-import" reads whichever villages of the workbook the user may edit.
# "login-code" without a pending login sends everyone back to the login page. "reports:file"
# and its download serve a file made in the background only to the person who asked for it
# (here staff; the superuser too gets 404). So does "import-job", a large import made by the
# queue, shown only to the person who uploaded it, and "import-job-confirm", its Confirm and
# Cancel (the job here is done: its owner is told it no longer waits). A commune officer
# answers the proposals addressed to the commune; one addressed to the province ("~province")
# is the province's.
# "~ended": a village of the commune whose lead agency's assignment ended yesterday: its liaison
# still reads the village (403, not 404) but records nothing there.
# "account-membership-add" puts the supporting liaison in the lead agency (allowed to staff).

TABLE = """
#                                         anon     unrel    lead     support  o.comm   commune  viewer   staff    super
# dankhoeo
account                                   L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
account-active                            L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
account-membership-add                    L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
account-membership-remove                 L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
account-create                            L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
account-password                          L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
accounts                                  L/L      403/405  403/405  403/405  403/405  403/405  403/405  ok/405   ok/405

my-account                                L/L      ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok
audit-log                                 L/L      403/405  403/405  403/405  403/405  403/405  403/405  ok/405   ok/405
favicon                                   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405
healthz                                   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405
import-job                                L/L      404/405  404/405  404/405  404/405  404/405  404/405  ok/405   404/405
import-job-confirm                        L/L      405/404  405/404  405/404  405/404  405/404  405/404  405/ok   405/404
home                                      L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
login                                     ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok
login-code                                L/L      L/L      L/L      L/L      L/L      L/L      L/L      L/L      L/L
logout                                    L/L      405/L    405/L    405/L    405/L    405/L    405/L    405/L    405/L
password_change                           L/L      ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok
password_change_done                      L/L      ok/405   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405   ok/405
set_language                              ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok    ok/ok
token-revoke                              L/L      405/404  405/ok   405/404  405/404  405/404  405/404  405/ok   405/ok
twostep                                   L/L      403/405  403/405  403/405  403/405  403/405  403/405  ok/405   ok/405
twostep-confirm                           L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
twostep-disable                           L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
twostep-start                             L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
# villages
villages:commune                          L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
villages:create                           L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
villages:detail                           L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
villages:edit                             L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
villages:import                           L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/400   ok/400
villages:import-confirm                   L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/400  405/400
villages:import-template                  L/-      403/-    403/-    403/-    403/-    403/-    403/-    ok/-     ok/-
villages:list                             L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
villages:unit-close                       L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
villages:unit-create                      L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
villages:unit-edit                        L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
villages:unit-list                        L/-      403/-    403/-    403/-    403/-    403/-    403/-    ok/-     ok/-
villages:year-save                        L/L      404/404  ok/400   ok/400   404/404  403/403  403/403  ok/400   ok/400
# criteria
criteria:criterion-create                 L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
criteria:criterion-delete                 L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
criteria:criterion-edit                   L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
criteria:deadline                         L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
criteria:evidence                         L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
criteria:evidence~other                   L/-      ok/-     404/-    404/-    ok/-     404/-    ok/-     ok/-     ok/-
criteria:evidence-delete                  L/L      405/404  405/ok   405/ok   405/404  405/403  405/403  405/ok   405/ok
criteria:evidence-delete~other            L/L      405/ok   405/404  405/404  405/403  405/404  405/403  405/ok   405/ok
criteria:evidence-upload                  L/L      405/404  405/ok   405/ok   405/404  405/403  405/403  405/ok   405/ok
criteria:indicator-create                 L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
criteria:indicator-delete                 L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
criteria:indicator-edit                   L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
criteria:recognition-create               L/L      405/404  405/403  405/403  405/404  405/403  405/403  405/ok   405/ok
criteria:set                              L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
criteria:set-action                       L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
criteria:set-create                       L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
criteria:set-edit                         L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
criteria:set-import                       L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/400   ok/400
criteria:set-workbook                     L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
criteria:sets                             L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
criteria:survey                           L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
criteria:survey-import                    L/L      ok/400   ok/400   ok/400   403/403  403/403  403/403  ok/400   ok/400
criteria:survey-open                      L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
criteria:survey-save                      L/L      405/404  405/400  405/400  405/404  405/403  405/403  405/400  405/400
criteria:survey-start                     L/L      405/404  405/ok   405/ok   405/404  405/403  405/403  405/ok   405/ok
criteria:survey-start~ended               L/L      405/404  405/403  405/404  405/404  405/403  405/403  405/ok   405/ok
criteria:survey-start~1900                L/L      405/404  405/404  405/404  405/404  405/403  405/403  405/404  405/404
criteria:survey-transition                L/L      405/404  405/400  405/403  405/404  405/403  405/403  405/400  405/400
criteria:survey-verdicts                  L/L      405/404  405/ok   405/ok   405/404  405/ok   405/ok   405/ok   405/ok
criteria:survey-workbook                  L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
criteria:surveys                          L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
# assignments
assignments:activity-create               L/L      404/404  ok/ok    ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:activity-create~ended         L/L      404/404  403/403  404/404  404/404  403/403  403/403  ok/ok    ok/ok
assignments:activity-delete               L/L      405/404  405/ok   405/403  405/404  405/403  405/403  405/ok   405/ok
assignments:activity-delete~support       L/L      405/404  405/403  405/ok   405/404  405/403  405/403  405/ok   405/ok
assignments:activity-delete~other         L/L      405/ok   405/404  405/404  405/403  405/404  405/403  405/ok   405/ok
assignments:activity-edit                 L/L      404/404  ok/ok    403/403  404/404  403/403  403/403  ok/ok    ok/ok
assignments:activity-edit~support         L/L      404/404  403/403  ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:activity-edit~other           L/L      ok/ok    404/404  404/404  403/403  404/404  403/403  ok/ok    ok/ok
assignments:activity-list                 L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:agency-create                 L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
assignments:agency-detail                 L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:agency-edit                   L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
assignments:agency-list                   L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:assignment-create             L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/400   ok/400
assignments:assignment-delete             L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
assignments:attachment                    L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
assignments:board                         L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:common-plan-create            L/L      404/404  ok/ok    ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:common-plan-delete            L/L      405/404  405/ok   405/403  405/404  405/403  405/403  405/ok   405/ok
assignments:common-plan-delete~support    L/L      405/404  405/403  405/ok   405/404  405/403  405/403  405/ok   405/ok
assignments:common-plan-delete~other      L/L      405/ok   405/404  405/404  405/403  405/404  405/403  405/ok   405/ok
assignments:common-plan-edit              L/L      404/404  ok/ok    403/403  404/404  403/403  403/403  ok/ok    ok/ok
assignments:common-plan-edit~support      L/L      404/404  403/403  ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:common-plan-edit~other        L/L      ok/ok    404/404  404/404  403/403  404/404  403/403  ok/ok    ok/ok
assignments:common-plan-file              L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
assignments:common-plan-history           L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
assignments:dissemination-create          L/L      405/403  405/ok   405/403  405/403  405/403  405/403  405/ok   405/ok
assignments:import                        L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/400   ok/400
assignments:import-template               L/-      403/-    403/-    403/-    403/-    403/-    403/-    ok/-     ok/-
assignments:membership-delete             L/L      405/403  405/403  405/403  405/403  405/403  405/403  405/ok   405/ok
assignments:membership-list               L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
assignments:model-advance                 L/L      405/404  405/ok   405/403  405/404  405/403  405/403  405/ok   405/ok
assignments:model-advance~support         L/L      405/404  405/403  405/ok   405/404  405/403  405/403  405/ok   405/ok
assignments:model-advance~other           L/L      405/ok   405/404  405/404  405/403  405/404  405/403  405/ok   405/ok
assignments:model-attach                  L/L      405/404  405/ok   405/403  405/404  405/403  405/403  405/ok   405/ok
assignments:model-attach~support          L/L      405/404  405/403  405/ok   405/404  405/403  405/403  405/ok   405/ok
assignments:model-attach~other            L/L      405/ok   405/404  405/404  405/403  405/404  405/403  405/ok   405/ok
assignments:model-create                  L/L      404/404  ok/ok    ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:model-detail                  L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
assignments:model-detail~support          L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
assignments:model-detail~other            L/-      ok/-     404/-    404/-    ok/-     404/-    ok/-     ok/-     ok/-
assignments:model-edit                    L/L      404/404  ok/ok    403/403  404/404  403/403  403/403  ok/ok    ok/ok
assignments:model-edit~support            L/L      404/404  403/403  ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:model-edit~other              L/L      ok/ok    404/404  404/404  403/403  404/404  403/403  ok/ok    ok/ok
assignments:model-evaluate                L/L      405/404  405/403  405/403  405/404  405/403  405/403  405/ok   405/ok
assignments:model-list                    L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:my-villages                   L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:photo                         L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
assignments:plan-create                   L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
assignments:plan-detail                   L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:plan-edit                     L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok
assignments:plan-history                  L/-      403/-    403/-    403/-    403/-    403/-    403/-    ok/-     ok/-
assignments:plan-list                     L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:proposal-create               L/L      404/404  ok/ok    ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:proposal-detail               L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
assignments:proposal-detail~support       L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
assignments:proposal-detail~other         L/-      ok/-     404/-    404/-    ok/-     404/-    ok/-     ok/-     ok/-
assignments:proposal-list                 L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:proposal-transition           L/L      405/404  405/403  405/403  405/404  405/ok   405/403  405/ok   405/ok
assignments:proposal-transition~support   L/L      405/404  405/403  405/403  405/404  405/ok   405/403  405/ok   405/ok
assignments:proposal-transition~province  L/L      405/404  405/403  405/403  405/404  405/403  405/403  405/ok   405/ok
assignments:proposal-transition~other     L/L      405/403  405/404  405/404  405/ok   405/404  405/403  405/ok   405/ok
assignments:resource-create               L/L      404/404  ok/ok    ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:resource-delete               L/L      405/404  405/ok   405/403  405/404  405/403  405/403  405/ok   405/ok
assignments:resource-delete~support       L/L      405/404  405/403  405/ok   405/404  405/403  405/403  405/ok   405/ok
assignments:resource-delete~other         L/L      405/ok   405/404  405/404  405/403  405/404  405/403  405/ok   405/ok
assignments:resource-edit                 L/L      404/404  ok/ok    403/403  404/404  403/403  403/403  ok/ok    ok/ok
assignments:resource-edit~support         L/L      404/404  403/403  ok/ok    404/404  403/403  403/403  ok/ok    ok/ok
assignments:resource-edit~other           L/L      ok/ok    404/404  404/404  403/403  404/404  403/403  ok/ok    ok/ok
assignments:resource-list                 L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:roster                        L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:roster-export                 L/-      ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-     ok/-
assignments:team                          L/L      404/404  ok/400   ok/400   404/404  ok/403   ok/403   ok/400   ok/400
assignments:team-member-delete            L/L      405/404  405/ok   405/403  405/404  405/403  405/403  405/ok   405/ok
assignments:team-member-delete~support    L/L      405/404  405/ok   405/ok   405/404  405/403  405/403  405/ok   405/ok
assignments:team-member-delete~other      L/L      405/ok   405/404  405/404  405/403  405/404  405/403  405/ok   405/ok
assignments:village-work                  L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
# reports (scope: the assigned village)
reports:dashboard                         L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
reports:export                            L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
reports:file                              L/-      404/-    404/-    404/-    404/-    404/-    404/-    ok/-     404/-
reports:file-download                     L/-      404/-    404/-    404/-    404/-    404/-    404/-    ok/-     404/-
reports:index                             L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
reports:map                               L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
reports:review                            L/-      404/-    ok/-     ok/-     404/-    ok/-     ok/-     ok/-     ok/-
reports:review-edit                       L/L      403/403  403/403  403/403  403/403  403/403  403/403  ok/ok    ok/ok"""

_CODES = {
    "L": LOGIN,
    "404": HIDDEN,
    "403": DENIED,
    "ok": OK,
    "405": WRONG_METHOD,
    "400": BAD,
    "409": CONFLICT,
    "-": None,
}


def _parse(table: str) -> dict[str, dict[str, tuple[str, str | None]]]:
    matrix = {}
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, *cells = line.split()
        if len(cells) != len(PERSONAS) or name in matrix:
            raise ValueError(f"Bad matrix row: {line!r}")
        matrix[name] = {
            persona: tuple(_CODES[part] for part in cell.split("/"))
            for persona, cell in zip(PERSONAS, cells, strict=True)
        }
    return matrix


MATRIX = _parse(TABLE)
