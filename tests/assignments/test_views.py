import datetime
import io

import pytest
from django.urls import reverse

from assignments import services
from assignments.models import (
    Activity,
    ActivityPhoto,
    DvkModel,
    Membership,
    Plan,
    Resource,
    ResourceSource,
)
from criteria.models import CriteriaSet, Survey
from dankhoeo import bounds
from dankhoeo.models import AuditEvent
from tests import factories as f
from tests.assignments.conftest import raise_proposal
from tests.factories import assign, make_agency, make_dvk_model, make_village

PNG = f.PNG


def url(name, *args, query=""):
    return reverse(f"assignments:{name}", args=args) + query


def activity_post(world, **extra):
    data = {
        "agency": world.agency.pk,
        "held_on": "2024-05-10",
        "kind": "propaganda",
        "people_reached": "45",
        "households_reached": "12",
        "description": "Họp dân tuyên truyền",
    }
    data.update(extra)
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


class TestAnonymous:
    @pytest.mark.parametrize("name", ["plan-list", "agency-list", "my-villages", "proposal-list"])
    def test_it_is_sent_to_the_login_page(self, client, name):
        response = client.get(url(name))
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


class TestPages:
    """Every page opens for the roles that may read it."""

    @pytest.mark.parametrize("persona", ["staff", "viewer", "liaison", "commune_officer"])
    def test_the_read_pages_open(self, world, request, client_for, persona):
        user = request.getfixturevalue(persona)
        client = client_for(user)
        raise_proposal(world)
        for address in [
            url("plan-list"),
            url("plan-detail", world.plan.pk),
            url("board", world.plan.pk),
            url("roster", world.plan.pk),
            url("agency-list"),
            url("agency-detail", world.agency.pk),
            url("activity-list"),
            url("resource-list", query="?by=source"),
            url("proposal-list", query="?year=2024"),
            url("model-list"),
            url("my-villages"),
            url("village-work", world.village.pk),
            url("team", world.village.pk),
        ]:
            response = client.get(address)
            assert response.status_code == 200, address

    def test_the_staff_pages_are_forbidden_to_others(self, world, client_for, viewer):
        client = client_for(viewer)
        for address in [
            url("plan-create"),
            url("plan-edit", world.plan.pk),
            url("plan-history", world.plan.pk),
            url("import", world.plan.pk),
            url("agency-create"),
            url("membership-list"),
        ]:
            assert client.get(address).status_code == 403, address


class TestScope:
    def test_a_liaison_of_another_agency_gets_404(self, world, client_for):
        client = client_for(world.other_liaison)
        proposal = raise_proposal(world)
        assert client.get(url("village-work", world.village.pk)).status_code == 404
        assert client.get(url("activity-create", world.village.pk)).status_code == 404
        assert client.post(url("resource-create", world.village.pk), {}).status_code == 404
        assert client.get(url("proposal-detail", proposal.pk)).status_code == 404

    def test_the_board_shows_only_the_villages_in_scope(self, world, client_for):
        response = client_for(world.liaison).get(url("board", world.plan.pk))
        assert [row.village for row in response.context["rows"]] == [world.village]

    def test_a_commune_officer_sees_the_commune_but_cannot_record(self, world, client_for):
        client = client_for(world.commune_officer)
        assert client.get(url("village-work", world.village.pk)).status_code == 200
        assert client.get(url("village-work", world.other_village.pk)).status_code == 404
        response = client.post(url("activity-create", world.village.pk), activity_post(world))
        assert response.status_code == 403
        assert not Activity.objects.exists()

    def test_a_viewer_gets_403_on_writes(self, world, client_for, viewer):
        client = client_for(viewer)
        assert (
            client.post(url("activity-create", world.village.pk), activity_post(world)).status_code
            == 403
        )
        assert client.post(url("team", world.village.pk), {}).status_code == 403
        assert client.post(url("assignment-create", world.plan.pk), {}).status_code == 403
        assert not Activity.objects.exists()

    def test_a_liaison_cannot_write_once_the_plan_is_over(self, world, client_for):
        Plan.objects.filter(pk=world.plan.pk).update(is_active=False)
        response = client_for(world.liaison).post(
            url("activity-create", world.village.pk), activity_post(world)
        )
        assert response.status_code == 403  # still visible, no longer editable
        assert not Activity.objects.exists()


