import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import Activity, Proposal
from criteria.models import Survey
from reports import exporters
from reports.gathering import gather
from reports.scopes import ScopeError, parse_scope
from tests.factories import assign, commune, make_village
from villages.models import AdminUnit, Village

from .conftest import MET, NOT_MET, make_survey
from .test_exporters import pdf_text, render


def report_for(known, *, scope="", year=2025, approved_only=True):
    params = exporters.resolve(plan=known.plan.number, year=year, scope=scope, user=None)
    return exporters.gather_for(params, approved_only=approved_only)


def test_only_approved_surveys_count_in_the_official_numbers(known):
    report = report_for(known)
    totals = report.totals
    assert totals.villages == 4
    assert totals.approved == 2
    assert totals.surveyed == 2  # the submitted survey of Tu Thó is left out entirely
    assert totals.reaching == 1
    assert totals.reaching_last_year == 0
    assert totals.average_met == Decimal("2.5")
    assert totals.teams == 1 and totals.team_members == 3
    assert totals.models == 1 and totals.proposals == 2 and totals.proposals_open == 1
    symbols = {row.village.code: [cell.symbol for cell in row.cells] for row in report.rows}
    assert symbols == {
        "KH01": ["x", "x+", "x"],
        "DD01": ["x", "0", "x"],
        "TT01": ["-", "-", "-"],
        "XD01": ["-", "-", "-"],
    }


def test_the_dashboard_view_shows_pending_surveys_marked(known):
    report = report_for(known, approved_only=False)
    tu_tho = next(row for row in report.rows if row.village.code == "TT01")
    assert [cell.symbol for cell in tu_tho.cells] == ["x", "x", "x"]
    assert not any(cell.approved for cell in tu_tho.cells)
    assert report.totals.reaching == 1  # still only approved ones
    assert report.totals.pending == 1 and report.totals.pending_reaching == 1


def test_the_final_review_counts_the_resources_of_the_whole_period(known):
    report = report_for(known)  # 2025, the plan's last year: the tổng kết of 2021–2025
    assert report.years == [2021, 2022, 2023, 2024, 2025]
    assert report.resources["cash"] == 1_250_000 + 2_000_000 + 9_999_999
    assert report.resources["goods"] == 500_000
    assert report.resources["money"] == 13_749_999
    assert report.resources["work_days"] == 30
    by_agency = {row["label"]: row["money"] for row in report.resources_by_agency}
    assert by_agency == {"Ban Dân vận Tỉnh ủy": 1_750_000, "Sở Nông nghiệp": 11_999_999}
    assert sum(row["money"] for row in report.resources_by_source) == 13_749_999


def test_a_yearly_review_and_the_dashboard_count_the_year_only(known):
    review_2024 = report_for(known, year=2024)
    assert review_2024.years == [2024]
    assert review_2024.resources["money"] == 9_999_999
    params = exporters.resolve(plan=known.plan.number, year=2025, scope="", user=None)
    dashboard = exporters.summary_for(params, approved_only=False)
    assert dashboard.years == [2025] and dashboard.resources["money"] == 3_750_000


def _work_in(known, year, *, people, resolved=False):
    """One activity and one proposal of ``year`` in Kon Hia."""
    day = datetime.date(year, 3, 1)
    Activity.objects.create(
        plan=known.plan,
        agency=known.agency_a,
        village=known.kon_hia,
        held_on=day,
        kind=Activity.Kind.PROPAGANDA,
        people_reached=people,
        description="Tuyên truyền",
    )
    Proposal.objects.create(
        plan=known.plan,
        agency=known.agency_a,
        village=known.kon_hia,
        title=f"Kiến nghị {year}",
        content="…",
        raised_on=day,
        addressed_to=Proposal.Addressee.COMMUNE,
        status=Proposal.Status.RESOLVED if resolved else Proposal.Status.OPEN,
        closed_on=datetime.date(year, 6, 1) if resolved else None,
    )


