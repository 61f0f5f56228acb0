import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation

from assignments import services
from assignments.models import (
    Activity,
    Assignment,
    DvkModel,
    OutdatedCustom,
    Plan,
    Proposal,
    Resource,
    ResourceSource,
    SupportTeam,
    TeamMember,
)
from criteria.models import CriteriaSet
from dankhoeo.errors import Refused
from tests.assignments.conftest import raise_proposal
from tests.factories import PNG, commune, make_agency, make_village

DAY = datetime.date(2024, 5, 10)


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English, the language of the message ids."""
    with translation.override("en"):
        yield


def record(world, **extra):
    values = {
        "plan": world.plan,
        "agency": world.agency,
        "village": world.village,
        "source": world.source,
        "kind": Resource.Kind.CASH,
        "amount": 1_000_000,
        "received_on": DAY,
    }
    values.update(extra)
    return services.resource_record(**values, user=None)


class TestReferenceData:
    def test_the_fourteen_customs_and_the_resource_sources_are_loaded(self, db):
        assert OutdatedCustom.objects.count() == 14
        assert OutdatedCustom.objects.filter(kind="harmful").count() == 6
        assert OutdatedCustom.objects.get(number=6).name == "Tảo hôn"
        assert ResourceSource.objects.count() == 7
        assert ResourceSource.objects.first().name == "Ngân sách nhà nước"


class TestSupportTeams:
    def test_a_village_has_one_team_per_plan(self, world):
        services.team_create(plan=world.plan, village=world.village, user=None)
        with pytest.raises(Refused, match="already has a support team"):
            services.team_create(plan=world.plan, village=world.village, user=None)
        assert SupportTeam.objects.count() == 1

    def test_the_database_refuses_a_second_team_too(self, world):
        SupportTeam.objects.create(plan=world.plan, village=world.village)
        with pytest.raises(IntegrityError), transaction.atomic():
            SupportTeam.objects.create(plan=world.plan, village=world.village)

    def test_a_team_has_one_leader(self, world):
        team = services.team_create(plan=world.plan, village=world.village, user=None)
        services.team_member_add(team=team, full_name="A Nhoong", role="leader", user=None)
        with pytest.raises(Refused, match="already has a leader"):
            services.team_member_add(team=team, full_name="Y Hoa", role="leader", user=None)
        services.team_member_add(
            team=team, full_name="Y Hoa", role="member", agency=world.agency, user=None
        )
        assert list(team.members.values_list("role", flat=True)) == ["leader", "member"]

    def test_a_successor_plan_gets_its_own_team(self, world):
        services.team_create(plan=world.plan, village=world.village, user=None)
        later = Plan.objects.create(
            number="01-KH/TU",
            title="Kế hoạch sau",
            issuer="Tỉnh ủy",
            period_start=2026,
            period_end=2030,
        )
        services.team_create(plan=later, village=world.village, user=None)
        assert SupportTeam.objects.filter(village=world.village).count() == 2


class TestAssignments:
    def test_a_village_has_one_lead_agency(self, world):
        third = make_agency("Cơ quan thứ ba")
        with pytest.raises(Refused, match="already has a lead agency"):
            services.assignment_set(
                plan=world.plan, village=world.village, agency=third, role="lead", user=None
            )
        assert not Assignment.objects.filter(agency=third).exists()
        services.assignment_set(
            plan=world.plan, village=world.village, agency=third, role="supporting", user=None
        )
        assert Assignment.objects.filter(village=world.village).count() == 2

    def test_an_assignment_outside_the_plan_period_is_refused(self, world):
        with pytest.raises(Refused, match="outside the period"):
            services.assignment_set(
                plan=world.plan,
                village=world.unassigned_village,
                agency=world.agency,
                role="lead",
                start_date=datetime.date(2019, 1, 1),
                user=None,
            )
        assert not Assignment.objects.filter(village=world.unassigned_village).exists()

    def test_changes_are_kept_in_the_history(self, world, staff):
        assignment = Assignment.objects.get(village=world.village)
        services.assignment_set(
            plan=world.plan,
            village=world.village,
            agency=world.agency,
            role="supporting",
            user=None,
        )
        assert [h.role for h in assignment.history.order_by("history_date")] == [
            "lead",
            "supporting",
        ]

    def test_a_successor_plan_fits_without_code_changes(self, world):
        new_set = CriteriaSet.objects.create(
            code="VN51",
            name="Bộ tiêu chí 2026-2030",
            legal_basis="Quyết định 51/2025/QĐ-TTg",
            scope="commune",
            period_start=2026,
            period_end=2030,
        )
        later = Plan.objects.create(
            number="05-KH/TU",
            title="Kế hoạch giai đoạn 2026-2030",
            issuer="Tỉnh ủy Quảng Ngãi",
            period_start=2026,
            period_end=2030,
            criteria_set=new_set,
        )
        new_commune = commune("23416", after_reform=True)
        village = make_village("Thôn mới", commune_unit=new_commune)
        services.assignment_set(
            plan=later,
            village=village,
            agency=world.agency,
            role="lead",
            start_date=datetime.date(2026, 1, 15),
            user=None,
        )
        activity = services.activity_record(
            plan=later,
            agency=world.agency,
            village=village,
            held_on=datetime.date(2026, 2, 1),
            kind="survey",
            description="Khảo sát",
            user=None,
        )
        assert activity.plan == later
        assert list(later.villages.all()) == [village]
        # the old plan is not touched
        assert not world.plan.villages.filter(pk=village.pk).exists()


class TestResources:
    def test_totals_by_agency_village_source_and_year_are_exact(self, world):
        other_source = ResourceSource.objects.get(key="cong_dong")
        record(world, amount=1_250_000)
        record(world, kind="goods", amount=3_000_000, source=other_source, households_benefiting=4)
        record(world, kind="work_days", amount=120, received_on=datetime.date(2023, 6, 1))
        record(world, agency=world.other_agency, village=world.other_village, amount=500_000_000)
        all_rows = Resource.objects.all()
        assert all_rows.totals() == {
            "cash": 501_250_000,
            "goods": 3_000_000,
            "work_days": 120,
            "households": 4,
            "money": 504_250_000,
        }
        by_agency = {row["label"]: row for row in all_rows.totals_by("agency")}
        assert by_agency["Sở Thử Nghiệm"]["money"] == 4_250_000
        assert by_agency["Sở Thử Nghiệm"]["work_days"] == 120
        assert by_agency["Ban Khác"]["cash"] == 500_000_000
        by_year = {row["key"]: row["money"] for row in all_rows.totals_by("year")}
        assert by_year == {2023: 0, 2024: 504_250_000}
        by_source = {row["label"]: row["goods"] for row in all_rows.totals_by("source")}
        assert by_source == {"Doanh nghiệp": 0, "Cộng đồng dân cư": 3_000_000}
        by_village = {row["label"]: row["cash"] for row in all_rows.totals_by("village")}
        assert by_village == {"Làng Kon Hia": 1_250_000, "Thôn Đăk Xú": 500_000_000}
        assert all_rows.in_year(2023).totals()["money"] == 0
        for group in ("agency", "village", "source", "year"):
            assert all_rows.add_up(all_rows.totals_by(group)) == all_rows.totals()
        for year in (2023, 2024, 2025):  # the village page's two totals, in one query
            expected = {"all": all_rows.totals(), "year": all_rows.in_year(year).totals()}
            assert all_rows.totals_with_year(year) == expected

    def test_totals_by_criterion(self, world):
        from criteria.models import Criterion

        criteria_set = CriteriaSet.objects.first()
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, number=99, name="Giao thông"
        )
        record(world, amount=2_000_000, criterion=criterion)
        record(world, amount=1_000_000)
        rows = {row["label"]: row["cash"] for row in Resource.objects.totals_by("criterion")}
        assert rows == {"Giao thông": 2_000_000, None: 1_000_000}

    @pytest.mark.parametrize("amount", [0, -5, 2.5])
    def test_a_negative_zero_or_fractional_amount_is_refused(self, world, amount):
        with pytest.raises(Refused, match="whole number greater than zero"):
            record(world, amount=amount)
        assert not Resource.objects.exists()

    def test_the_database_refuses_a_negative_amount_too(self, world):
        with pytest.raises(IntegrityError), transaction.atomic():
            Resource.objects.create(
                plan=world.plan,
                agency=world.agency,
                village=world.village,
                source=world.source,
                kind="cash",
                amount=-1,
                received_on=DAY,
            )

    def test_an_agency_records_only_for_its_assigned_villages(self, world):
        with pytest.raises(Refused, match="is not assigned"):
            record(world, village=world.other_village)
        assert not Resource.objects.exists()


class TestActivities:
    def test_customs_are_linked_to_a_campaign_against_customs(self, world):
        customs = OutdatedCustom.objects.filter(number__in=[5, 6])
        activity = services.activity_record(
            plan=world.plan,
            agency=world.agency,
            village=world.village,
            held_on=DAY,
            kind="customs",
            description="Tuyên truyền chống tảo hôn",
            people_reached=80,
            customs=customs,
            user=None,
        )
        assert set(activity.customs.values_list("number", flat=True)) == {5, 6}

    def test_customs_on_another_kind_of_activity_are_refused(self, world):
        with pytest.raises(Refused, match="Outdated customs"):
            services.activity_record(
                plan=world.plan,
                agency=world.agency,
                village=world.village,
                held_on=DAY,
                kind="hygiene",
                description="Vệ sinh",
                customs=OutdatedCustom.objects.all()[:1],
                user=None,
            )
        assert not Activity.objects.exists()

    def test_a_date_in_the_future_is_refused(self, world):
        with pytest.raises(Refused, match="future"):
            services.activity_record(
                plan=world.plan,
                agency=world.agency,
                village=world.village,
                held_on=datetime.date.today() + datetime.timedelta(days=3),
                kind="survey",
                description="x",
                user=None,
            )

    def test_a_refused_photo_leaves_no_file_of_its_siblings(self, world, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        good = SimpleUploadedFile("good.png", PNG)
        bad = SimpleUploadedFile("bad.png", PNG + b"<script>alert(1)</script>")
        with pytest.raises(Refused, match=r"bad\.png"):
            services.activity_record(
                plan=world.plan,
                agency=world.agency,
                village=world.village,
                held_on=DAY,
                kind="survey",
                description="Khảo sát",
                photos=[good, bad],
                user=None,
            )
        assert not Activity.objects.exists()
        assert [path for path in tmp_path.rglob("*") if path.is_file()] == []

    def test_photos_of_a_saved_activity_stay(self, world, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        activity = services.activity_record(
            plan=world.plan,
            agency=world.agency,
            village=world.village,
            held_on=DAY,
            kind="survey",
            description="Khảo sát",
            photos=[SimpleUploadedFile("good.png", PNG)],
            user=None,
        )
        assert (tmp_path / activity.photos.get().file.name).read_bytes() == PNG


class TestProposals:
    def test_it_moves_along_the_status_flow(self, world):
        proposal = raise_proposal(world)
        services.proposal_transition(proposal=proposal, action="forward", user=None)
        services.proposal_transition(
            proposal=proposal, action="start", due_on=datetime.date(2024, 6, 30), user=None
        )
        services.proposal_transition(
            proposal=proposal,
            action="resolve",
            answer="Đã sửa xong.",
            on=datetime.date(2025, 2, 1),
            user=None,
        )
        proposal.refresh_from_db()
        assert proposal.status == "resolved"
        assert proposal.closed_on == datetime.date(2025, 2, 1)
        assert proposal.due_on == datetime.date(2024, 6, 30)
        assert proposal.history.count() == 4

    @pytest.mark.parametrize(
        ("status", "action"),
        [
            ("open", "resolve"),
            ("resolved", "forward"),
            ("declined", "start"),
            ("forwarded", "forward"),
        ],
    )
    def test_a_refused_transition_leaves_the_proposal_unchanged(self, world, status, action):
        proposal = raise_proposal(world)
        closed = status in ("resolved", "declined")
        Proposal.objects.filter(pk=proposal.pk).update(
            status=status, closed_on=DAY if closed else None
        )
        before = Proposal.objects.values().get(pk=proposal.pk)
        with pytest.raises(Refused, match="cannot become"):
            services.proposal_transition(proposal=proposal, action=action, answer="x", user=None)
        assert Proposal.objects.values().get(pk=proposal.pk) == before

    def test_closing_needs_an_answer(self, world):
        proposal = raise_proposal(world)
        with pytest.raises(Refused, match="Write the answer"):
            services.proposal_transition(
                proposal=proposal, action="decline", answer="  ", user=None
            )
        proposal.refresh_from_db()
        assert proposal.status == "open"

    def test_an_open_proposal_is_carried_into_later_years_until_closed(self, world):
        carried = raise_proposal(world, title="mở từ 2023", raised_on=datetime.date(2023, 4, 1))
        closed = raise_proposal(world, title="đóng 2024", raised_on=datetime.date(2023, 5, 1))
        services.proposal_transition(
            proposal=closed,
            action="decline",
            answer="Không thuộc thẩm quyền",
            on=datetime.date(2024, 3, 1),
            user=None,
        )
        this_year = raise_proposal(world, title="2025", raised_on=datetime.date(2025, 1, 2))
        titles = lambda year: set(Proposal.objects.for_year(year).values_list("title", flat=True))  # noqa: E731
        assert titles(2023) == {"mở từ 2023", "đóng 2024"}
        assert titles(2024) == {"mở từ 2023", "đóng 2024"}
        assert titles(2025) == {"mở từ 2023", "2025"}
        assert carried.raised_on.year == 2023 and this_year.is_open

    def test_a_proposal_to_an_agency_names_the_agency(self, world):
        with pytest.raises(Refused, match="Choose the agency"):
            raise_proposal(world, addressed_to="agency")
        proposal = raise_proposal(world, addressed_to="agency", addressed_agency=world.other_agency)
        assert proposal.addressee_label == "Ban Khác"


class TestDvkModels:
    FACTS = {
        "name": "Mô hình nuôi bò sinh sản",
        "situation": "s",
        "goals": "g",
        "content": "c",
        "area": "a",
        "forces": "f",
        "resources": "r",
        "timeline": "t",
        "outputs": "o",
        "sustainability": "b",
        "field": "economy",
    }

    def test_the_lifecycle_goes_step_by_step_and_commending_needs_an_evaluation(self, world):
        model = services.dvk_register(
            plan=world.plan, agency=world.agency, village=world.village, facts=self.FACTS, user=None
        )
        with pytest.raises(Refused, match="cannot become"):
            services.dvk_advance(model=model, to="monitored", user=None)
        services.dvk_advance(model=model, to="launched", user=None)
        services.dvk_advance(model=model, to="monitored", user=None)
        with pytest.raises(Refused, match="Evaluate the model"):
            services.dvk_advance(model=model, to="commended", user=None)
        model.refresh_from_db()
        assert model.stage == "monitored"
        services.dvk_evaluate(
            model=model,
            standards=[True, True, False, True, True],
            evaluation="Tốt",
            on=DAY,
            user=None,
        )
        services.dvk_advance(model=model, to="commended", user=None)
        model.refresh_from_db()
        assert (model.stage, model.standards_met) == ("commended", 4)
        assert model.standards[0][0] == DvkModel.STANDARDS["collective"][0]

    def test_a_registration_needs_its_ten_facts(self, world):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.dvk_register(
                plan=world.plan,
                agency=world.agency,
                village=world.village,
                facts={**self.FACTS, "goals": ""},
                user=None,
            )
        assert not DvkModel.objects.exists()


class TestMemberships:
    def test_only_liaisons_join_agencies_and_only_commune_officers_join_communes(
        self, world, viewer
    ):
        with pytest.raises(Refused, match="Only agency liaisons"):
            services.membership_add(user=viewer, agency=world.agency, actor=None)
        with pytest.raises(Refused, match="Only commune officers"):
            services.membership_add(user=world.liaison, commune=commune("23416"), actor=None)
        with pytest.raises(Refused, match="already belongs"):
            services.membership_add(user=world.liaison, agency=world.agency, actor=None)

    def test_team_members_are_kept_in_the_history(self, world):
        team = services.team_create(plan=world.plan, village=world.village, user=None)
        member = services.team_member_add(team=team, full_name="A Blông", role="member", user=None)
        services.team_member_remove(member=member, user=None)
        assert [h.history_type for h in TeamMember.history.order_by("history_date")] == ["+", "-"]
