import sys

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dankhoeo import twostep
from dankhoeo.access import require_staff
from dankhoeo.bounds import BadQuery
from dankhoeo.forms import AuditEventFilter, CodeForm
from dankhoeo.middleware import DATABASE_DOWN, unavailable_response
from dankhoeo.models import AuditEvent

AUDIT_PAGE_SIZE = 50


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: send them the static one."""
    return redirect(static("img/favicon.ico"))


def server_error(request):
    """handler500: the 503 page when the database was lost before a view ran (while the
    session or the user was loaded), else Django's plain 500 page."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return unavailable_response()
    return defaults.server_error(request)


def bad_request(request, exception):
    """handler400: a malformed query string says which parameter is wrong."""
    message = str(exception) if isinstance(exception, BadQuery) else ""
    return render(request, "400.html", {"message": message}, status=400)


def home(request):
    return render(request, "home.html")


class LoginView(auth_views.LoginView):
    """Password first; a user with two-step login on is kept pending until the code page."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twostep.confirmed_device(user) is None:
            return super().form_valid(form)
        twostep.login_pending(self.request, user=user, next_url=self.get_success_url())
        return redirect("login-code")


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def login_code(request):
    if twostep.pending(request) is None:
        messages.info(request, _("The login has expired. Enter your password again."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            done = twostep.login_finish(request, token=form.cleaned_data["code"])
        except twostep.TwoStepError as error:
            form.add_error("code", error)
        else:
            return redirect(done.next_url)
    return render(request, "registration/login_code.html", {"form": form})


@require_GET
def twostep_settings(request):
    require_staff(request.user)
    device = twostep.confirmed_device(request.user)
    context = {"enabled": device is not None, "form": CodeForm()}
    if device is None and (draft := twostep.unconfirmed_device(request.user)):
        context.update(qr_svg=twostep.qr_svg(draft), secret=twostep.secret_text(draft))
    return render(request, "dankhoeo/twostep.html", context)


@require_POST
def twostep_start(request):
    require_staff(request.user)
    try:
        twostep.device_start(user=request.user)
    except twostep.TwoStepError as error:
        messages.error(request, error.messages[0])
    return redirect("twostep")


@require_POST
def twostep_confirm(request):
    return _twostep_with_code(
        request, twostep.device_confirm, _("Two-step login is on from now on.")
    )


@require_POST
def twostep_disable(request):
    return _twostep_with_code(request, twostep.device_disable, _("Two-step login is off."))


def _twostep_with_code(request, service, success: str):
    require_staff(request.user)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["code"][0])
        return redirect("twostep")
    try:
        service(user=request.user, token=form.cleaned_data["code"], request=request)
    except twostep.TwoStepError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success)
    return redirect("twostep")


@require_GET
def audit_log(request):
    """The security log, for provincial staff: filter by event, user and days; 50 a page."""
    require_staff(request.user)
    events = AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.all())
    page = Paginator(events.qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dankhoeo/audit_log.html",
        {"filter": events, "page": page, "query": query.urlencode()},
    )
