"""Village scope: which villages a user may see and which they may change.

Scope comes from data, never from the URL. Every list, detail, export and report starts from
``villages_visible_to`` (reads) or ``villages_editable_by`` (writes).

- provincial staff (and superusers): see and change everything;
- viewers: see everything, change nothing;
- agency liaisons: the villages their agencies are assigned to, changing them only under plans
  in progress and while the assignment is in force (``assignment_in_force``: an agency replaced
  mid-plan reads its past work but no longer changes the village);
- commune officers: the villages of their communes, counting communes merged into them.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assignments.models import Membership
from dankhoeo.models import User
from villages.models import Village


def is_signed_in(user: User) -> bool:
    return user.is_authenticated and user.is_active


def is_staff(user: User) -> bool:
    """Provincial staff (and superusers): reference data, plans, approvals, imports."""
    return is_signed_in(user) and user.is_provincial_staff


def is_liaison(user: User) -> bool:
    return is_signed_in(user) and user.role == User.Role.LIAISON and not user.is_superuser


def is_commune_officer(user: User) -> bool:
    return is_signed_in(user) and user.role == User.Role.COMMUNE and not user.is_superuser


def _commune_filter(user: User) -> Q:
    commune_ids = Membership.objects.filter(user=user, commune__isnull=False).values("commune")
    return Q(commune__in=commune_ids) | Q(commune__successor__in=commune_ids)


def assignment_in_force(prefix: str = "") -> Q:
    """An assignment in force today: begun (no start date, or started) and not ended (no end
    date, or ending today or later). ``prefix`` leads from the queried model to the assignment
    (``"assignments__"``); put it in the same ``filter()`` as the other conditions on that
    assignment, so that they all hold for one row."""
    today = timezone.localdate()
    begun = Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": today})
    ongoing = Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    return begun & ongoing


def _agency_filter(user: User, *, active_plans_only: bool) -> Q:
    """Villages of the user's agencies; for writes, under a plan in progress and an
    assignment in force."""
    assignments = {"assignments__agency__memberships__user": user}
    if not active_plans_only:
        return Q(pk__in=Village.objects.filter(**assignments).values("pk"))
    assignments["assignments__plan__is_active"] = True
    in_force = assignment_in_force("assignments__")
    return Q(pk__in=Village.objects.filter(in_force, **assignments).values("pk"))


def sees_every_village(user: User) -> bool:
    """Provincial staff, superusers and viewers read every village (and the whole plan's
    reports); the other roles only the villages of their agencies or communes."""
    return is_signed_in(user) and (
        user.is_superuser or user.role in (User.Role.STAFF, User.Role.VIEWER)
    )


def villages_visible_to(user: User) -> QuerySet[Village]:
    villages = Village.objects.all()
    if not is_signed_in(user):
        return villages.none()
    if sees_every_village(user):
        return villages
    if user.role == User.Role.LIAISON:
        return villages.filter(_agency_filter(user, active_plans_only=False))
    if user.role == User.Role.COMMUNE:
        return villages.filter(_commune_filter(user))
    return villages.none()


def villages_editable_by(user: User) -> QuerySet[Village]:
    """Villages whose data (survey, team, activities, statistics) this user may change."""
    villages = Village.objects.all()
    if not is_signed_in(user):
        return villages.none()
    if user.is_provincial_staff:
        return villages
    if user.role == User.Role.LIAISON:
        return villages.filter(_agency_filter(user, active_plans_only=True))
    return villages.none()


def as_pk(value) -> int:
    """A primary key as typed in a URL or a form; 404 for anything else (a key that cannot
    exist is missing, like one that is hidden)."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def get_visible_village(user: User, **lookup) -> Village:
    """The village, if this user may see it; 404 otherwise."""
    return get_object_or_404(villages_visible_to(user), **lookup)


def village_for(user: User, pk, *, write: bool = False) -> Village:
    """The village: 404 outside what the user sees; with ``write``, 403 unless they may
    change its data."""
    village = get_visible_village(user, pk=as_pk(pk))
    if write and not can_edit_village(user, village):
        raise PermissionDenied
    return village


def can_see_village(user: User, village: Village) -> bool:
    return villages_visible_to(user).filter(pk=village.pk).exists()


def villages_editable_among(user: User, ids: Iterable[int]) -> set[int]:
    """Those of the villages ``ids`` this user may change (``villages_editable_by``), without a
    query when the answer holds for every village: all of them (the queryset has no condition:
    provincial staff) or none (an empty queryset). An ``Exists`` of the policy inside a list's
    own query would be planned as a hash of every village: 33 ms at 60,000."""
    ids = list(ids)
    editable = villages_editable_by(user)
    if editable.query.is_empty():
        return set()
    if not editable.query.where:
        return set(ids)
    return set(editable.filter(pk__in=ids).values_list("pk", flat=True))


def can_edit_village(user: User, village: Village) -> bool:
    return village.pk in villages_editable_among(user, [village.pk])


def require(allowed: bool) -> None:
    """Raise 403 unless the predicate allowed it: ``access.require(access.can_x(user, obj))``."""
    if not allowed:
        raise PermissionDenied


def require_staff(user: User) -> None:
    """Raise 403 unless the user is provincial staff (reference data, approvals, imports)."""
    require(is_staff(user))


def scoped(user: User, queryset: QuerySet, *, village: str = "village") -> QuerySet:
    """The rows of ``queryset`` attached (through the ``village`` path) to a village the user
    may see."""
    return queryset.filter(**{f"{village}__in": villages_visible_to(user)})


def visible_or_404(user: User, queryset: QuerySet, pk, *, village: str = "village"):
    """The row of ``queryset`` with this pk, if its village is in the user's scope. A row that
    is hidden and one that does not exist give the same 404."""
    return get_object_or_404(scoped(user, queryset, village=village), pk=as_pk(pk))


def check(user: User | None, allowed) -> None:
    """For services: 403 unless the policy allowed it. ``user=None`` is the system itself
    (demo data, a command run by the operator), which the policy does not restrict; ``allowed``
    is a callable so that nothing is asked of the database for it."""
    if user is not None:
        require(allowed())
