import io
from decimal import Decimal

from django.urls import reverse
from django.utils.html import escape

from criteria import services
from criteria.models import Evidence, Survey
from dankhoeo import bounds
from tests import factories as f
from tests.conftest import make_user
from tests.criteria.conftest import indicator
from tests.factories import assign, join, make_agency, make_village

PDF = f.PDF


def upload(name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return file


def form_data(survey, **values):
    """The survey form as the page would post it, with some values changed."""
    data = {"version": survey.version, "reason": ""}
    for value in survey.values.select_related("indicator"):
        key = value.indicator.pk
        typed = value.typed_value
        if value.indicator.value_type == "boolean":
            typed = "" if typed is None else ("yes" if typed else "no")
        data[f"v_{key}"] = "" if typed is None else str(typed).replace(".", ",")
        data[f"a_{key}"] = "" if value.assessed is None else ("yes" if value.assessed else "no")
        data[f"n_{key}"] = value.note
    for code, raw in values.items():
        data[f"v_{indicator(survey, code.replace('_', '.')).pk}"] = raw
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    for url in [reverse("criteria:surveys"), reverse("criteria:survey", args=[draft.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response.url


def test_a_survey_outside_the_scope_is_not_found(client_for, world, staff, draft):
    other = make_user("other-liaison", "liaison")
    join(other, agency=make_agency())
    client = client_for(other)
    assert client.get(reverse("criteria:survey", args=[draft.pk])).status_code == 404
    url = reverse("criteria:survey-save", args=[draft.pk])
    assert client.post(url, form_data(draft)).status_code == 404


def test_a_viewer_reads_but_cannot_write(client_for, viewer, draft):
    client = client_for(viewer)
    assert client.get(reverse("criteria:survey", args=[draft.pk])).status_code == 200
    save = reverse("criteria:survey-save", args=[draft.pk])
    assert client.post(save, form_data(draft)).status_code == 403
    submit = reverse("criteria:survey-transition", args=[draft.pk, "submit"])
    assert client.post(submit).status_code == 403


def test_the_commune_officer_sees_the_commune_but_cannot_enter_values(
    client_for, commune_officer, draft, world
):
    client = client_for(commune_officer)
    assert client.get(reverse("criteria:survey", args=[draft.pk])).status_code == 200
    save = reverse("criteria:survey-save", args=[draft.pk])
    assert client.post(save, form_data(draft)).status_code == 403


def test_the_liaison_saves_typed_values(client_for, liaison, draft):
    client = client_for(liaison)
    response = client.post(
        reverse("criteria:survey-save", args=[draft.pk]), form_data(draft, **{"1_1": "72,5"})
    )
    assert response.status_code == 302
    value = draft.values.get(indicator=indicator(draft, "1.1"))
    assert value.value_number == Decimal("72.5")
    assert value.verdict == "met"


def test_a_bad_value_is_shown_and_nothing_is_saved(client_for, liaison, draft):
    client = client_for(liaison)
    response = client.post(
        reverse("criteria:survey-save", args=[draft.pk]), form_data(draft, **{"1_1": "120"})
    )
    assert response.status_code == 400
    assert Survey.objects.get(pk=draft.pk).version == draft.version


def test_a_stale_page_gets_a_conflict_showing_the_change(client_for, liaison, draft):
    client = client_for(liaison)
    stale = form_data(draft, **{"6_1": "3"})
    roads = indicator(draft, "1.1")
    services.survey_save_values(
        user=liaison,
        survey=draft,
        version=draft.version,
        values={roads.pk: services.ValueInput(value=Decimal(81))},
    )
    response = client.post(reverse("criteria:survey-save", args=[draft.pk]), stale)
    assert response.status_code == 409
    conflict = response.content.decode().split('id="conflict"')[1].split("</div>")[0]
    assert f"{roads.code} {escape(roads.name)}: <strong>81" in conflict
    assert draft.values.get(indicator=indicator(draft, "6.1")).value_number is None


def test_verdicts_come_back_as_the_liaison_types(client_for, liaison, draft):
    client = client_for(liaison)
    url = reverse("criteria:survey-verdicts", args=[draft.pk])
    roads = indicator(draft, "1.1")
    met = client.post(url, form_data(draft, **{"1_1": "70"}), HTTP_HX_REQUEST="true")
    content = met.content.decode()
    assert (
        f'id="verdict-i-{roads.pk}" hx-swap-oob="true"><span class="badge text-bg-success">'
        in content
    )
    below = client.post(url, form_data(draft, **{"1_1": "69,9"})).content.decode()
    assert (
        f'id="verdict-i-{roads.pk}" hx-swap-oob="true"><span class="badge text-bg-danger">' in below
    )
    assert Survey.objects.get(pk=draft.pk).version == draft.version  # nothing saved


def test_the_survey_page_query_count_does_not_grow(
    client_for, liaison, filled, django_assert_max_num_queries
):
    client = client_for(liaison)
    url = reverse("criteria:survey", args=[filled.pk])
    with django_assert_max_num_queries(24) as first:
        client.get(url)
    for code in ("1.1", "2.1", "6.1"):
        value = filled.values.get(indicator=indicator(filled, code))
        Evidence.objects.create(
            value=value, file="x.pdf", original_name="x.pdf", content_type="application/pdf", size=3
        )
    survey = Survey.objects.get(pk=filled.pk)
    services.survey_save_values(
        user=liaison,
        survey=survey,
        version=survey.version,
        values={indicator(survey, "1.1").pk: services.ValueInput(Decimal(90))},
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_list_query_count_does_not_grow(
    client_for, staff, world, liaison, django_assert_num_queries
):
    client = client_for(staff)
    services.survey_start(user=liaison, village=world.village, year=2025)
    url = reverse("criteria:surveys") + "?year=2025"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(5):
        village = make_village(f"Thôn thêm {number}")
        assign(world.agency, village, world.plan)
        services.survey_start(user=liaison, village=village, year=2025)
    services.survey_start(user=liaison, village=world.second, year=2025)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert "Thôn thêm 4" in response.content.decode()


def test_the_list_and_the_survey_page_read_in_few_queries(
    client_for, staff, viewer, liaison, world, filled, commune_officer, django_assert_num_queries
):
    """Pinned (issue 15): the list asks for the session, the user, the plan (the year the
    picker offers), every deadline, the count, one page of villages, their surveys and the
    span of years (and, for a liaison, which of them they may change); the survey page for
    the session, the user, the survey, its values with their files, the value changes, the
    review steps, last year's values, the criteria and the recognition (and, for a draft,
    whether the user may change the village and hand it in)."""
    url = reverse("criteria:surveys") + "?year=2025"
    client = client_for(staff)
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    client = client_for(liaison)
    client.get(url)
    with django_assert_num_queries(9):  # and which of them the liaison may change
        client.get(url)
    page = reverse("criteria:survey", args=[filled.pk])
    client = client_for(viewer)
    client.get(page)  # the first request after logging in also saves the session
    with django_assert_num_queries(10):  # a read-only draft: the viewer may not change it
        assert client.get(page).status_code == 200
    client = client_for(liaison)
    client.get(page)
    with django_assert_num_queries(12):
        response = client.get(page)
    assert f'name="v_{indicator(filled, "1.1").pk}"' in response.content.decode()
    for user, action in [(liaison, "submit"), (commune_officer, "confirm"), (staff, "approve")]:
        client_for(user).post(reverse("criteria:survey-transition", args=[filled.pk, action]))
    client = client_for(staff)
    client.get(page)
    with django_assert_num_queries(10):  # approved: no one changes it, the form has no values
        content = client.get(page).content.decode()
    assert 'name="version"' in content and 'name="v_' not in content


def test_the_list_links_each_row_as_the_user_may(client_for, world, liaison, viewer, draft):
    """The list's links are worked out in criteria/queries.py, not by the template."""
    url = reverse("criteria:surveys") + "?year=2025"
    content = client_for(liaison).get(url).content.decode()
    enter = f'<a href="{reverse("criteria:survey", args=[draft.pk])}">Nhập</a>'
    start = reverse("criteria:survey-open", args=[world.second.pk, 2025])
    assert enter in content and f'<a href="{start}">Bắt đầu</a>' in content
    assert "Thôn Xa" not in content
    content = client_for(viewer).get(url).content.decode()
    assert f'<a href="{reverse("criteria:survey", args=[draft.pk])}">Xem</a>' in content
    assert start not in content  # a viewer starts no survey
    assert '<span class="badge text-bg-secondary">Bản nháp</span>' in content
    assert '<span class="badge text-bg-light border">Chưa bắt đầu</span>' in content


def test_each_role_sees_only_its_villages_in_the_list(
    client_for, world, liaison, commune_officer, staff
):
    url = reverse("criteria:surveys") + "?year=2025"
    for user, seen, unseen in [
        (liaison, ["Làng Kon Năng", "Làng Tu Mơ"], ["Thôn Xa"]),
        (commune_officer, ["Làng Kon Năng"], ["Thôn Xa"]),
        (staff, ["Làng Kon Năng", "Thôn Xa"], []),
    ]:
        content = client_for(user).get(url).content.decode()
        assert all(name in content for name in seen), user
        assert not any(name in content for name in unseen), user


def test_overdue_surveys_are_flagged(client_for, staff, world):
    import datetime

    services.deadline_set(user=staff, year=2024, due_on=datetime.date(2024, 12, 31))
    content = client_for(staff).get(reverse("criteria:surveys") + "?year=2024&overdue=1")
    assert "Quá hạn" in content.content.decode()


def test_the_workflow_through_the_pages(client_for, filled, liaison, commune_officer, staff):
    for user, action in [(liaison, "submit"), (commune_officer, "confirm"), (staff, "approve")]:
        response = client_for(user).post(
            reverse("criteria:survey-transition", args=[filled.pk, action])
        )
        assert response.status_code == 302
    assert Survey.objects.get(pk=filled.pk).status == "approved"


def test_a_step_the_role_may_never_take_is_a_403(client_for, filled, liaison):
    response = client_for(liaison).post(
        reverse("criteria:survey-transition", args=[filled.pk, "approve"])
    )
    assert response.status_code == 403
    assert Survey.objects.get(pk=filled.pk).status == "draft"


def test_a_step_the_survey_cannot_take_now_is_a_400_with_the_reason(client_for, filled, staff):
    response = client_for(staff).post(
        reverse("criteria:survey-transition", args=[filled.pk, "approve"])
    )
    assert response.status_code == 400
    assert Survey.objects.get(pk=filled.pk).status == "draft"
    assert "alert-danger" in response.content.decode()


class TestEvidence:
    def url(self, survey, code="1.1"):
        return reverse("criteria:evidence-upload", args=[survey.pk, indicator(survey, code).pk])

    def test_a_pdf_is_attached_and_served_to_those_who_see_the_survey(
        self, client_for, liaison, commune_officer, draft
    ):
        client_for(liaison).post(self.url(draft), {"file": upload("biên bản.pdf", PDF)})
        evidence = Evidence.objects.get()
        assert evidence.original_name == "biên_bản.pdf" or evidence.original_name.endswith(".pdf")
        assert "static" not in evidence.file.path
        response = client_for(commune_officer).get(reverse("criteria:evidence", args=[evidence.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF

    def test_an_exe_renamed_pdf_is_refused(self, client_for, liaison, draft):
        client_for(liaison).post(self.url(draft), {"file": upload("x.pdf", b"MZ\x90\x00" * 50)})
        assert not Evidence.objects.exists()

    def test_a_file_too_big_is_refused(self, client_for, liaison, draft, monkeypatch):
        monkeypatch.setattr(bounds, "EVIDENCE_BYTES", 100)
        client_for(liaison).post(self.url(draft), {"file": upload("x.pdf", PDF + b"0" * 200)})
        assert not Evidence.objects.exists()

    def test_an_empty_file_is_named_and_called_empty(self, client_for, liaison, draft, tmp_path):
        response = client_for(liaison).post(
            self.url(draft), {"file": upload("biên-bản.pdf", b"")}, follow=True
        )
        assert "“biên-bản.pdf”: tệp rỗng." in response.content.decode()
        assert not Evidence.objects.exists()

    def test_a_refused_evidence_leaves_no_file(self, client_for, liaison, draft, settings):
        client_for(liaison).post(self.url(draft), {"file": upload("x.png", f.PNG + b"<script>")})
        assert not Evidence.objects.exists()
        media = settings.MEDIA_ROOT
        assert not media.exists() or [p for p in media.rglob("*") if p.is_file()] == []

    def test_another_liaison_gets_404(self, client_for, liaison, draft):
        client_for(liaison).post(self.url(draft), {"file": upload("x.pdf", PDF)})
        evidence = Evidence.objects.get()
        other = make_user("other", "liaison")
        join(other, agency=make_agency())
        client = client_for(other)
        assert client.get(reverse("criteria:evidence", args=[evidence.pk])).status_code == 404
        assert client.post(self.url(draft), {"file": upload("y.pdf", PDF)}).status_code == 404


def test_staff_record_a_recognition_on_the_page(
    client_for, filled, liaison, commune_officer, staff
):
    for user, action in [(liaison, "submit"), (commune_officer, "confirm"), (staff, "approve")]:
        services.TRANSITIONS[action](user=user, survey=filled)
    client = client_for(staff)
    page = client.get(reverse("criteria:survey", args=[filled.pk])).content.decode()
    assert "decision_number" in page
    client.post(
        reverse("criteria:recognition-create", args=[filled.pk]),
        {"decision_number": "45/QĐ-UBND", "decided_on": "2025-12-20", "body": "UBND huyện"},
    )
    assert filled.recognitions.get().decision_number == "45/QĐ-UBND"


def test_criteria_set_pages(client_for, staff, viewer, kt147, draft):
    assert client_for(viewer).get(reverse("criteria:sets")).status_code == 200
    content = client_for(viewer).get(reverse("criteria:set", args=[kt147.pk])).content.decode()
    assert "chưa xác minh" in content
    assert (
        client_for(viewer)
        .post(reverse("criteria:set-action", args=[kt147.pk, "confirm"]))
        .status_code
        == 403
    )
    client = client_for(staff)
    edit = client.post(
        reverse("criteria:criterion-edit", args=[kt147.pk, kt147.criteria.first().pk]),
        {"number": 1, "name": "Đổi tên", "group": ""},
        follow=True,
    )
    assert (
        "tạo phiên bản mới" in edit.content.decode().lower()
        or kt147.criteria.first().name != "Đổi tên"
    )
    assert kt147.criteria.get(number=1).name == "Giao thông"
    client.post(reverse("criteria:set-action", args=[kt147.pk, "confirm"]))
    kt147.refresh_from_db()
    assert not kt147.is_provisional
