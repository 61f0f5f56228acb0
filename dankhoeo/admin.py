from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dankhoeo.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "email", "role", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role in the plan"), {"fields": ("role", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in the plan"), {"fields": ("role", "email", "first_name", "last_name")}),
    )
