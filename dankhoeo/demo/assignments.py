"""Demo data for the assignments app: plan 133-KH/TU as far as it is publicly known, invented
agencies named "Cơ quan minh họa NN", their assignments to the demo villages, support teams,
activities, resources, proposals, models and dissemination sessions. Every record is flagged
``is_demo``; facts that are not publicly known (the plan's date, the official agencies) are
left empty or marked as illustrative. Running it again changes nothing."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from assignments import services
from assignments.models import (
    Activity,
    Agency,
    Assignment,
    CommonPlan,
    DvkModel,
    Membership,
    OutdatedCustom,
    Plan,
    ResourceSource,
    SupportTeam,
)
from criteria.models import CriteriaSet
from dankhoeo.demo.villages import DEMO_OFFICER_COMMUNE
from dankhoeo.models import User
from villages.models import AdminUnit, Village

PLAN_NUMBER = "133-KH/TU"
DEMO_LIAISON = "daumoi.demo"
AGENCY_COUNT = 12
KINDS = [
    Agency.Kind.AGENCY,
    Agency.Kind.UNIT,
    Agency.Kind.ENTERPRISE,
    Agency.Kind.MASS_ORGANISATION,
]
RELATED_DOCUMENTS = (
    "Chỉ thị số 13-CT/TU ngày 18-3-2022 của Ban Thường vụ Tỉnh ủy Kon Tum\n"
    "Quyết định số 147/QĐ-UBND ngày 28/3/2022 của Ủy ban nhân dân tỉnh Kon Tum"
)
DEMO = "(minh họa)"


@dataclass
class SeedResult:
    created: int = 0
    kept: int = 0
    skipped: bool = False


def demo_plan() -> tuple[Plan, bool]:
    """Plan 133-KH/TU with what is publicly known; its date is not, so it stays empty."""
    criteria_set = CriteriaSet.objects.filter(legal_basis__contains="147").first()
    return Plan.objects.get_or_create(
        number=PLAN_NUMBER,
        defaults={
            "title": (
                "Kế hoạch phân công cơ quan, đơn vị, doanh nghiệp cấp tỉnh phụ trách, giúp đỡ "
                "xây dựng mô hình “Dân vận khéo” tại 57 thôn, làng của 8 xã thuộc các huyện "
                "Tu Mơ Rông, Đăk Glei, Kon Plông (trích yếu minh họa: nhập trích yếu chính thức)"
            ),
            "issuer": "Ban Thường vụ Tỉnh ủy Kon Tum",
            "issued_on": None,
            "period_start": 2022,
            "period_end": 2025,
            "criteria_set": criteria_set,
            "related_documents": RELATED_DOCUMENTS,
            "is_active": True,
            "is_demo": True,
            # the committee's facts that head its reports (HD 36-HD/VPTW)
            "heading": "TỈNH ỦY KON TUM",
            "issuer_code": "TU",
            "document_place": "Kon Tum",
            "signing_for": "T/M BAN THƯỜNG VỤ",
            "signatory_position": "PHÓ BÍ THƯ THƯỜNG TRỰC",
            "signatory_name": f"Người ký {DEMO}",
            "recipients": "\n".join(
                [
                    "Ban Thường vụ Tỉnh ủy (b/c)",
                    "Các cơ quan, đơn vị, doanh nghiệp được phân công",
                    "Đảng ủy các xã có thôn, làng thực hiện",
                    "Lưu Văn phòng Tỉnh ủy",
                ]
            ),
        },
    )


def demo_agencies() -> list[Agency]:
    agencies = []
    for number in range(1, AGENCY_COUNT + 1):
        agency, _created = Agency.objects.get_or_create(
            code=f"DEMO-CQ{number:02d}",
            defaults={
                "name": f"Cơ quan minh họa {number:02d}",
                "short_name": f"CQMH{number:02d}",
                "kind": KINDS[number % len(KINDS)],
                "is_demo": True,
            },
        )
        agencies.append(agency)
    return agencies


@transaction.atomic
def seed() -> SeedResult:
    villages = list(Village.objects.filter(is_demo=True).in_vietnamese_order())
    if not villages:
        return SeedResult(skipped=True)
    plan, _created = demo_plan()
    if not plan.is_demo:  # a real plan 133-KH/TU was entered: leave it alone
        return SeedResult(skipped=True)
    agencies = demo_agencies()
    result = SeedResult()
    officer = AdminUnit.objects.filter(code=DEMO_OFFICER_COMMUNE, valid_to__isnull=True).first()
    for index, village in enumerate(villages):
        # the demo liaison's agency leads the villages of the demo commune officer, so that
        # the printed accounts go through submit → confirm → approve together
        in_officers = officer is not None and officer.pk in (
            village.commune_id,
            village.commune.successor_id,
        )
        created = _assign(plan, village, index, agencies, lead=agencies[0] if in_officers else None)
        result.created += created
        result.kept += 0 if created else 1
    _join_liaison(agencies[0])
    if not Activity.objects.filter(plan=plan, is_demo=True).exists():
        _seed_work(plan, villages)
    if not CommonPlan.objects.filter(plan=plan, is_demo=True).exists():
        _seed_common_plans(plan, villages)
    return result


def _seed_common_plans(plan: Plan, villages: list[Village]) -> None:
    """Most lead agencies agreed a common plan with the commune in 2022 or 2023; one village
    in five still has none (the review flags it)."""
    leads = {
        a.village_id: a.agency
        for a in Assignment.objects.filter(plan=plan, role=Assignment.Role.LEAD)
    }
    for index, village in enumerate(v for v in villages if v.pk in leads):
        if index % 5 == 4:
            continue
        services.common_plan_record(
            plan=plan,
            agency=leads[village.pk],
            village=village,
            agreed_on=datetime.date(2022 + index % 2, 4 + index % 6, 12),
            content=f"Kế hoạch chung {DEMO} với xã: khảo sát, hướng dẫn sản xuất, vệ sinh môi "
            f"trường tại {village.name}",
            is_demo=True,
            user=None,
        )


def _assign(plan: Plan, village: Village, index: int, agencies: list[Agency], lead=None) -> bool:
    """Assign a village; every ninth has no lead agency and every seventh no team, so that the
    board shows its flags."""
    created = False
    plan.villages.add(village)
    lead = lead or agencies[index % len(agencies)]
    if index % 9 != 4:
        _, created = Assignment.objects.get_or_create(
            plan=plan, village=village, agency=lead, defaults={"role": Assignment.Role.LEAD}
        )
    if index % 3 == 0 or index % 9 == 4:
        Assignment.objects.get_or_create(
            plan=plan,
            village=village,
            agency=agencies[(index + 5) % len(agencies)],
            defaults={"role": Assignment.Role.SUPPORTING},
        )
    if index % 7 != 3 and not SupportTeam.objects.filter(plan=plan, village=village).exists():
        team = services.team_create(
            plan=plan, village=village, decision=f"Quyết định {DEMO}", is_demo=True, user=None
        )
        services.team_member_add(
            team=team,
            full_name=f"Tổ trưởng {village.name} {DEMO}",
            role="leader",
            position="Phó Giám đốc",
            agency=lead,
            phone="0900 000 000",
            user=None,
        )
        services.team_member_add(
            team=team,
            full_name=f"Trưởng thôn {village.name} {DEMO}",
            role="member",
            position="Trưởng thôn",
            workplace=village.name,
            user=None,
        )
        if index % 5 != 0:
            services.team_member_add(
                team=team,
                full_name=f"Cán bộ xã {DEMO}",
                role="member",
                position="Công chức văn hóa - xã hội",
                workplace=str(village.commune),
                user=None,
            )
    return created


def _join_liaison(agency: Agency) -> None:
    liaison = User.objects.filter(username=DEMO_LIAISON).first()
    if liaison is not None and not Membership.objects.filter(user=liaison).exists():
        Membership.objects.create(user=liaison, agency=agency)


def _seed_work(plan: Plan, villages: list[Village]) -> None:
    sources = list(ResourceSource.objects.all())
    customs = list(OutdatedCustom.objects.filter(number__in=[5, 6, 9]))
    leads = {
        a.village_id: a.agency
        for a in Assignment.objects.filter(plan=plan, role=Assignment.Role.LEAD)
    }
    kinds = [kind for kind, _label in Activity.Kind.choices]
    with_lead = [village for village in villages if village.pk in leads][:24]
    for index, village in enumerate(with_lead):
        agency = leads[village.pk]
        days = [datetime.date(2022 + index % 4, 3 + index % 9, 5), datetime.date(2025, 10, 20)]
        for year_offset, day in enumerate(days):
            kind = kinds[(index + year_offset) % len(kinds)]
            services.activity_record(
                plan=plan,
                agency=agency,
                village=village,
                held_on=day - datetime.timedelta(days=index),
                kind=kind,
                description=f"Hoạt động {DEMO} tại {village.name}",
                people_reached=30 + index * 3,
                households_reached=10 + index,
                customs=customs if kind == Activity.Kind.CUSTOMS else (),
                is_demo=True,
                user=None,
            )
        source = sources[index % len(sources)]
        services.resource_record(
            plan=plan,
            agency=agency,
            village=village,
            source=source,
            kind=["cash", "goods", "work_days"][index % 3],
            amount=[15_000_000, 42_500_000, 120][index % 3] + index * 1000 * (index % 3 != 2),
            received_on=datetime.date(2022 + index % 4, 1 + index % 12, 10),
            contributor=f"Nhà hảo tâm {DEMO}",
            households_benefiting=5 + index % 20,
            description=f"Hỗ trợ {DEMO}",
            is_demo=True,
            user=None,
        )
    _seed_proposals(plan, with_lead, leads)
    _seed_models(plan, with_lead, leads)
    for agency in list({leads[v.pk].pk: leads[v.pk] for v in with_lead}.values())[:4]:
        services.dissemination_record(
            plan=plan,
            agency=agency,
            held_on=datetime.date(2022, 6, 15),
            attendance=35,
            note=f"Phổ biến, quán triệt kế hoạch {DEMO}",
            is_demo=True,
            user=None,
        )


def _seed_proposals(plan: Plan, villages: list[Village], leads: dict) -> None:
    flow = [
        (datetime.date(2024, 4, 2), []),
        (datetime.date(2025, 5, 12), ["forward"]),
        (datetime.date(2025, 8, 20), ["forward", "start"]),
        (datetime.date(2025, 2, 3), ["start", "resolve"]),
        (datetime.date(2025, 9, 9), ["decline"]),
        (datetime.date(2025, 10, 2), []),
    ]
    addressees = ["commune", "province", "commune", "commune", "province", "commune"]
    for index, (village, (raised_on, actions)) in enumerate(zip(villages, flow, strict=False)):
        proposal = services.proposal_raise(
            plan=plan,
            agency=leads[village.pk],
            village=village,
            title=f"Kiến nghị {DEMO} số {index + 1}: hỗ trợ sửa đường nội thôn",
            content=f"Nội dung kiến nghị {DEMO}.",
            addressed_to=addressees[index],
            raised_on=raised_on,
            due_on=raised_on + datetime.timedelta(days=60),
            is_demo=True,
            user=None,
        )
        for action in actions:
            services.proposal_transition(
                proposal=proposal,
                action=action,
                answer=f"Trả lời {DEMO}.",
                on=raised_on + datetime.timedelta(days=30),
                user=None,
            )


def _seed_models(plan: Plan, villages: list[Village], leads: dict) -> None:
    fields = [value for value, _label in DvkModel.Field.choices]
    stages = [[], ["launched"], ["launched", "monitored"], ["launched", "monitored", "commended"]]
    for index, (village, steps) in enumerate(zip(villages[::5], stages, strict=False)):
        facts = dict.fromkeys(DvkModel.FACT_FIELDS, f"Nội dung {DEMO}")
        model = services.dvk_register(
            plan=plan,
            agency=leads[village.pk],
            village=village,
            is_demo=True,
            facts={"name": f"Mô hình {DEMO} {index + 1}", "field": fields[index % 4], **facts},
            user=None,
        )
        registered_on = datetime.date(2022 + index % 4, 4, 15)  # inside the plan's period
        DvkModel.objects.filter(pk=model.pk).update(registered_on=registered_on)
        model.registered_on = registered_on
        for step in steps:
            if step == "commended":
                services.dvk_evaluate(
                    model=model,
                    standards=[True] * 5,
                    evaluation=f"Đánh giá {DEMO}",
                    on=datetime.date(2025, 11, 20),
                    user=None,
                )
            model = services.dvk_advance(model=model, to=step, user=None)
