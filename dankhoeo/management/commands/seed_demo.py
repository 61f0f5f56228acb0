from django.core.management.base import BaseCommand

from dankhoeo.demo import accounts as demo
from dankhoeo.demo import assignments as assignments_demo
from dankhoeo.demo import criteria as criteria_demo
from dankhoeo.demo import villages as villages_demo


class Command(BaseCommand):
    help = "Load the demo data and one demo account per role. Running it again changes nothing."

    def handle(self, *args, **options):
        accounts = demo.seed_accounts()
        created = sum(1 for _, was_created in accounts if was_created)
        self.stdout.write(f"Demo accounts: {created} created, {len(accounts) - created} kept.")
        villages = villages_demo.seed()
        self.stdout.write(
            f"Demo villages (marked as demo data): {villages.created} created, "
            f"{villages.kept} kept."
        )
        work = assignments_demo.seed()
        self.stdout.write(
            "Demo plan, agencies and assignments (marked as demo data): "
            + (
                "skipped, no demo village."
                if work.skipped
                else f"{work.created} created, {work.kept} kept."
            )
        )
        surveys = criteria_demo.seed()  # after the villages and assignments steps
        self.stdout.write(
            f"Demo surveys (marked as demo data): {surveys.created} created, {surveys.kept} kept."
        )
        self.stdout.write("")
        self.stdout.write("Log in at http://127.0.0.1:8000/ with one of these demo accounts:")
        for account, _ in accounts:
            self.stdout.write(f"  {account.username:<14} role: {account.role:<8}")
        self.stdout.write(f"  password for every demo account: {demo.DEMO_PASSWORD}")
        self.stdout.write("  (accounts that existed before keep the password they had)")
