"""The form fuzz of the criteria app's URLs (see tests/test_form_fuzz.py)."""

import pytest

from tests.form_fuzz import fuzz_row, pages, targets  # noqa: F401  (pages is a fixture)
from tests.test_permission_matrix import world  # noqa: F401  (world is a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", targets("criteria"))
def test_no_malformed_form_is_a_server_error(world, pages, name):  # noqa: F811
    failures = fuzz_row(world, pages, name)
    assert not failures, name + "\n" + "\n".join(failures)
