"""Personas shared by every test: one user per role, plus an anonymous client."""

import pytest

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


def pytest_collection_modifyitems(items):
    """Transactional tests (the browser tests) end by emptying every table, including the
    reference data that data migrations load (administrative units, criteria sets, customs).
    Serialized rollback puts that data back before each of them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            item.add_marker(
                pytest.mark.django_db(**marker.kwargs, serialized_rollback=True), append=False
            )
