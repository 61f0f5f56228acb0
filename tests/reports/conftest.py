"""Known data for the report tests: every number the tests assert is set here.

Plan 133-KH/TU (2021-2025) with a criteria set of three criteria, four villages:

| village        | commune (old → new)      | lead | 2024           | 2025                     |
|----------------|--------------------------|------|----------------|--------------------------|
| Làng Kon Hia   | Đăk Na → Đăk Sao         | A    | approved 2/3   | approved 3/3 (standard)  |
| Thôn Đăk Dơn   | Đăk Sao → Đăk Sao        | A    | —              | approved 2/3             |
| Làng Tu Thó    | Măng Ri → Măng Ri (new)  | B    | —              | submitted 3/3 (pending)  |
| Thôn Xốp Dùi   | Xốp (Đăk Glei) → Xốp     | B    | —              | —                        |

Resources in 2025: A cash 1.250.000 + goods 500.000 + 30 work-days (Kon Hia); B cash 2.000.000
(Tu Thó); one 2024 resource of 9.999.999 that counts in the 2024 sơ kết and in the tổng kết of
2025 (the period 2021–2025), never on the dashboard's 2025.
"""

import datetime
from dataclasses import dataclass

import pytest

from assignments.models import (
    Agency,
    DvkModel,
    Plan,
    Proposal,
    Resource,
    ResourceSource,
    SupportTeam,
    TeamMember,
)
from criteria.models import CriteriaSet, Criterion, Indicator, Survey, SurveyValue
from tests.factories import assign, commune, make_agency, make_plan, make_village
from villages.models import Village

MET, NOT_MET = SurveyValue.Verdict.MET, SurveyValue.Verdict.NOT_MET


@dataclass
class Known:
    plan: Plan
    criteria_set: CriteriaSet
    criteria: list
    kon_hia: Village
    dak_don: Village
    tu_tho: Village
    xop_dui: Village
    outside: Village
    agency_a: Agency
    agency_b: Agency


def make_criteria_set(code="TEST", criteria=3):
    criteria_set = CriteriaSet.objects.create(
        code=code,
        name="Bộ tiêu chí thử",
        legal_basis="Quyết định số 147/QĐ-UBND",
        scope=CriteriaSet.Scope.VILLAGE,
        period_start=2022,
        period_end=2025,
    )
    made = []
    for number in range(1, criteria + 1):
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, number=number, name=f"Tiêu chí số {number}"
        )
        Indicator.objects.create(
            criterion=criterion,
            code=f"{number}.1",
            name=f"Chỉ tiêu {number}.1",
            value_type=Indicator.ValueType.BOOLEAN,
        )
        made.append(criterion)
    return criteria_set, made


def make_survey(village, year, criteria_set, verdicts, status=Survey.Status.APPROVED):
    """A survey whose criterion i has the verdict verdicts[i] (one boolean indicator each)."""
    met = sum(1 for v in verdicts if v == MET)
    criteria = criteria_set.criteria.order_by("number")
    survey = Survey.objects.create(
        village=village,
        year=year,
        criteria_set=criteria_set,
        status=status,
        criteria_met=met,
        criteria_count=len(verdicts),
        reaches_standard=met == len(verdicts),
        criterion_verdicts={str(c.pk): v for c, v in zip(criteria, verdicts, strict=True)},
    )
    indicators = Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by(
        "criterion__number"
    )
    SurveyValue.objects.bulk_create(
        SurveyValue(survey=survey, indicator=i, value_bool=v == MET, verdict=v)
        for i, v in zip(indicators, verdicts, strict=True)
    )
    return survey


