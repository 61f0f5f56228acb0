import sys

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments import queries
from assignments.models import Plan
from criteria.models import Survey
from dankhoeo import access, accounts, importjobs, navigation, twostep
from dankhoeo.accountforms import (
    AccountCreateForm,
    AccountDetailsForm,
    AccountMembershipForm,
    AccountSearchForm,
)
from dankhoeo.bounds import BadQuery
from dankhoeo.forms import AuditEventFilter, CodeForm, LoginForm
from dankhoeo.middleware import DATABASE_DOWN, unavailable_response
from dankhoeo.models import AuditEvent, ImportJob, User
from dankhoeo.spreadsheets import CellError

AUDIT_PAGE_SIZE = 50
ACCOUNT_PAGE_SIZE = 50
HOME_LIST_SIZE = 10


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
    """Each role's shortcuts and what is due (a constant number of queries)."""
    user = request.user
    plan = Plan.objects.current()
    year = plan.latest_open_year() if plan else None
    context = {"plan": plan, "year": year, "shortcuts": navigation.shortcuts_for(user)}
    visible = access.villages_visible_to(user)
    if access.is_liaison(user) and plan:
        due = [row for row in queries.my_villages(user, plan, year) if row.due]
        context.update(due_villages=due[:HOME_LIST_SIZE], due_count=len(due))
    if access.is_commune_officer(user):
        context["to_confirm"] = _waiting(visible, Survey.Status.SUBMITTED)
        proposals = access.proposals_to_answer(user)
        context["to_answer"] = _first(proposals.select_related("village").order_by("pk"))
    if access.is_staff(user):
        context["to_approve"] = _waiting(visible, Survey.Status.CONFIRMED)
    return render(request, "home.html", context)


def _waiting(villages, status: str) -> dict:
    surveys = Survey.objects.filter(village__in=villages, status=status)
    return _first(surveys.select_related("village").order_by("year", "pk"))


