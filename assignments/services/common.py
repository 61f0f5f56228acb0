"""What the services of the assignments app share: their error and the checks several of
them make."""

import datetime

from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Agency,
    Assignment,
    Plan,
)
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
