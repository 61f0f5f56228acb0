"""A request past its time budget gets the app's own 500 page, not gunicorn's bare error. The
budget's timer is fired by the slow view itself, so the test depends on no clock."""

import signal

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from dankhoeo import middleware


def slow(request):
    signal.raise_signal(signal.SIGALRM)  # what the budget's timer does when time is up
    return HttpResponse("too late")


def quick(request):
    return HttpResponse("in time")


urlpatterns = [path("slow/", slow), path("quick/", quick)]


def test_the_budget_interrupts_a_slow_request():
    with pytest.raises(middleware.RequestTooSlow):
        middleware.RequestBudgetMiddleware(slow)(RequestFactory().get("/slow/"))
    answer = middleware.RequestBudgetMiddleware(quick)(RequestFactory().get("/quick/"))
    assert answer.content == b"in time"
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_a_slow_page_is_the_app_s_own_500_page_and_the_next_request_works(client, staff, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(staff)
    client.raise_request_exception = False
    response = client.get("/slow/")
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()
    assert client.get("/quick/").content == b"in time"
