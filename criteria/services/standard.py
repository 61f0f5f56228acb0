"""Writes of the standard: criteria sets, their criteria and indicators, each changed only
while no survey uses the set (a used set gets a new version instead)."""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from criteria.models import CriteriaSet, Criterion, Indicator, IndicatorThreshold
from dankhoeo import access
from dankhoeo.errors import Refused
from dankhoeo.models import User


def criteria_set_require_unused(criteria_set: CriteriaSet) -> None:
    if criteria_set.is_in_use():
        raise Refused(
            _(
                "Surveys already use this criteria set, so it cannot change under them. "
                "Make a new version and change that one."
            ),
            code="in_use",
        )


@transaction.atomic
def criteria_set_save(
    *, user: User, criteria_set: CriteriaSet | None = None, **fields: Any
) -> CriteriaSet:
    """Create a criteria set, or change ``criteria_set`` while no survey uses it; ``fields`` are
    its own fields (code, name, legal basis, period, recognising body...), already parsed."""
    access.require_staff(user)
    if criteria_set is None:
        criteria_set = CriteriaSet()
    else:
        criteria_set_require_unused(CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk))
    return _save_fields(criteria_set, fields)


def _save_fields(instance, fields: dict[str, Any]):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance


@transaction.atomic
def criteria_set_confirm(*, user: User, criteria_set: CriteriaSet) -> CriteriaSet:
    """Staff confirm that a provisional set matches the official text."""
    access.require_staff(user)
    criteria_set.status = CriteriaSet.Status.VERIFIED
    criteria_set.save(update_fields=["status"])
    return criteria_set


@transaction.atomic
def criteria_set_new_version(*, user: User, criteria_set: CriteriaSet) -> CriteriaSet:
    """Copy a set, its criteria, indicators and group thresholds as the next version."""
    access.require_staff(user)
    latest = CriteriaSet.objects.filter(code=criteria_set.code).order_by("-version").first()
    copy = CriteriaSet.objects.get(pk=criteria_set.pk)
    copy.pk = None
    copy.version = latest.version + 1
    copy.previous = criteria_set
    copy.save()
    for criterion in criteria_set.criteria.prefetch_related(
        Prefetch("indicators", Indicator.objects.prefetch_related("group_thresholds"))
    ):
        indicators = list(criterion.indicators.all())
        criterion.pk = None
        criterion.criteria_set = copy
        criterion.save()
        for indicator in indicators:
            thresholds = list(indicator.group_thresholds.all())
            indicator.pk = None
            indicator.criterion = criterion
            indicator.save()
            IndicatorThreshold.objects.bulk_create(
                IndicatorThreshold(
                    indicator=indicator, village_group=t.village_group, threshold=t.threshold
                )
                for t in thresholds
            )
    return copy


@transaction.atomic
def criterion_save(
    *, user: User, criteria_set: CriteriaSet, criterion: Criterion | None = None, **fields: Any
) -> Criterion:
    """Add a criterion to a set, or change ``criterion``, while no survey uses the set."""
    access.require_staff(user)
    criteria_set_require_unused(criteria_set)
    return _save_fields(criterion or Criterion(), {**fields, "criteria_set": criteria_set})


@transaction.atomic
def indicator_save(
    *, user: User, criterion: Criterion, indicator: Indicator | None = None, **fields: Any
) -> Indicator:
    """Add an indicator to a criterion, or change ``indicator``, while no survey uses the set."""
    access.require_staff(user)
    criteria_set_require_unused(criterion.criteria_set)
    return _save_fields(indicator or Indicator(), {**fields, "criterion": criterion})


@transaction.atomic
def criterion_delete(*, user: User, criterion: Criterion) -> None:
    access.require_staff(user)
    criteria_set_require_unused(criterion.criteria_set)
    criterion.delete()


@transaction.atomic
def indicator_delete(*, user: User, indicator: Indicator) -> None:
    access.require_staff(user)
    criteria_set_require_unused(indicator.criterion.criteria_set)
    indicator.delete()
