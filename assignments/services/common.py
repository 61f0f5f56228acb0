"""What the services of the assignments app share: the checks several of them make, and the
preambles of the services that record and correct an agency's work."""

import datetime

from django.utils.translation import gettext_lazy as _

from assignments.models import Agency, Assignment, Plan
from dankhoeo import access
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import Village


def check_within_period(plan: Plan, *dates: datetime.date | None) -> None:
    for day in dates:
        if day is not None and not plan.period_start <= day.year <= plan.period_end:
            raise Refused(
                _("%(date)s is outside the period of plan %(plan)s (%(start)s-%(end)s)."),
                params={
                    "date": day.strftime("%d/%m/%Y"),
                    "plan": plan.number,
                    "start": plan.period_start,
                    "end": plan.period_end,
                },
            )


def check_assigned(plan: Plan, agency: Agency, village: Village) -> None:
    if not Assignment.objects.filter(plan=plan, agency=agency, village=village).exists():
        raise Refused(
            _("%(agency)s is not assigned to %(village)s under plan %(plan)s."),
            params={"agency": agency, "village": village, "plan": plan.number},
        )


def check_not_future(day: datetime.date) -> None:
    if day > datetime.date.today():
        raise Refused(_("The date %(date)s is in the future."), params={"date": day})


def new_record(
    model,
    *,
    user: User | None,
    plan: Plan,
    agency: Agency,
    village: Village,
    day: datetime.date | None = None,
    is_demo: bool = False,
    **fields,
):
    """The unsaved record (activity, resource, proposal, model, common plan) of what
    ``agency`` did in ``village`` under ``plan``, after the checks of every "record X" service:
    the user may record for the agency there, the agency is assigned to the village, and
    ``day``, when the record has one, is not in the future. The caller checks its own fields,
    then saves."""
    access.check(user, lambda: access.can_record_as(user, agency, village, plan))
    check_assigned(plan, agency, village)
    if day is not None:
        check_not_future(day)
    return model(
        plan=plan, agency=agency, village=village, recorded_by=user, is_demo=is_demo, **fields
    )


def record_to_correct(
    record, *, user: User | None, version: int, agency: Agency, day: datetime.date | None = None
):
    """The record as saved now, locked, after the checks of every "correct X" service: the user
    may change it and give it to ``agency``, nobody saved it since ``version`` was read, the
    agency is assigned to its village, and ``day``, when the record has one, is not in the
    future."""
    check_may_correct(user, record, agency)
    record = lock_version(record, version)
    check_assigned(record.plan, agency, record.village)
    if day is not None:
        check_not_future(day)
    return record


def check_may_correct(user: User | None, record, agency: Agency) -> None:
    """The user may change this agency's record, and give it to ``agency``."""
    access.check(
        user,
        lambda: (
            access.can_change_record(user, record)
            and access.can_record_as(user, agency, record.village, record.plan)
        ),
    )


def lock_version(record, version: int):
    """The record as saved now, locked until the end of the transaction; refused if it was
    saved since ``version`` was read (a correction never overwrites another unseen)."""
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if current.version != version:
        raise Refused(
            _("Someone saved this record after you opened it: reload it and change it again."),
            code="conflict",
        )
    return current