def test_the_final_review_counts_activities_and_proposals_of_the_whole_period(known):
    _work_in(known, 2022, people=40, resolved=True)  # closed long before 2025
    _work_in(known, 2025, people=15)
    final = report_for(known)
    assert (final.activities.count, final.activities.people) == (2, 55)
    # the two proposals of 2025 in the known data, and both of these
    assert final.totals.proposals == 4
    assert final.totals.proposals_open == 2 and final.totals.proposals_resolved == 2
    assert [p.title for p in final.proposals].count("Kiến nghị 2022") == 1
    sơ_kết = report_for(known, year=2024)
    assert sơ_kết.activities.count == 0 and sơ_kết.totals.proposals == 0


def test_the_final_review_says_it_counts_the_period(known, tmp_path):
    text = " ".join(pdf_text(render(known, "review-pdf")[2], tmp_path).split())
    assert "Phụ lục 3. Nguồn lực huy động giai đoạn 2021–2025" in text
    assert "Phụ lục 6. Khó khăn, kiến nghị giai đoạn 2021–2025" in text
    assert "Khó khăn, kiến nghị giai đoạn 2021–2025: 2 kiến nghị được nêu" in text


def test_progress_groups_by_old_district_new_commune_and_agency(known):
    report = report_for(known)
    districts = {g.label: (g.villages, g.approved, g.reaching) for g in report.by_district}
    assert districts == {"Huyện Đăk Glei": (1, 0, 0), "Huyện Tu Mơ Rông": (3, 2, 1)}
    communes = {g.label: g.villages for g in report.by_commune}
    assert communes == {"Xã Đăk Sao": 2, "Xã Măng Ri": 1, "Xã Xốp": 1}
    agencies = {g.label: (g.villages, g.reaching) for g in report.by_agency}
    assert agencies == {"Ban Dân vận Tỉnh ủy": (2, 1), "Sở Nông nghiệp": (2, 0)}
    trend = {row.year: (row.approved, row.reaching) for row in report.trend}
    assert trend[2024] == (1, 0) and trend[2025] == (2, 1) and trend[2021] == (0, 0)


@pytest.mark.parametrize(
    ("scope", "codes"),
    [
        ("", {"KH01", "DD01", "TT01", "XD01"}),
        ("agency:SNN", {"TT01", "XD01"}),
        ("village:DD01", {"DD01"}),
    ],
)
def test_scopes_pick_the_villages_of_the_plan(known, scope, codes):
    assert {row.village.code for row in report_for(known, scope=scope).rows} == codes


def test_a_new_commune_counts_the_old_communes_merged_into_it(known):
    new_dak_sao = commune("23416", after_reform=True)
    old_dak_na = commune("23407")
    district = AdminUnit.objects.get(level="district", code="617")
    assert {r.village.code for r in report_for(known, scope=f"commune:{new_dak_sao.pk}").rows} == {
        "KH01",
        "DD01",
    }
    assert {r.village.code for r in report_for(known, scope=f"commune:{old_dak_na.pk}").rows} == {
        "KH01"
    }
    assert len(report_for(known, scope=f"district:{district.pk}").rows) == 3


@pytest.mark.parametrize("text", ["nowhere:1", "commune:", "commune:abc", "agency:NONE"])
def test_a_malformed_scope_is_refused(db, text):
    with pytest.raises(ScopeError):
        parse_scope(text)


def test_a_year_without_data_gives_an_empty_report(known):
    report = report_for(known, year=2022)
    assert not report.has_data
    assert report.totals.approved == 0 and report.totals.average_met is None


def _count_queries(known) -> int:
    params = exporters.resolve(plan=known.plan.number, year=2025, scope="", user=None)
    with CaptureQueriesContext(connection) as queries:
        gather(
            plan=params.plan,
            year=2025,
            scope=params.scope,
            villages=params.villages(),
            approved_only=False,
        )
    return len(queries)


def test_the_query_count_does_not_grow_with_the_villages(known):
    before = _count_queries(known)
    for number in range(6):
        village = make_village(f"Thôn thêm {number}", code=f"EX{number}")
        known.plan.villages.add(village)
        assign(known.agency_a, village, known.plan)
        make_survey(village, 2025, known.criteria_set, [MET, NOT_MET, MET])
        make_survey(village, 2024, known.criteria_set, [MET, MET, MET], Survey.Status.DRAFT)
    assert Village.objects.count() == 11
    assert _count_queries(known) == before
    assert before <= 21  # 20, and the matrix order read once as ids (a page reads no more)
