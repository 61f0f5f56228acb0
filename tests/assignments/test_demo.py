from assignments.models import (
    Activity,
    Agency,
    Assignment,
    DvkModel,
    Membership,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
    TeamMember,
)
from dankhoeo.demo import assignments as demo
from dankhoeo.models import User
from tests.factories import make_village


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Plan,
            Agency,
            Assignment,
            SupportTeam,
            TeamMember,
            Activity,
            Resource,
            Proposal,
            DvkModel,
            Membership,
        )
    ]


def test_it_skips_gracefully_without_demo_villages(db):
    assert demo.seed().skipped
    assert not Plan.objects.exists()


def test_it_fills_the_demo_plan_and_running_it_twice_changes_nothing(db):
    for number in range(20):
        make_village(f"Thôn minh họa {number}", is_demo=True)
    liaison = User.objects.create(username="daumoi.demo", role=User.Role.LIAISON)
    demo.seed()
    plan = Plan.objects.get(number="133-KH/TU")
    assert plan.is_demo and plan.issued_on is None
    assert plan.villages.count() == 20
    assert all(agency.is_demo for agency in Agency.objects.all())
    assert Agency.objects.filter(name__startswith="Cơ quan minh họa").count() == 12
    leads = Assignment.objects.filter(plan=plan, role="lead").count()
    assert 0 < leads < 20  # some villages are left without a lead to show the flags
    assert 0 < SupportTeam.objects.count() < 20
    assert Activity.objects.filter(is_demo=True).exists()
    assert Resource.objects.filter(is_demo=True).exists()
    assert set(Proposal.objects.values_list("status", flat=True)) >= {"open", "resolved"}
    assert DvkModel.objects.filter(stage="commended").exists()
    assert Membership.objects.get(user=liaison).agency.code == "DEMO-CQ01"
    before = snapshot()
    demo.seed()
    assert snapshot() == before
