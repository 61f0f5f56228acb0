"""dankhoeo.errors: a refused change, and the one way a view shows it."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from dankhoeo.errors import Refused, show_refusal


class YearForm(forms.Form):
    year = forms.IntegerField()


def page_request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_is_a_validation_error_that_names_its_cells():
    error = Refused("Mã thôn trùng.", code="duplicate", cells=["Thôn!A7", "Thôn!A9"])
    assert isinstance(error, ValidationError)
    assert error.messages == ["Mã thôn trùng."]
    assert error.cells == ["Thôn!A7", "Thôn!A9"]


def test_a_refusal_about_a_field_goes_on_that_field_and_the_rest_above_the_form():
    form = YearForm({"year": "2024"})
    assert form.is_valid()
    show_refusal(
        page_request(), Refused({"year": "Năm đã khóa.", "plan": "Kế hoạch đã đóng."}), form
    )
    assert form.errors == {"year": ["Năm đã khóa."], "__all__": ["Kế hoạch đã đóng."]}


def test_a_refusal_without_a_field_goes_above_the_form():
    form = YearForm({"year": "2024"})
    assert form.is_valid()
    show_refusal(page_request(), Refused("Phiếu đã duyệt."), form)
    assert form.non_field_errors() == ["Phiếu đã duyệt."]


@pytest.mark.parametrize(
    "error", [Refused(["Một.", "Hai."]), Refused({"year": ["Một."], "plan": ["Hai."]})]
)
def test_without_a_form_every_message_is_shown_on_the_page(error):
    request = page_request()
    show_refusal(request, error)
    assert sorted(str(m) for m in get_messages(request)) == ["Hai.", "Một."]
