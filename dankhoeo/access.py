"""The access policy: which villages a user may see and change.

Scope comes from data, never from the URL. Every list, detail, export and report starts from
``villages_visible_to`` (reads) or ``villages_editable_by`` (writes); an object outside the
scope is a 404, a write outside the role is a 403.

- provincial staff (and superusers): see and change everything;
- viewers: see everything, change nothing;
- agency liaisons: the villages their agencies are assigned to, changing them only under plans
  in progress;
- commune officers: the villages of their communes, counting communes merged into them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from assignments.models import Membership
from dankhoeo.models import User
from villages.models import Village


def _commune_filter(user: User) -> Q:
    commune_ids = Membership.objects.filter(user=user, commune__isnull=False).values("commune")
    return Q(commune__in=commune_ids) | Q(commune__successor__in=commune_ids)


def _agency_filter(user: User, *, active_plans_only: bool) -> Q:
    assignments = {"assignments__agency__memberships__user": user}
    if active_plans_only:
        assignments["assignments__plan__is_active"] = True
    return Q(pk__in=Village.objects.filter(**assignments).values("pk"))


def villages_visible_to(user: User) -> QuerySet[Village]:
    villages = Village.objects.all()
    if not user.is_authenticated or not user.is_active:
        return villages.none()
    if user.is_superuser or user.role in (User.Role.STAFF, User.Role.VIEWER):
        return villages
    if user.role == User.Role.LIAISON:
        return villages.filter(_agency_filter(user, active_plans_only=False))
    if user.role == User.Role.COMMUNE:
        return villages.filter(_commune_filter(user))
    return villages.none()


def villages_editable_by(user: User) -> QuerySet[Village]:
    """Villages whose data (survey, team, activities, statistics) this user may change."""
    villages = Village.objects.all()
    if not user.is_authenticated or not user.is_active:
        return villages.none()
    if user.is_provincial_staff:
        return villages
    if user.role == User.Role.LIAISON:
        return villages.filter(_agency_filter(user, active_plans_only=True))
    return villages.none()


def get_visible_village(user: User, **lookup) -> Village:
    """The village, if this user may see it; 404 otherwise."""
    return get_object_or_404(villages_visible_to(user), **lookup)


def require_staff(user: User) -> None:
    """Raise 403 unless the user is provincial staff (reference data, approvals, imports)."""
    if not user.is_provincial_staff:
        raise PermissionDenied


def can_edit_village(user: User, village: Village) -> bool:
    return villages_editable_by(user).filter(pk=village.pk).exists()