class TestRecording:
    def test_a_liaison_records_an_activity_with_a_photo(self, world, client_for, media):
        photo = io.BytesIO(PNG)
        photo.name = "hop-dan.png"
        response = client_for(world.liaison).post(
            url("activity-create", world.village.pk),
            activity_post(world, photos=[photo]),
        )
        assert response.status_code == 302
        activity = Activity.objects.get()
        assert (activity.people_reached, activity.recorded_by) == (45, world.liaison)
        stored = ActivityPhoto.objects.get()
        assert stored.file.path.startswith(str(media))

    def test_a_photo_that_is_not_an_image_is_refused(self, world, client_for, media):
        fake = io.BytesIO(b"MZ\x90\x00 this is a program")
        fake.name = "anh.jpg"
        response = client_for(world.liaison).post(
            url("activity-create", world.village.pk),
            activity_post(world, photos=[fake]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert "“anh.jpg”: this kind of file is not accepted" in response.content.decode()
        assert not Activity.objects.exists()

    def test_photos_are_served_only_within_the_scope(self, world, client_for, media):
        activity = services.activity_record(
            plan=world.plan,
            agency=world.agency,
            village=world.village,
            held_on=datetime.date(2024, 5, 1),
            kind="survey",
            description="x",
            photos=[_upload(PNG, "a.png")],
            user=None,
        )
        photo = activity.photos.get()
        assert client_for(world.commune_officer).get(url("photo", photo.pk)).status_code == 200
        assert client_for(world.other_liaison).get(url("photo", photo.pk)).status_code == 404

    @pytest.mark.parametrize(
        ("amount", "kind", "message"),
        [
            ("-5", "cash", "negative"),
            ("2,5", "work_days", "whole number"),
            ("100 USD", "cash", "đồng only"),
            ("", "cash", "This field is required"),
        ],
    )
    def test_a_bad_amount_is_explained_and_nothing_is_saved(
        self, world, client_for, amount, kind, message
    ):
        response = client_for(world.liaison).post(
            url("resource-create", world.village.pk),
            {
                "agency": world.agency.pk,
                "source": world.source.pk,
                "kind": kind,
                "amount": amount,
                "received_on": "2024-06-01",
                "households_benefiting": "0",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Resource.objects.exists()

    def test_a_liaison_records_a_resource_typed_the_vietnamese_way(self, world, client_for):
        response = client_for(world.liaison).post(
            url("resource-create", world.village.pk),
            {
                "agency": world.agency.pk,
                "source": world.source.pk,
                "kind": "cash",
                "amount": "1.250.000",
                "received_on": "2024-06-01",
                "households_benefiting": "3",
                "contributor": "Công ty A",
            },
        )
        assert response.status_code == 302
        assert Resource.objects.get().amount == 1_250_000

    def test_a_liaison_cannot_record_in_the_name_of_another_agency(self, world, client_for):
        assign(world.other_agency, world.village, world.plan, role="supporting")
        response = client_for(world.liaison).post(
            url("activity-create", world.village.pk),
            activity_post(world, agency=world.other_agency.pk),
        )
        assert response.status_code == 200
        assert not Activity.objects.exists()

    def test_a_second_support_team_is_refused_with_a_message(self, world, client_for):
        client = client_for(world.liaison)
        assert client.post(url("team", world.village.pk), {"decision": "QĐ 1"}).status_code == 302
        services_count = world.plan.teams.count()
        response = client.post(
            url("team", world.village.pk), {"full_name": "A Thế", "role": "leader"}
        )
        assert response.status_code == 302
        assert world.plan.teams.count() == services_count == 1
        assert world.plan.teams.get().members.get().full_name == "A Thế"


class TestProposals:
    def test_the_commune_officer_answers_and_the_liaison_cannot(self, world, client_for):
        proposal = raise_proposal(world)
        liaison = client_for(world.liaison)
        assert liaison.post(url("proposal-transition", proposal.pk, "forward")).status_code == 403
        officer = client_for(world.commune_officer)
        officer.post(url("proposal-transition", proposal.pk, "start"), {"due_on": "2024-07-01"})
        officer.post(url("proposal-transition", proposal.pk, "resolve"), {"answer": "Đã xử lý"})
        proposal.refresh_from_db()
        assert (proposal.status, proposal.answer) == ("resolved", "Đã xử lý")

    def test_a_refused_transition_is_a_message(self, world, client_for, staff):
        proposal = raise_proposal(world)
        response = client_for(staff).post(
            url("proposal-transition", proposal.pk, "resolve"), {"answer": "x"}, follow=True
        )
        assert any(
            "cannot become" in str(m) or "không thể" in str(m) for m in response.context["messages"]
        )
        proposal.refresh_from_db()
        assert proposal.status == "open"


class TestStaff:
    def test_staff_creates_a_plan_and_an_agency(self, client_for, staff):
        client = client_for(staff)
        response = client.post(
            url("plan-create"),
            {
                "number": "02-KH/TU",
                "title": "Kế hoạch 2026-2030",
                "issuer": "Tỉnh ủy",
                "period_start": "2026",
                "period_end": "2030",
                "related_documents": "Chỉ thị 13-CT/TU",
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        assert Plan.objects.get().related_document_list == ["Chỉ thị 13-CT/TU"]
        bad = client.post(
            url("plan-create"),
            {
                "number": "03",
                "title": "x",
                "issuer": "y",
                "period_start": "2030",
                "period_end": "2026",
            },
        )
        assert bad.status_code == 200
        assert Plan.objects.count() == 1
        response = client.post(
            url("agency-create"), {"code": "S1", "name": "Sở A", "kind": "agency"}
        )
        assert response.status_code == 302

    def test_staff_manages_memberships_and_sees_who_changed_what(self, world, client_for, staff):
        client = client_for(staff)
        newcomer = make_agency("Cơ quan mới")
        response = client.post(
            url("membership-list"), {"user": world.liaison.pk, "agency": newcomer.pk}
        )
        assert response.status_code == 302
        membership = Membership.objects.get(user=world.liaison, agency=newcomer)
        client.post(url("membership-delete", membership.pk))
        events = AuditEvent.objects.filter(kind=AuditEvent.Kind.MEMBERSHIP_CHANGE).order_by("id")
        assert [(e.actor, e.target, e.detail) for e in events] == [
            (staff, str(world.liaison), "+ Cơ quan mới"),
            (staff, str(world.liaison), "− Cơ quan mới"),
        ]
        assert events[0].ip_address == "127.0.0.1"
        page = client.get(url("membership-list")).content.decode()
        assert "Cơ quan mới" in page
        assert "staff" in page or "Cán bộ Tỉnh" in page

    def test_the_plan_history_shows_old_and_new_values(self, world, client_for, staff):
        client = client_for(staff)
        third = make_agency("Đoàn Thanh niên thử")
        client.post(
            url("assignment-create", world.plan.pk),
            {"village": world.unassigned_village.code, "agency": third.pk, "role": "supporting"},
        )
        client.post(
            url("assignment-create", world.plan.pk),
            {"village": world.unassigned_village.code, "agency": third.pk, "role": "lead"},
        )
        response = client.get(url("plan-history", world.plan.pk), HTTP_ACCEPT_LANGUAGE="en")
        latest = response.context["changes"][0]
        assert latest.who == staff
        assert latest.changes == [("role", "Supporting", "In charge")]
        assert "Supporting" in response.content.decode()

    def test_the_board_flags_villages_without_lead_or_team(self, world, client_for, staff):
        services.team_create(plan=world.plan, village=world.village, user=None)
        response = client_for(staff).get(url("board", world.plan.pk, query="?flagged=1"))
        flagged = {row.village for row in response.context["rows"]}
        assert world.unassigned_village in flagged
        assert world.village in flagged  # its team has no member yet


class TestQueryCounts:
    def _grow(self, world, count):
        for number in range(count):
            village = make_village(f"Thôn thêm {number}")
            agency = make_agency()
            assign(agency, village, world.plan)
            assign(world.other_agency, village, world.plan, role="supporting")
            world.plan.villages.add(village)
            team = services.team_create(plan=world.plan, village=village, user=None)
            services.team_member_add(
                team=team, full_name="A", role="leader", agency=agency, user=None
            )
            services.activity_record(
                plan=world.plan,
                agency=agency,
                village=village,
                held_on=datetime.date.today(),
                kind="survey",
                description="x",
                user=None,
            )
            raise_proposal(world, agency=agency, village=village, raised_on=datetime.date.today())

    @pytest.mark.parametrize("role, expected", [("staff", 18), ("liaison", 19)])
    def test_the_village_page_keeps_its_number_of_queries(
        self, world, client_for, staff, django_assert_num_queries, role, expected
    ):
        """Whatever the village holds, and without asking twice whether the user may change
        the village and for which agencies they record (its panels, villages/panels.py); for
        staff, who change every village, without asking at all."""
        client = client_for(staff if role == "staff" else world.liaison)
        address = reverse("villages:detail", args=[world.village.pk])
        client.get(address)  # warm the session and content types
        for _round in range(2):
            raise_proposal(world)
            services.activity_record(
                plan=world.plan,
                agency=world.agency,
                village=world.village,
                held_on=datetime.date.today(),
                kind="survey",
                description="x",
                user=None,
            )
            with django_assert_num_queries(expected):
                page = client.get(address).content.decode()
            assert "Nhập hoạt động" in page  # may record: the buttons are there

    @pytest.mark.parametrize(
        "name",
        [
            "board",
            "roster",
            "my-villages",
            "activity-list",
            "resource-list",
            "proposal-list",
            "model-list",
            "plan-list",
            "agency-list",
        ],
    )
    def test_list_pages_keep_a_constant_number_of_queries(
        self, world, client_for, staff, django_assert_max_num_queries, name
    ):
        client = client_for(staff)
        address = url(name, world.plan.pk) if name in ("board", "roster") else url(name)
        self._grow(world, 1)
        with django_assert_max_num_queries(100) as small:
            assert client.get(address).status_code == 200
        self._grow(world, 3)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(address).status_code == 200


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_years_are_written_without_a_thousands_dot(world, client_for, staff):
    client = client_for(staff)
    page = client.get(url("plan-list")).content.decode()
    assert "2022–2027" in page and "2.022" not in page
    page = client.get(url("activity-list", query="?year=2024")).content.decode()
    assert 'value="2024"' in page


def test_my_villages_shows_this_years_survey_and_what_it_still_needs(world, client_for, liaison):
    criteria_set = CriteriaSet.objects.order_by("pk").first()
    year = datetime.date.today().year
    second = make_village("Thôn Hai", commune_unit=world.village.commune, code="V4")
    third = make_village("Thôn Ba", commune_unit=world.village.commune, code="V5")
    for village in (second, third):
        assign(world.agency, village, world.plan)
        world.plan.villages.add(village)
    Survey.objects.create(village=second, year=year, criteria_set=criteria_set)  # a draft
    Survey.objects.create(
        village=third, year=year, criteria_set=criteria_set, status=Survey.Status.APPROVED
    )
    response = client_for(liaison).get(url("my-villages"), {"plan": world.plan.pk})
    due = {row.village.code: row.due for row in response.context["rows"]}
    assert "Điền phiếu khảo sát năm nay" in due["V1"]
    assert "Hoàn thành và gửi phiếu khảo sát năm nay" in due["V4"]
    assert not any("khảo sát" in item for item in due["V5"])
    page = response.content.decode()
    assert f'href="/criteria/villages/{second.pk}/{year}/"' in page
    assert "chưa bắt đầu" in page and "đã phê duyệt" in page


class TestCorrectingAnActivity:
    @pytest.fixture
    def recorded(self, world, client_for):
        client_for(world.liaison).post(
            url("activity-create", world.village.pk), activity_post(world)
        )
        return Activity.objects.get()

    def test_the_liaison_corrects_it_and_the_history_keeps_both_versions(
        self, world, client_for, recorded
    ):
        client = client_for(world.liaison)
        panel = client.get(url("village-work", world.village.pk)).content.decode()
        assert url("activity-edit", recorded.pk) in panel
        form = client.get(url("activity-edit", recorded.pk))
        assert form.context["form"]["version"].value() == 1
        response = client.post(
            url("activity-edit", recorded.pk),
            activity_post(world, people_reached="50", version="1"),
        )
        assert response.status_code == 302
        recorded.refresh_from_db()
        assert (recorded.people_reached, recorded.version) == (50, 2)
        history = recorded.history.order_by("history_id")
        assert [h.people_reached for h in history] == [45, 50]
        assert history.last().history_user == world.liaison

    def test_a_stale_correction_is_refused_and_changes_nothing(self, world, client_for, recorded):
        client = client_for(world.liaison)
        client.post(url("activity-edit", recorded.pk), activity_post(world, version="1"))
        stale = client.post(
            url("activity-edit", recorded.pk),
            activity_post(world, people_reached="99", version="1"),  # read before the save
        )
        assert stale.status_code == 409
        assert "Có người đã lưu bản ghi này" in stale.content.decode()
        recorded.refresh_from_db()
        assert (recorded.people_reached, recorded.version) == (45, 2)

    def test_others_may_not_correct_or_delete_it(self, world, client_for, viewer, recorded):
        other = client_for(world.other_liaison)
        assert other.get(url("activity-edit", recorded.pk)).status_code == 404
        assert other.post(url("activity-delete", recorded.pk), {"confirm": "1"}).status_code == 404
        officer = client_for(world.commune_officer)
        assert (
            officer.post(url("activity-delete", recorded.pk), {"confirm": "1"}).status_code == 403
        )
        assert client_for(viewer).get(url("activity-edit", recorded.pk)).status_code == 403
        assert Activity.objects.filter(pk=recorded.pk).exists()

    def test_another_agency_of_the_village_cannot_correct_it(self, world, client_for, recorded):
        assign(world.other_agency, world.village, world.plan, role="supporting")
        client = client_for(world.other_liaison)
        assert client.get(url("village-work", world.village.pk)).status_code == 200
        assert client.get(url("activity-edit", recorded.pk)).status_code == 403
        assert (
            url("activity-edit", recorded.pk)
            not in client.get(url("village-work", world.village.pk)).content.decode()
        )

    def test_deleting_needs_the_box_ticked_and_keeps_the_history(self, world, client_for, recorded):
        client = client_for(world.liaison)
        client.post(url("activity-delete", recorded.pk))
        assert Activity.objects.filter(pk=recorded.pk).exists()
        response = client.post(url("activity-delete", recorded.pk), {"confirm": "1"})
        assert response.status_code == 302
        assert not Activity.objects.filter(pk=recorded.pk).exists()
        assert Activity.history.filter(id=recorded.pk, history_type="-").exists()


def resource_post(world, **extra):
    data = {
        "agency": world.agency.pk,
        "source": ResourceSource.objects.order_by("position").first().pk,
        "kind": "cash",
        "amount": "1.250.000",
        "received_on": "2024-05-10",
        "contributor": "Doanh nghiệp A",
        "households_benefiting": "3",
        "description": "",
    }
    data.update(extra)
    return data


class TestCorrectingResources:
    @pytest.fixture
    def recorded(self, world, client_for):
        response = client_for(world.liaison).post(
            url("resource-create", world.village.pk), resource_post(world)
        )
        assert response.status_code == 302
        return Resource.objects.get()

    def test_the_list_offers_the_correction_and_the_history_keeps_the_old_amount(
        self, world, client_for, recorded
    ):
        client = client_for(world.liaison)
        listing = client.get(url("resource-list"), {"year": 2024}).content.decode()
        assert url("resource-edit", recorded.pk) in listing
        response = client.post(
            url("resource-edit", recorded.pk), resource_post(world, amount="2.500.000", version="1")
        )
        assert response.status_code == 302
        recorded.refresh_from_db()
        assert (recorded.amount, recorded.version) == (2_500_000, 2)
        assert [h.amount for h in recorded.history.order_by("history_id")] == [
            1_250_000,
            2_500_000,
        ]

    def test_a_stale_or_invalid_correction_changes_nothing(self, world, client_for, recorded):
        client = client_for(world.liaison)
        client.post(url("resource-edit", recorded.pk), resource_post(world, version="1"))
        stale = client.post(
            url("resource-edit", recorded.pk), resource_post(world, amount="9", version="1")
        )
        assert stale.status_code == 409
        future = client.post(
            url("resource-edit", recorded.pk),
            resource_post(world, received_on="2999-01-01", version="2"),
        )
        assert future.status_code == 400
        recorded.refresh_from_db()
        assert (recorded.amount, recorded.version) == (1_250_000, 2)

    def test_other_agencies_and_read_only_roles_see_no_link_and_get_refused(
        self, world, client_for, viewer, recorded
    ):
        listing = client_for(viewer).get(url("resource-list"), {"year": 2024}).content.decode()
        assert "1.250.000" in listing and url("resource-edit", recorded.pk) not in listing
        assert client_for(viewer).get(url("resource-edit", recorded.pk)).status_code == 403
        other = client_for(world.other_liaison)
        assert other.post(url("resource-delete", recorded.pk), {"confirm": "1"}).status_code == 404

    def test_an_ended_assignment_takes_the_link_away_with_the_right(
        self, world, client_for, recorded
    ):
        """The list offers "Correct" only where the correction page accepts it: once the
        agency's assignment to the village has ended, neither is offered."""
        client = client_for(world.liaison)
        recorded.plan.assignments.filter(agency=recorded.agency, village=recorded.village).update(
            end_date=datetime.date(2020, 1, 1)
        )
        listing = client.get(url("resource-list"), {"year": 2024}).content.decode()
        assert "1.250.000" in listing and url("resource-edit", recorded.pk) not in listing
        assert client.get(url("resource-edit", recorded.pk)).status_code == 403

    def test_deleting_it_takes_it_out_of_the_totals(self, world, client_for, staff, recorded):
        client = client_for(staff)
        assert (
            url("resource-edit", recorded.pk)
            in client.get(url("resource-list"), {"year": 2024}).content.decode()
        )
        response = client.post(url("resource-delete", recorded.pk), {"confirm": "1"})
        assert response.status_code == 302
        assert Resource.objects.totals()["money"] == 0
        assert Resource.history.filter(id=recorded.pk, history_type="-").exists()


class TestCorrectingAModel:
    def post(self, model, **changes):
        data = {name: getattr(model, name) for name in DvkModel.FACT_FIELDS}
        data.update(agency=model.agency_id, field=model.field, kind=model.kind, name=model.name)
        data.update(changes)
        return data

    def test_the_agency_corrects_the_registration_and_a_stale_save_is_refused(
        self, world, client_for
    ):
        model = make_dvk_model(world.plan, world.agency, world.village)
        client = client_for(world.liaison)
        detail = client.get(url("model-detail", model.pk)).content.decode()
        assert url("model-edit", model.pk) in detail
        response = client.post(
            url("model-edit", model.pk), self.post(model, name="Vườn mẫu", version=1)
        )
        assert response.url == url("model-detail", model.pk)
        model.refresh_from_db()
        assert (model.name, model.version) == ("Vườn mẫu", 2)
        assert model.history.count() == 2
        stale = client.post(url("model-edit", model.pk), self.post(model, name="Khác", version=1))
        assert stale.status_code == 409
        model.refresh_from_db()
        assert model.name == "Vườn mẫu"

    def test_others_see_no_correction_and_are_refused(self, world, client_for, viewer):
        model = make_dvk_model(world.plan, world.agency, world.village)
        viewer_client = client_for(viewer)
        assert (
            url("model-edit", model.pk)
            not in viewer_client.get(url("model-detail", model.pk)).content.decode()
        )
        assert viewer_client.get(url("model-edit", model.pk)).status_code == 403
        assert client_for(world.other_liaison).get(url("model-edit", model.pk)).status_code == 404


def test_the_photo_help_text_names_the_bound_the_service_checks(world, client_for, monkeypatch):
    client = client_for(world.liaison)
    page = client.get(url("activity-create", world.village.pk)).content.decode()
    assert "JPEG hoặc PNG, mỗi ảnh tối đa 8 MB." in page
    monkeypatch.setattr(bounds, "PHOTO_BYTES", 3 * bounds.MB)
    page = client.get(url("activity-create", world.village.pk)).content.decode()
    assert "mỗi ảnh tối đa 3 MB." in page
