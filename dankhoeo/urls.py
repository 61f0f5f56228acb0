from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from assignments import api as assignments_api
from criteria import api as criteria_api
from dankhoeo import token_views, views
from dankhoeo.api import api
from villages import api as villages_api

for app_api in (villages_api, assignments_api, criteria_api):
    api.add_router("/", app_api.router)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/two-step/", views.twostep_settings, name="twostep"),
    path("account/two-step/start/", views.twostep_start, name="twostep-start"),
    path("account/two-step/confirm/", views.twostep_confirm, name="twostep-confirm"),
    path("account/two-step/disable/", views.twostep_disable, name="twostep-disable"),
    path("account/", token_views.account, name="my-account"),
    path("account/tokens/<int:pk>/revoke/", token_views.revoke, name="token-revoke"),
    path("api/v1/", api.urls),
    path("security/log/", views.audit_log, name="audit-log"),
    path("imports/<uuid:pk>/", views.import_job, name="import-job"),
    path("imports/<uuid:pk>/confirm/", views.import_job_confirm, name="import-job-confirm"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_create, name="account-create"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/password/", views.account_password, name="account-password"),
    path("accounts/<int:pk>/active/", views.account_active, name="account-active"),
    path(
        "accounts/<int:pk>/memberships/",
        views.account_membership_add,
        name="account-membership-add",
    ),
    path(
        "accounts/<int:pk>/memberships/<int:membership>/remove/",
        views.account_membership_remove,
        name="account-membership-remove",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("villages/", include("villages.urls")),
    path("criteria/", include("criteria.urls")),
    path("assignments/", include("assignments.urls")),
    path("reports/", include("reports.urls")),
    # One login for everyone, so that two-step login cannot be skipped through the admin's own.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
    ),
    path("admin/", admin.site.urls),
]

handler400 = "dankhoeo.views.bad_request"
handler500 = "dankhoeo.views.server_error"
