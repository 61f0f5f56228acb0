"""Project middleware: security headers Django does not send, the renewal of idle sessions,
a 503 page when the database is down, and the app's own 500 page for a request that runs past
its time budget."""

import logging
import signal
import threading
import time

from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _

from dankhoeo import bounds

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)


def PermissionsPolicyMiddleware(get_response):
    """Send the Permissions-Policy header: the browser features this app never uses are off."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


RENEWED_AT = "_renewed_at"


def QueryCheckMiddleware(get_response):
    """Refuse a query string with a control character before any view reads it."""

    def middleware(request):
        bounds.check_query(request.GET)
        return get_response(request)

    return middleware


def SessionRenewalMiddleware(get_response):
    """Push a signed-in session's expiry SESSION_COOKIE_AGE further when it was last renewed
    SESSION_RENEW_SECONDS ago or more: an idle session ends after SESSION_COOKIE_AGE (less at
    most that interval), and a page costs no session write in between."""

    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now  # modified: SessionMiddleware saves it, expiry renewed
        return response

    return middleware


def PasswordChangeRequiredMiddleware(get_response):
    """A user who was given a temporary password by staff chooses their own before anything
    else: every other page sends them to the password change (logging out stays possible)."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (reverse("password_change"), reverse("logout"), reverse("set_language"))
            if request.path not in allowed:
                messages.warning(request, _("Choose your own password before you go on."))
                return redirect("password_change")
        return get_response(request)

    return middleware


def unavailable_response() -> HttpResponse:
    """The 503 page: rendered from a template alone, without the database or the session."""
    body = loader.get_template("503.html").render({})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection in a view into the 503 page instead of a traceback.

    Errors raised while the session or the user is loaded (in other middleware) reach
    ``dankhoeo.views.server_error``, which gives the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable on %s: %s", request.path, exception)
            return unavailable_response()
        return None


class RequestTooSlow(Exception):
    """A request ran past ``settings.REQUEST_SECONDS``; Django shows the app's 500 page."""


def RequestBudgetMiddleware(get_response):
    """End a request that runs longer than ``settings.REQUEST_SECONDS`` with the app's own 500
    page (translated, logged with its traceback), before gunicorn's worker timeout, which is set
    above the budget, kills the worker and answers with a bare "Internal Server Error". A timer
    can only be set in a process's main thread (gunicorn's sync workers); elsewhere (the
    development server's threads) the request runs unbounded."""

    def middleware(request):
        seconds = settings.REQUEST_SECONDS
        if not seconds or threading.current_thread() is not threading.main_thread():
            return get_response(request)
        previous = signal.signal(signal.SIGALRM, _too_slow)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return get_response(request)
        except RequestTooSlow:
            # a query may have been cut off: the connections are closed once the request ends
            for connection in connections.all(initialized_only=True):
                connection.close_at = time.monotonic()
            raise
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    return middleware


def _too_slow(signum, frame):
    raise RequestTooSlow(f"the request ran past {settings.REQUEST_SECONDS} seconds")


API_PREFIX = "/api/"


def ApiJsonErrorsMiddleware(get_response):
    """Under /api/, every error is JSON: a 404 for an unknown URL, the 503 of a lost database
    or anything else that some other layer answered in HTML becomes ``{"detail": ...}`` with
    the same status (the API's own errors are JSON already)."""

    def middleware(request):
        response = get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = JsonResponse(
                {"detail": response.reason_phrase}, status=response.status_code
            )
            if "Retry-After" in response:
                json_response["Retry-After"] = response["Retry-After"]
            return json_response
        return response

    return middleware
