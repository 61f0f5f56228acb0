from io import StringIO

from django.core.management import call_command

from dankhoeo.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from dankhoeo.models import User


class TestAfterSeedDemo:
    """Each test starts where one run of seed_demo on a fresh database left it (``demo_data``,
    run once for the class, is what it printed)."""

    def test_it_creates_one_account_per_role_and_prints_how_to_log_in(self, demo_data, db):
        roles = set(User.objects.values_list("role", flat=True))
        assert roles == {"staff", "liaison", "commune", "viewer"}
        assert User.objects.filter(is_superuser=True).count() == 1
        for account in DEMO_ACCOUNTS:
            assert account.username in demo_data
            assert User.objects.get(username=account.username).check_password(DEMO_PASSWORD)
        assert DEMO_PASSWORD in demo_data

    def test_running_it_twice_changes_nothing(self, demo_data, db):
        before = list(User.objects.order_by("pk").values())
        out = StringIO()
        call_command("seed_demo", stdout=out)
        assert list(User.objects.order_by("pk").values()) == before
        assert "0 created" in out.getvalue()

    def test_it_keeps_a_password_someone_changed(self, demo_data, db):
        user = User.objects.get(username="tinh.demo")
        user.set_password("changed-by-the-owner-1")
        user.save()
        call_command("seed_demo", stdout=StringIO())
        user.refresh_from_db()
        assert user.check_password("changed-by-the-owner-1")
