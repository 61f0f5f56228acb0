"""The common plan each agency agrees with the commune for a village: recorded by the owning
agency's liaison or staff, its file through the upload checks, refused cleanly, corrected with
a stale-edit check, its history kept; the yearly review counts it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments import services
from assignments.models import CommonPlan
from dankhoeo.errors import Refused
from tests.factories import png_upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, *args, query=""):
    return reverse(f"assignments:{name}", args=args) + query


def record(world, **extra) -> CommonPlan:
    values = {
        "plan": world.plan,
        "agency": world.agency,
        "village": world.village,
        "agreed_on": datetime.date(2024, 3, 1),
        "content": "Xây dựng vườn mẫu, sửa đường nội thôn",
        "user": world.liaison,
    }
    return services.common_plan_record(**{**values, **extra})


class TestServices:
    def test_the_liaison_records_a_common_plan_with_its_signed_document(self, world):
        common_plan = record(world, file=png_upload("kế hoạch.png"))
        assert common_plan.filename == "kế_hoạch.png" and common_plan.size > 0  # a safe name
        assert common_plan.file.read().startswith(b"\x89PNG")
        assert common_plan.history.count() == 1

    def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_kept(self, world, tmp_path):
        fake = SimpleUploadedFile("kehoach.pdf", b"MZ not a pdf", content_type="application/pdf")
        with pytest.raises(Refused, match=r"kehoach\.pdf"):
            record(world, file=fake)
        assert not CommonPlan.objects.exists()
        assert not any(path.is_file() for path in tmp_path.rglob("*"))

    def test_another_agencys_liaison_may_not_record_or_correct_it(self, world):
        with pytest.raises(PermissionDenied):
            record(world, user=world.other_liaison)
        common_plan = record(world)
        with pytest.raises(PermissionDenied):
            services.common_plan_update(
                common_plan=common_plan,
                version=1,
                agency=world.agency,
                agreed_on=common_plan.agreed_on,
                content="Sửa",
                user=world.other_liaison,
            )
        assert CommonPlan.objects.get().content == "Xây dựng vườn mẫu, sửa đường nội thôn"

    def test_a_date_in_the_future_is_refused(self, world):
        with pytest.raises(Refused):
            record(world, agreed_on=datetime.date.today() + datetime.timedelta(days=2))
        assert not CommonPlan.objects.exists()

    def test_a_stale_correction_is_a_conflict_and_changes_nothing(self, world, staff):
        common_plan = record(world)
        change = {
            "common_plan": common_plan,
            "agency": world.agency,
            "agreed_on": common_plan.agreed_on,
            "user": staff,
        }
        services.common_plan_update(**change, version=1, content="Lần một")
        with pytest.raises(Refused) as refused:
            services.common_plan_update(**change, version=1, content="Lần hai")
        assert refused.value.code == "conflict"
        assert CommonPlan.objects.get().content == "Lần một"


class TestPages:
    def test_a_liaison_records_one_from_the_village_page(self, world, client_for):
        client = client_for(world.liaison)
        query = f"?plan={world.plan.pk}"
        page = client.get(url("village-work", world.village.pk, query=query)).content.decode()
        assert url("common-plan-create", world.village.pk) in page
        response = client.post(
            url("common-plan-create", world.village.pk, query=query),
            {
                "agency": world.agency.pk,
                "agreed_on": "2024-03-01",
                "content": "Kế hoạch chung năm 2024",
                "file": png_upload(),
            },
        )
        assert response.status_code == 302
        common_plan = CommonPlan.objects.get()
        assert (common_plan.recorded_by, common_plan.content) == (
            world.liaison,
            "Kế hoạch chung năm 2024",
        )
        page = client.get(url("village-work", world.village.pk, query=query)).content.decode()
        assert "Kế hoạch chung năm 2024" in page
        assert url("common-plan-file", common_plan.pk) in page
        download = client.get(url("common-plan-file", common_plan.pk))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"\x89PNG")

    def test_a_missing_date_is_a_translated_error_and_saves_nothing(self, world, client_for):
        response = client_for(world.liaison).post(
            url("common-plan-create", world.village.pk, query=f"?plan={world.plan.pk}"),
            {"agency": world.agency.pk, "content": "Thiếu ngày"},
        )
        assert response.status_code == 200
        assert "Trường này là bắt buộc" in response.content.decode()
        assert not CommonPlan.objects.exists()

    def test_the_commune_officer_reads_it_and_its_history_but_may_not_change_it(
        self, world, client_for, staff
    ):
        common_plan = record(world)
        services.common_plan_update(
            common_plan=common_plan,
            version=1,
            agency=world.agency,
            agreed_on=common_plan.agreed_on,
            content="Bổ sung hỗ trợ giống",
            user=staff,
        )
        officer = client_for(world.commune_officer)
        history = officer.get(url("common-plan-history", common_plan.pk)).content.decode()
        assert "Bổ sung hỗ trợ giống" in history and "Xây dựng vườn mẫu" in history
        assert officer.get(url("common-plan-edit", common_plan.pk)).status_code == 403
        assert officer.get(url("common-plan-file", common_plan.pk)).status_code == 404  # no file

    def test_an_outsider_gets_404_and_a_stale_form_gets_409(self, world, client_for):
        common_plan = record(world)
        outsider = client_for(world.other_liaison)
        assert outsider.get(url("common-plan-edit", common_plan.pk)).status_code == 404
        assert outsider.get(url("common-plan-history", common_plan.pk)).status_code == 404
        client = client_for(world.liaison)
        form = {"agency": world.agency.pk, "agreed_on": "2024-03-01", "content": "Mới"}
        assert client.post(
            url("common-plan-edit", common_plan.pk), {**form, "version": 1}
        ).status_code == (302)
        stale = client.post(url("common-plan-edit", common_plan.pk), {**form, "version": 1})
        assert stale.status_code == 409
        assert CommonPlan.objects.get().version == 2