def _first(items) -> dict:
    """The first HOME_LIST_SIZE items and how many there are in all (two queries)."""
    return {"items": list(items[:HOME_LIST_SIZE]), "count": items.count()}


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; choosing a new password ends a temporary one given by staff."""

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.password_changed(user=form.user)
        return response


class LoginView(auth_views.LoginView):
    """Password first; a user with two-step login on is kept pending until the code page."""

    authentication_form = LoginForm
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
    access.require(access.can_use_two_step_login(request.user))
    device = twostep.confirmed_device(request.user)
    context = {"enabled": device is not None, "form": CodeForm()}
    if device is None and (draft := twostep.unconfirmed_device(request.user)):
        context.update(qr_svg=twostep.qr_svg(draft), secret=twostep.secret_text(draft))
    return render(request, "dankhoeo/twostep.html", context)


@require_POST
def twostep_start(request):
    access.require(access.can_use_two_step_login(request.user))
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
    access.require(access.can_use_two_step_login(request.user))
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
    access.require(access.can_read_security_log(request.user))
    events = AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.all())
    page = Paginator(events.qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dankhoeo/audit_log.html",
        {"filter": events, "page": page, "query": query.urlencode()},
    )


# Accounts, managed by provincial staff ---------------------------------------------------


@require_GET
def account_list(request):
    access.require(access.can_manage_accounts(request.user))
    form = AccountSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    found = accounts.accounts_matching(**criteria)
    page = Paginator(found, ACCOUNT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "dankhoeo/accounts/list.html", context)


@require_http_methods(["GET", "POST"])
def account_create(request):
    access.require(access.can_manage_accounts(request.user))
    form = AccountCreateForm(request.POST or None)
    if form.is_valid():
        try:
            account, password = accounts.account_create(
                actor=request.user, request=request, **form.cleaned_data
            )
        except accounts.AccountError as error:
            form.add_error(None, error)
        else:
            return _temporary_password_page(request, account, password)
    return render(request, "dankhoeo/accounts/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def account_detail(request, pk: int):
    access.require(access.can_manage_accounts(request.user))
    account = get_object_or_404(User, pk=pk)
    form = _details_form(account, request.POST or None)
    if _saved(request, account, form, accounts.account_update, _("The account has been saved.")):
        return redirect("account", pk=account.pk)
    return _account_page(request, account, form=form)


def _details_form(account: User, data=None) -> AccountDetailsForm:
    initial = {name: getattr(account, name) for name in AccountDetailsForm.base_fields}
    return AccountDetailsForm(data, initial=initial)


def _saved(request, account: User, form, service, success: str) -> bool:
    """Hand a valid form to an account service; a refusal goes onto the form."""
    if not form.is_valid():
        return False
    try:
        service(actor=request.user, account=account, request=request, **form.cleaned_data)
    except accounts.AccountError as error:
        form.add_error(None, error)
        return False
    messages.success(request, success)
    return True


def _account_page(request, account: User, *, form=None, membership_form=None, status=200):
    context = {
        "account": account,
        "form": form or _details_form(account),
        "membership_form": membership_form or AccountMembershipForm(),
        "memberships": account.memberships.select_related("agency", "commune").order_by("pk"),
    }
    return render(request, "dankhoeo/accounts/detail.html", context, status=status)


@require_POST
def account_membership_add(request, pk: int):
    """Add an agency or a commune to the account (its scope); a refusal shows on the page, 400."""
    access.require(access.can_manage_accounts(request.user))
    account = get_object_or_404(User, pk=pk)
    form = AccountMembershipForm(request.POST)
    added = _("The membership has been added.")
    if _saved(request, account, form, accounts.account_membership_add, added):
        return redirect("account", pk=account.pk)
    return _account_page(request, account, membership_form=form, status=400)


@require_POST
def account_membership_remove(request, pk: int, membership: int):
    access.require(access.can_manage_accounts(request.user))
    account = get_object_or_404(User, pk=pk)
    try:
        accounts.account_membership_remove(
            actor=request.user, account=account, membership_id=membership, request=request
        )
    except accounts.AccountError:
        raise Http404 from None
    messages.success(request, _("The membership has been removed."))
    return redirect("account", pk=account.pk)


@require_POST
def account_password(request, pk: int):
    access.require(access.can_manage_accounts(request.user))
    account = get_object_or_404(User, pk=pk)
    password = accounts.account_reset_password(actor=request.user, account=account, request=request)
    return _temporary_password_page(request, account, password)


@require_POST
def account_active(request, pk: int):
    access.require(access.can_manage_accounts(request.user))
    account = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        accounts.account_set_active(
            actor=request.user, account=account, active=active, request=request
        )
    except accounts.AccountError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The account can log in again.") if active else _("The account is deactivated."),
        )
    return redirect("account", pk=account.pk)


def _temporary_password_page(request, account: User, password: str):
    """The temporary password, shown this once (never stored in clear, never cached)."""
    response = render(
        request, "dankhoeo/accounts/password.html", {"account": account, "password": password}
    )
    response["Cache-Control"] = "no-store"
    return response


def _own_import_job(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("user"), pk=pk)
    if not access.can_follow_import(request.user, job.user_id):
        raise Http404  # someone else's import looks like a missing one
    return job


@require_GET
def import_job(request, pk):
    """A large import made by the queue (``dankhoeo.importjobs``): its progress, polled by htmx
    every second, then its preview with Confirm, its result or the file's errors; only for the
    person who uploaded it."""
    job = _own_import_job(request, pk)
    errors = [CellError(*error) for error in job.errors]
    context = {"job": job, "errors": errors}
    if request.headers.get("HX-Request"):
        return render(request, "dankhoeo/_import_job_status.html", context)
    return render(request, "dankhoeo/import_job.html", context)


@require_POST
def import_job_confirm(request, pk):
    """The Confirm or Cancel button under a large import's preview: the save is queued (the
    page then follows it), or the staged file is removed."""
    job = _own_import_job(request, pk)
    if request.POST.get("cancel"):
        if importjobs.cancel(job):
            messages.info(request, _("The import was cancelled: nothing was saved."))
            return redirect(job.back)
    elif importjobs.confirm(job):
        return redirect("import-job", pk=job.pk)
    messages.error(request, _("This import is no longer waiting for a confirmation."))
    return redirect("import-job", pk=job.pk)
