"""Personas shared by every test: one user per role, plus an anonymous client."""

import importlib

import pytest
from django.apps import apps

from dankhoeo.models import User

PASSWORD = "a-long-test-password-42"


def make_user(username: str, role: str, **extra) -> User:
    user = User(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    return make_user("staff", User.Role.STAFF, first_name="Cán bộ", last_name="Tỉnh")


@pytest.fixture
def liaison(db):
    return make_user("liaison", User.Role.LIAISON)


@pytest.fixture
def commune_officer(db):
    return make_user("commune", User.Role.COMMUNE)


@pytest.fixture
def viewer(db):
    return make_user("viewer", User.Role.VIEWER)


@pytest.fixture
def superuser(db):
    return make_user("root", User.Role.STAFF, is_superuser=True, is_staff=True)


@pytest.fixture
def client_for(client):
    """Log a persona in: ``client_for(staff).get(...)``."""

    def login(user: User):
        client.force_login(user)
        return client

    return login


# The reference data that data migrations load: (migration module, a model it fills).
REFERENCE_DATA = [
    ("villages.migrations.0002_load_admin_units", "villages.AdminUnit"),
    ("criteria.migrations.0003_load_criteria_sets", "criteria.CriteriaSet"),
    ("assignments.migrations.0003_load_customs_and_sources", "assignments.OutdatedCustom"),
]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (the browser tests) end by emptying every table, including what the
    data migrations loaded; put it back before each of them. (Serialized rollback cannot do it
    here: Playwright's event loop gives the tests other connection objects than the ones the
    test database was serialized on.)"""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    for module, model in REFERENCE_DATA:
        if not apps.get_model(model).objects.exists():
            importlib.import_module(module).load(apps, None)
