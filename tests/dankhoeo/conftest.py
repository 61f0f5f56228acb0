"""Fixtures shared by the import tests of dankhoeo/ (the one import flow, its queue)."""

import pytest
from django.utils import translation


@pytest.fixture
def world_for_assignments(db, settings):
    from tests import factories as f
    from tests.assignments.test_import import workbook

    settings.LANGUAGE_CODE = "vi"
    plan = f.make_plan()
    f.make_village("Thôn Một", code="M1")
    f.make_village("Thôn Hai", code="M2")
    f.make_agency("Sở Một", code="SM")
    rows = [[code, "", "", "SM", "", "", "", ""] for code in ("M1", "M2")]
    with translation.override("vi"):
        return plan, workbook(rows)
