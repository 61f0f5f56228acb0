from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dankhoeo import audit
from dankhoeo.models import AuditEvent, User

# The account fields whose change is a security event.
ACCOUNT_FIELDS = ("role", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [name for name in ACCOUNT_FIELDS if name in form.changed_data]
        if change and not changed:
            return
        detail = "; ".join(_describe_change(form, name, created=not change) for name in changed)
        if not change:
            detail = f"created, role: {obj.role}" + (f"; {detail}" if detail else "")
        audit.record(
            actor=request.user,
            kind=AuditEvent.Kind.ROLE_CHANGE,
            target=obj.get_username(),
            detail=detail,
            request=request,
        )


def _describe_change(form, name: str, *, created: bool) -> str:
    """ "role: viewer → staff"; many-to-many fields list the names chosen."""
    new = form.cleaned_data.get(name)
    if hasattr(new, "all"):
        new = ", ".join(str(item) for item in new) or "-"
        return f"{name}: {new}"
    if created:
        return f"{name}: {new}"
    return f"{name}: {form.initial.get(name)} → {new}"
