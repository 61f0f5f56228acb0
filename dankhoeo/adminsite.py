"""Django's admin site, for superusers only.

Everyone logs in through the app's own login page (urls.py sends ``/admin/login/`` there), so
that two-step login cannot be skipped. A signed-in user who is not a superuser gets the 403
page: sending them to log in again would bring them straight back here, round and round.
Provincial staff manage accounts on the app's own screen (``dankhoeo.accounts``).
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin import apps as admin_apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            leaving = request.path == reverse("admin:logout", current_app=self.name)
            if request.user.is_authenticated and not leaving and not self.has_permission(request):
                raise PermissionDenied(_("Only system administrators may use this page."))
            return checked(request, *args, **kwargs)

        return update_wrapper(inner, checked)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app with the site above (listed in INSTALLED_APPS)."""

    default_site = "dankhoeo.adminsite.SuperuserAdminSite"
