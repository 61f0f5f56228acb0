"""What every view of the app needs: objects loaded *for this user* (404 outside the scope,
403 for a write the role may not make) and the domain error turned into a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from assignments.models import Plan
from dankhoeo import access
from dankhoeo.models import User
from villages.models import Village


def visible_village(user: User, pk: int) -> Village:
    return access.get_visible_village(user, pk=pk)


def editable_village(user: User, pk: int, plan: Plan) -> Village:
    """The village if the user may record work for it under this plan: 404 outside the
    visible scope, 403 for a read-only role or a plan that is over."""
    village = visible_village(user, pk)
    if not plan.is_active or not access.can_edit_village(user, village):
        raise PermissionDenied
    return village


def visible_object(user: User, queryset: QuerySet, pk: int, *, village: str = "village"):
    """An object attached to a village (through the ``village`` path), if the user may see
    that village; 404 otherwise."""
    scope = {f"{village}__in": access.villages_visible_to(user)}
    return get_object_or_404(queryset.filter(**scope), pk=pk)


def require_editor(user: User, obj) -> None:
    """403 unless the user may change the village the object belongs to, under its plan."""
    if not obj.plan.is_active or not access.can_edit_village(user, obj.village):
        raise PermissionDenied


def show_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def year_from(request, default: int) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default
