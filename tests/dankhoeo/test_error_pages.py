"""Every error page renders with no user on the request and no database at hand.

These tests take no ``db`` fixture: pytest-django refuses any query, so a page that reaches
for the user or the database fails here.
"""

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from django.views import csrf, defaults

from dankhoeo import views
from dankhoeo.middleware import unavailable_response


@pytest.fixture
def bare_request():
    """A request as Django has it before the session and authentication middleware ran."""
    request = RequestFactory().get("/villages/")
    assert not hasattr(request, "user")
    return request


@pytest.mark.parametrize(
    ("page", "status", "text"),
    [
        (lambda r: defaults.bad_request(r, BadRequest()), 400, "Yêu cầu không hợp lệ"),
        (lambda r: defaults.permission_denied(r, PermissionDenied()), 403, "Không được phép"),
        (lambda r: defaults.page_not_found(r, Http404()), 404, "Không tìm thấy"),
        (views.server_error, 500, "Hệ thống đang gặp sự cố"),
        (lambda r: unavailable_response(), 503, "Tạm thời chưa truy cập được"),
        (lambda r: csrf.csrf_failure(r, reason="no token"), 403, "Biểu mẫu đã hết hạn"),
    ],
    ids=["400", "403", "404", "500", "503", "csrf"],
)
def test_each_error_page_renders_without_a_user_or_the_database(bare_request, page, status, text):
    response = page(bare_request)
    assert response.status_code == status
    assert text in response.content.decode()


def test_a_host_outside_allowed_hosts_gets_the_400_page_not_a_500():
    client = Client(raise_request_exception=False, HTTP_HOST="evil.example.com")
    response = client.get("/villages/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_the_favicon_is_served_to_anyone(client, db):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
