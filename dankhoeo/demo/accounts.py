"""Demo accounts, one per role. Every demo record says it is demo data."""

from dataclasses import dataclass

from django.db import transaction

from dankhoeo.models import User

DEMO_PASSWORD = "demo-dankhoeo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin", User.Role.STAFF, "Quản trị", "(demo)", superuser=True),
    DemoAccount("tinh.demo", User.Role.STAFF, "Cán bộ tỉnh", "(demo)"),
    DemoAccount("daumoi.demo", User.Role.LIAISON, "Cán bộ đầu mối", "(demo)"),
    DemoAccount("xa.demo", User.Role.COMMUNE, "Cán bộ xã", "(demo)"),
    DemoAccount("lanhdao.demo", User.Role.VIEWER, "Lãnh đạo", "(demo)"),
]


@transaction.atomic
def seed_accounts() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that are missing; leave existing ones exactly as they are."""
    results = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "role": account.role,
                "first_name": account.first_name,
                "last_name": account.last_name,
                "is_superuser": account.superuser,
                "is_staff": account.superuser,
                "email": f"{account.username}@demo.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        results.append((account, created))
    return results
