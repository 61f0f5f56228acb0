"""Issue 11's last check: no permission decision outside the access policy but the calls to
it. A role or superuser test in a module outside ``dankhoeo/access`` is a decision taken
elsewhere; the few left are listed below, each with why it is not a "who may" (or why it cannot
ask the policy)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["dankhoeo", "villages", "criteria", "assignments", "reports"]
# a user's role read (not an assignment's or a team member's), or the superuser flag
DECISION = re.compile(
    r"\b(?:user|actor|account|owner)\.role\b|User\.Role\.[A-Z]+|is_superuser\b"
    r"|is_provincial_staff\b"
)

# module: why its role tests are not a permission decision
ALLOWED = {
    # where the roles and the rule of each are defined
    "dankhoeo/models.py": "the User model defines the roles (is_provincial_staff)",
    "dankhoeo/admin.py": "the admin's list columns and filters show the role",
    "dankhoeo/adminsite.py": "Django's admin gate (base module, loaded before the apps): "
    "superusers only, the same answer as access.can_administer (tested)",
    # data rules: which role may hold which place, not who may act
    "dankhoeo/accounts.py": "a liaison needs an agency and a commune officer a commune; a role "
    "change must fit the memberships",
    "assignments/services/plans.py": "only a liaison belongs to an agency, only a commune "
    "officer to a commune",
    "assignments/forms.py": "the membership form lists the accounts that can hold one",
    # duties, not rights
    "criteria/reminders.py": "who is reminded of a deadline (liaisons and commune officers)",
}


def modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith("dankhoeo/access/"):
                continue
            if "/demo/" in relative or "/management/" in relative:
                continue  # demo data and operator commands act as the system (user=None)
            yield relative, path.read_text()


def test_role_tests_live_in_the_access_policy():
    found = sorted(
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group()}"
        for name, text in modules()
        if name not in ALLOWED
        for match in DECISION.finditer(text)
    )
    assert found == []


def test_every_exception_still_exists():
    """An exception whose module no longer tests a role is removed from the list."""
    texts = dict(modules())
    assert [name for name in ALLOWED if not DECISION.search(texts.get(name, ""))] == []
