from urllib.parse import urlencode

import pytest
from django.urls import reverse

from assignments.models import Membership
from reports import caching, exporters
from reports.models import ReportDocument
from tests.factories import commune, join, make_agency

from .conftest import MET, NOT_MET, make_survey

PLAN = "133-KH/TU"


def url(name, **query):
    query = {"plan": PLAN, "year": 2025, **query}
    return f"{reverse(name)}?{urlencode(query)}"


def export_url(name, **query):
    query = {"plan": PLAN, "year": 2025, **query}
    return f"{reverse('reports:export', args=[name])}?{urlencode(query)}"


@pytest.mark.parametrize("name", ["reports:index", "reports:dashboard", "reports:review"])
def test_anonymous_visitors_are_sent_to_log_in(client, known, name):
    response = client.get(url(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_dashboard_shows_the_numbers_of_the_report(client_for, viewer, known):
    response = client_for(viewer).get(url("reports:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="kpi-reaching">1/4' in page
    assert "(+1*)" in page  # Tu Thó's submitted survey meets the standard, marked
    assert 'id="kpi-money">3.750.000<' in page
    assert 'id="kpi-proposals">1<' in page
    assert page.count("<svg") == 4  # three progress charts and the trend
    assert "Làng Tu Thó" in page and "unapproved" in page
    assert "x+: " in page  # the matrix's legend


def test_the_dashboard_query_count_is_constant(client_for, staff, known, django_assert_num_queries):
    client = client_for(staff)
    client.get(url("reports:dashboard"))  # warm the session and content types
    for _round in range(2):
        caching.bump()  # figures changed: the summary is gathered again
        with django_assert_num_queries(NUM_DASHBOARD_QUERIES):
            assert client.get(url("reports:dashboard")).status_code == 200
        with django_assert_num_queries(NUM_DASHBOARD_QUERIES_CACHED):
            assert client.get(url("reports:dashboard")).status_code == 200
        for number in range(5):
            village = make_survey_village(known, number + 5 * _round)
            make_survey(village, 2025, known.criteria_set, [MET, NOT_MET, MET])


NUM_DASHBOARD_QUERIES = 31  # the figures and the page's HTML gathered and kept
NUM_DASHBOARD_QUERIES_CACHED = 6  # session, user, plan, its villages, generation, HTML


def make_survey_village(known, number):
    from tests.factories import assign, make_village

    village = make_village(f"Thôn mới {number}", code=f"NEW{number}")
    known.plan.villages.add(village)
    assign(known.agency_b, village, known.plan)
    return village


def test_a_liaison_sees_only_the_villages_of_their_agency(client_for, liaison, known):
    join(liaison, agency=known.agency_a)
    client = client_for(liaison)
    page = client.get(url("reports:review")).content.decode()
    assert "Làng Kon Hia" in page and "Thôn Đăk Dơn" in page
    assert "Làng Tu Thó" not in page and "Thôn Xốp Dùi" not in page
    assert client.get(url("reports:dashboard", scope="agency:SNN")).status_code == 404
    assert client.get(url("reports:review", scope="village:TT01")).status_code == 404
    assert client.get(export_url("review-pdf", scope="village:TT01")).status_code == 404
    assert client.get(url("reports:review", scope="village:KH01")).status_code == 200


def test_a_commune_officer_sees_their_commune_through_the_merger(
    client_for, commune_officer, known
):
    join(commune_officer, commune_unit=commune("23416", after_reform=True))
    client = client_for(commune_officer)
    page = client.get(url("reports:dashboard")).content.decode()
    assert "Làng Kon Hia" in page and "Thôn Đăk Dơn" in page and "Làng Tu Thó" not in page
    assert client.get(url("reports:dashboard", scope="agency:SNN")).status_code == 404


def test_an_outsider_liaison_gets_404_for_every_scope_but_an_empty_whole_plan(
    client_for, liaison, known
):
    join(liaison, agency=make_agency("Cơ quan khác", code="KHAC"))
    client = client_for(liaison)
    assert client.get(url("reports:dashboard", scope="agency:BDV")).status_code == 404
    page = client.get(url("reports:dashboard")).content.decode()
    assert "Không có thôn, làng nào của kế hoạch trong phạm vi này" in page


@pytest.mark.parametrize(
    "query",
    [{"plan": "999-KH/TU"}, {"year": "abc"}, {"scope": "planet:1"}, {"scope": "village:NOPE"}],
)
def test_bad_parameters_get_a_clear_message(client_for, staff, known, query):
    response = client_for(staff).get(url("reports:review", **query))
    assert response.status_code == 400
    assert "alert" in response.content.decode()


def test_an_unknown_exporter_is_404(client_for, staff, known):
    assert client_for(staff).get(export_url("nothing")).status_code == 404


def test_a_year_without_data_shows_a_clear_page(client_for, staff, known):
    response = client_for(staff).get(url("reports:dashboard", year=2022))
    assert response.status_code == 200
    assert "Chưa có số liệu nào cho năm 2022" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("review-pdf", "application/pdf"),
        ("review-docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("review-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_downloads_are_attachments(client_for, viewer, known, name, content_type):
    response = client_for(viewer).get(export_url(name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="review-133-kh-tu-2025')


def test_read_only_roles_may_not_edit_the_report(client_for, viewer, known):
    client = client_for(viewer)
    assert client.get(url("reports:review-edit")).status_code == 403
    assert client.post(url("reports:review-edit"), {"issuing_body": "X"}).status_code == 403
    assert not ReportDocument.objects.exists()


def test_staff_write_the_narrative_prefilled_with_the_numbers(client_for, staff, known):
    client = client_for(staff)
    form_page = client.get(url("reports:review-edit")).content.decode()
    assert "bình quân mỗi thôn đạt 3,0/3 tiêu chí (năm 2024: 2,0)" in form_page
    assert "Tiêu chí chưa đạt nhiều nhất" in form_page  # the facts beside the text boxes
    response = client.post(
        url("reports:review-edit"),
        {
            "issuing_body": "TỈNH ỦY KON TUM",
            "number": "145-BC/TU",
            "place": "Kon Tum",
            "dated_on": "05/12/2025",
            "title": "BÁO CÁO",
            "section_results": "<b>in đậm</b> =SUM(A1:A2)",
            "signing_for": "T/M BAN THƯỜNG VỤ",
        },
    )
    assert response.status_code == 302
    document = ReportDocument.objects.get()
    assert document.updated_by == staff and document.scope == ""
    page = client.get(url("reports:review")).content.decode()
    assert "&lt;b&gt;in đậm&lt;/b&gt; =SUM(A1:A2)" in page and "<b>in đậm</b>" not in page
    assert "Số 145-BC/TU" in page and "Kon Tum, ngày 05 tháng 12 năm 2025" in page


def test_a_dated_report_without_a_number_is_refused(client_for, staff, known):
    response = client_for(staff).post(url("reports:review-edit"), {"dated_on": "05/12/2025"})
    assert response.status_code == 200
    assert "Báo cáo đã ghi ngày cần có số." in response.content.decode()
    assert not ReportDocument.objects.exists()


def test_a_bad_date_is_shown_again(client_for, staff, known):
    response = client_for(staff).post(url("reports:review-edit"), {"dated_on": "31/02/2025"})
    assert response.status_code == 200
    assert not ReportDocument.objects.exists()


def test_empty_header_fields_take_the_plans_facts(client_for, staff, known):
    known.plan.heading = "TỈNH ỦY KON TUM"
    known.plan.signatory_name = "Nguyễn Văn Thử"
    known.plan.save()
    client = client_for(staff)
    form_page = client.get(url("reports:review-edit")).content.decode()
    assert 'placeholder="Nguyễn Văn Thử"' in form_page
    assert client.post(url("reports:review-edit"), {"number": ""}).status_code == 302
    page = client.get(url("reports:review")).content.decode()
    assert "TỈNH ỦY KON TUM" in page and "Nguyễn Văn Thử" in page and "-BC/TU" in page


def test_the_report_lists_its_downloads(client_for, viewer, known):
    page = client_for(viewer).get(url("reports:index", scope="village:KH01")).content.decode()
    for name in ["review-pdf", "review-docx", "review-xlsx", "village-profile-pdf"]:
        assert reverse("reports:export", args=[name]) in page
    assert Membership.objects.count() == 0


def test_each_download_is_recorded_in_the_security_log(client_for, viewer, known):
    from dankhoeo.models import AuditEvent

    client_for(viewer).get(export_url("review-xlsx", scope="agency:SNN"))
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.actor == viewer
    assert event.target == "review-xlsx plan=133-KH%2FTU&year=2025&scope=agency%3ASNN"


def test_the_dashboard_shows_the_matrix_a_page_at_a_time(client_for, staff, known, monkeypatch):
    monkeypatch.setattr("reports.views.MATRIX_PAGE_SIZE", 3)
    client = client_for(staff)
    pages = [client.get(url("reports:dashboard", page=n)).content.decode() for n in (1, 2)]
    matrices = [page.split('class="data matrix')[1].split("</table>")[0] for page in pages]
    params = exporters.resolve(plan=PLAN, year=2025, scope="", user=None)
    names = [v.name for v in params.villages().in_vietnamese_order()]  # the dashboard's order
    assert all(name in matrices[0] for name in names[:3]) and names[3] not in matrices[0]
    assert names[3] in matrices[1] and not any(name in matrices[1] for name in names[:3])
    assert '<td class="num">4</td>' in matrices[1]  # numbered across pages
    for page in pages:  # the numbers always count all four villages
        assert 'id="kpi-reaching">1/4' in page


def test_a_large_plan_offers_the_villages_of_the_scope_shown(client_for, staff, known, monkeypatch):
    monkeypatch.setattr("reports.views.SCOPE_VILLAGES", 3)
    client = client_for(staff)
    whole = client.get(url("reports:dashboard")).content.decode()
    assert 'value="village:' not in whole  # four villages: more than a list holds
    district = commune("23407").parent
    narrowed = client.get(url("reports:dashboard", scope=f"district:{district.pk}"))
    assert narrowed.content.decode().count('value="village:') == 3
    one = client.get(url("reports:dashboard", scope="village:KH01")).content.decode()
    assert 'value="village:KH01" selected' in one


def test_a_large_plan_does_not_ask_for_villages_it_will_not_list(
    client_for, staff, known, monkeypatch, django_assert_num_queries
):
    client = client_for(staff)
    client.get(url("reports:dashboard"))  # the session warm
    monkeypatch.setattr("reports.views.SCOPE_VILLAGES", 3)
    caching.bump()  # the page made again, with its list of scopes
    with django_assert_num_queries(NUM_DASHBOARD_QUERIES - 1):
        assert client.get(url("reports:dashboard")).status_code == 200


def test_a_document_of_too_many_villages_is_refused_everywhere_with_the_reason(
    client_for, staff, known, monkeypatch, tmp_path
):
    """A PDF or Word review holds at most DOCUMENT_MAX_VILLAGES villages (the whole country's
    would be thousands of pages and tens of GB for WeasyPrint): the page says so instead of
    offering it, a request for it is a 400 with the reason and queues nothing, the command
    refuses it; the workbook and a narrower scope are still made. (4 villages here, 3 allowed.)"""
    from django.core.management import CommandError, call_command

    from reports.models import ReportFile

    monkeypatch.setattr(exporters.ReviewPdf, "max_villages", 3)
    monkeypatch.setattr(exporters.ReviewDocx, "max_villages", 3)
    client = client_for(staff)
    page = client.get(url("reports:index")).content.decode()
    assert reverse("reports:export", args=["review-pdf"]) not in page
    assert reverse("reports:export", args=["review-docx"]) not in page
    assert reverse("reports:export", args=["review-xlsx"]) in page
    assert "chỉ lập cho tối đa 3 thôn, làng, còn văn bản này sẽ gồm 4 thôn, làng" in page
    for name in ("review-pdf", "review-docx"):
        response = client.get(export_url(name))
        assert response.status_code == 400
        assert "hãy chọn phạm vi hẹp hơn" in response.content.decode()
    assert not ReportFile.objects.exists()
    assert client.get(export_url("review-xlsx")).status_code == 200
    narrower = client.get(export_url("review-pdf", scope="village:KH01"))
    assert narrower.status_code == 200 and narrower["Content-Type"] == "application/pdf"
    with pytest.raises(CommandError, match="tối đa 3 thôn"):
        call_command(
            "render_report",
            "review-docx",
            "--plan",
            PLAN,
            "--year",
            "2025",
            "-o",
            str(tmp_path / "x.docx"),
        )
    assert not (tmp_path / "x.docx").exists()


def test_a_grouping_of_too_many_bars_is_named_instead_of_charted(
    client_for, viewer, known, monkeypatch
):
    """A country-wide plan has 3,300 communes: their chart would be megabytes of SVG that no one
    reads. Past CHART_MAX_BARS a grouping is named, with its count, and the others are drawn."""
    from reports import views

    client = client_for(viewer)
    page = client.get(url("reports:dashboard")).content.decode()
    assert page.count("<svg") == 4 and "quá nhiều để vẽ" not in page
    monkeypatch.setattr(views, "CHART_MAX_BARS", 1)
    caching.bump()
    page = client.get(url("reports:dashboard")).content.decode()
    charted = page.count('class="chart"')
    assert charted < 4  # the trend and the groupings of one bar at most
    assert "nhóm, quá nhiều để vẽ một biểu đồ (tối đa 1)" in page
    assert "Theo xã hiện nay: " in page  # named, with its count of groups