def build_known() -> Known:
    criteria_set, criteria = make_criteria_set()
    plan = make_plan("133-KH/TU", criteria_set=criteria_set, issuer="Tỉnh ủy Kon Tum")
    kon_hia = make_village("Làng Kon Hia", commune_unit=commune("23407"), code="KH01")
    dak_don = make_village("Thôn Đăk Dơn", commune_unit=commune("23416"), code="DD01")
    tu_tho = make_village("Làng Tu Thó", commune_unit=commune("23410"), code="TT01")
    xop_dui = make_village("Thôn Xốp Dùi", commune_unit=commune("23359"), code="XD01")
    outside = make_village("Thôn Ngoài Kế Hoạch", commune_unit=commune("23407"), code="NG01")
    plan.villages.add(kon_hia, dak_don, tu_tho, xop_dui)
    agency_a = make_agency("Ban Dân vận Tỉnh ủy", code="BDV")
    agency_b = make_agency("Sở Nông nghiệp", code="SNN")
    for village, agency in [
        (kon_hia, agency_a),
        (dak_don, agency_a),
        (tu_tho, agency_b),
        (xop_dui, agency_b),
    ]:
        assign(agency, village, plan)
    make_survey(kon_hia, 2024, criteria_set, [MET, NOT_MET, MET])
    make_survey(kon_hia, 2025, criteria_set, [MET, MET, MET])
    make_survey(dak_don, 2025, criteria_set, [MET, NOT_MET, MET])
    make_survey(tu_tho, 2025, criteria_set, [MET, MET, MET], status=Survey.Status.SUBMITTED)

    budget = ResourceSource.objects.order_by("position").first()
    day = datetime.date(2025, 5, 10)
    for agency, village, kind, amount, when in [
        (agency_a, kon_hia, Resource.Kind.CASH, 1_250_000, day),
        (agency_a, kon_hia, Resource.Kind.GOODS, 500_000, day),
        (agency_a, kon_hia, Resource.Kind.WORK_DAYS, 30, day),
        (agency_b, tu_tho, Resource.Kind.CASH, 2_000_000, day),
        (agency_b, tu_tho, Resource.Kind.CASH, 9_999_999, datetime.date(2024, 3, 1)),
    ]:
        Resource.objects.create(
            plan=plan,
            agency=agency,
            village=village,
            source=budget,
            kind=kind,
            amount=amount,
            received_on=when,
        )
    team = SupportTeam.objects.create(plan=plan, village=kon_hia, decision="Quyết định số 12/QĐ")
    TeamMember.objects.create(
        team=team,
        full_name="A Hùng",
        role=TeamMember.Role.LEADER,
        position="Phó Trưởng ban",
        agency=agency_a,
    )
    TeamMember.objects.create(team=team, full_name="Y Lan", role=TeamMember.Role.MEMBER)
    TeamMember.objects.create(team=team, full_name="A Thịnh", role=TeamMember.Role.MEMBER)
    facts = dict.fromkeys(DvkModel.FACT_FIELDS, "…")
    DvkModel.objects.create(
        plan=plan,
        agency=agency_a,
        village=kon_hia,
        name="Mô hình vườn mẫu",
        field=DvkModel.Field.ECONOMY,
        registered_on=datetime.date(2025, 2, 1),
        stage=DvkModel.Stage.LAUNCHED,
        standard_1=True,
        standard_2=True,
        **facts,
    )
    Proposal.objects.create(
        plan=plan,
        agency=agency_a,
        village=kon_hia,
        title="Đường vào làng",
        content="Đường lầy lội mùa mưa",
        raised_on=datetime.date(2025, 4, 1),
        addressed_to=Proposal.Addressee.COMMUNE,
    )
    Proposal.objects.create(
        plan=plan,
        agency=agency_b,
        village=tu_tho,
        title="Giống cây",
        content="Thiếu giống cà phê",
        raised_on=datetime.date(2025, 6, 1),
        addressed_to=Proposal.Addressee.PROVINCE,
        status=Proposal.Status.RESOLVED,
        closed_on=datetime.date(2025, 9, 1),
        answer="Sở cấp 2.000 cây giống",
    )
    return Known(
        plan, criteria_set, criteria, kon_hia, dak_don, tu_tho, xop_dui, outside, agency_a, agency_b
    )


@pytest.fixture
def known(db) -> Known:
    return build_known()


@pytest.fixture
def recorded_progress(monkeypatch) -> list[int]:
    """The percentages a report job records, in order (it still writes each of them)."""
    from reports import jobs
    from reports.models import ReportFile

    recorded = []
    write = jobs._progress

    def recording(job, percent, status=ReportFile.Status.RUNNING):
        recorded.append(percent)
        write(job, percent, status)

    monkeypatch.setattr(jobs, "_progress", recording)
    return recorded
