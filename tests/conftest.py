"""Personas shared by every test: one user per role, plus an anonymous client; and how the
suite runs on several processes (pytest-xdist, see the Makefile): one test database per
process, cloned from one migrated template, its own media folder, and a database left after
each test as the migrations made it, whatever ran before."""

import fcntl
import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from dankhoeo.models import User

PASSWORD = "a-long-test-password-42"


def make_user(username: str, role: str, **extra) -> User:
    user = User(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True, scope="session")
def _test_settings(tmp_path_factory):
    """For the whole session (module-scoped worlds included): a fast password hasher, and
    uploads in this process's own temporary folder rather than the checkout's media/, which
    processes running side by side would share. A test may still set its own MEDIA_ROOT."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    ):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (Vietnamese): a request in English activates
    English for the thread, and without this the next test on the same process would run in it."""
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _static_files_read_once():
    """WhiteNoise reads every collected static file (about 1,300) when a middleware chain is
    built: once per process in production, but the test client builds one per Client, so once
    per test (a fifth of a second each). Keep what it read, per static settings, and give it to
    every later chain: the same files, headers and responses, read once."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    read = {}
    original = WhiteNoiseMiddleware.update_files_dictionary

    def update_files_dictionary(self, root, prefix):
        key = (root, prefix, *_static_settings())
        if key not in read:
            before = dict(self.files)
            original(self, root, prefix)
            read[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        self.files.update(read[key])

    WhiteNoiseMiddleware.update_files_dictionary = update_files_dictionary
    yield
    WhiteNoiseMiddleware.update_files_dictionary = original


def _static_settings() -> tuple:
    names = ["DEBUG", "STATIC_URL", "STATIC_ROOT", "FORCE_SCRIPT_NAME", "STORAGES"]
    names += sorted(n for n in dir(django_settings) if n.startswith("WHITENOISE_"))
    return tuple(repr(getattr(django_settings, name, None)) for name in names)


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


@pytest.fixture(scope="class")
def demo_data(django_db_setup, django_db_blocker) -> str:
    """The demo data (seed_demo) loaded once on the fresh database for a test class, in a
    transaction rolled back after the last of its tests (a plain test function gets its own);
    each test needs ``db`` as usual and runs in a savepoint inside it, so what one test changes
    the next does not see. Returns what seed_demo printed."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


# The reference data that data migrations load: (migration module, a model it fills).
REFERENCE_DATA = [
    ("villages.migrations.0002_load_admin_units", "villages.AdminUnit"),
    ("criteria.migrations.0003_load_criteria_sets", "criteria.CriteriaSet"),
    ("assignments.migrations.0003_load_customs_and_sources", "assignments.OutdatedCustom"),
]


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
    tmp_path_factory,
):
    """pytest-django's test database, except on several processes over PostgreSQL: there the
    first process migrates a template database once and every process (test_<name>_gw0, …)
    starts from a copy of it (CREATE DATABASE … TEMPLATE), instead of each running the
    migrations again. The last process to finish drops the template."""
    from django.db import connections

    worker = getattr(request.config, "workerinput", None)
    keepdb = django_db_keepdb and not django_db_createdb
    cloned = (
        worker is not None
        and worker["workercount"] > 1
        and django_db_use_migrations
        and not keepdb
        and set(connections) == {"default"}
        and connections["default"].vendor == "postgresql"
    )
    if not cloned:
        yield request.getfixturevalue("django_db_setup")  # pytest-django's own
        return

    connection = connections["default"]
    name = connection.settings_dict["NAME"]
    test_name = connection.settings_dict["TEST"]["NAME"]  # test_<name>_gwN (pytest-django)
    template = test_name.removesuffix("_" + worker["workerid"]) + "_template"
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, shared by its processes
    with django_db_blocker.unblock():
        with _locked(shared / "test-database.lock"):
            if not (shared / "test-database.ready").exists():
                connection.settings_dict["TEST"]["NAME"] = template
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                connection.close()
                connection.settings_dict["TEST"]["NAME"] = test_name
                (shared / "test-database.ready").touch()
            connection.settings_dict["NAME"] = name
            quote = connection.ops.quote_name
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
                cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
        connection.settings_dict["NAME"] = django_settings.DATABASES["default"]["NAME"] = test_name
        connection.close()
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(old_database_name=name, verbosity=0)
        with _locked(shared / "test-database.lock"):
            done = shared / "test-database.done"
            finished = int(done.read_text() or 0) + 1 if done.exists() else 1
            done.write_text(str(finished))
            if finished == worker["workercount"]:
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")


class _locked:
    """An exclusive lock on a file, held by one process of the run at a time."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.file = self.path.open("a")
        fcntl.flock(self.file, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


_DB_BLOCKER = pytest.StashKey()


@pytest.fixture(autouse=True, scope="session")
def _keep_db_blocker(request, django_db_blocker):
    request.config.stash[_DB_BLOCKER] = django_db_blocker


def _is_transactional(item) -> bool:
    """pytest-django's own reading: a django_db(transaction=True) mark, or the fixtures."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


_EMPTIED = pytest.StashKey()


def pytest_runtest_teardown(item, nextitem):
    if _is_transactional(item):
        item.config.stash[_EMPTIED] = True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A transactional test (the browser tests, a few others) ends by emptying every table,
    reference data included, and leaves the cache table (not a model) as it was: before the
    next test, whichever it is, load the reference data again and empty the cache, so that it
    finds the database as the migrations made it. (Serialized rollback cannot do it here:
    Playwright's event loop gives the tests other connection objects than the ones the test
    database was serialized on.)"""
    if not item.config.stash.get(_EMPTIED, False):
        return
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    with item.config.stash[_DB_BLOCKER].unblock():
        for module, model in REFERENCE_DATA:
            if not apps.get_model(model).objects.exists():
                importlib.import_module(module).load(apps, None)
        for cache in caches.all():
            if isinstance(cache, DatabaseCache):
                cache.clear()
    item.config.stash[_EMPTIED] = False


def pytest_collection_modifyitems(config, items):
    """Browser tests run in their own serial pytest run (`make test` runs tests/browser/ apart
    from the rest, which runs on several processes): one marked elsewhere is a mistake."""
    browser = Path(__file__).parent / "browser"
    astray = [
        i.nodeid for i in items if i.get_closest_marker("browser") and browser not in i.path.parents
    ]
    if astray:
        raise pytest.UsageError(f"browser tests belong in tests/browser/: {', '.join(astray)}")
