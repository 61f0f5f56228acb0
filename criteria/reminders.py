"""Survey reminders: one digest e-mail per person, never one per survey.

Liaisons hear about the surveys missing or returned for the villages they may edit; commune
officers about the surveys waiting for their confirmation.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from criteria.models import Survey, SurveyTransition
from dankhoeo import access
from dankhoeo.models import User
from villages.models import Village


@dataclass
class Digest:
    user: User
    missing: list[Village] = field(default_factory=list)
    returned: list[Survey] = field(default_factory=list)
    waiting: list[Survey] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.missing) + len(self.returned) + len(self.waiting)


def collect(year: int) -> list[Digest]:
    """What each active person with an e-mail address has to do for the year's surveys."""
    people = User.objects.filter(
        is_active=True, role__in=[User.Role.LIAISON, User.Role.COMMUNE]
    ).exclude(email="")
    digests = []
    for user in people.order_by("username"):
        digest = Digest(user)
        if user.role == User.Role.LIAISON:
            villages = access.villages_editable_by(user).in_vietnamese_order()
            digest.missing = list(villages.exclude(surveys__year=year))
            returned = SurveyTransition.objects.filter(survey=OuterRef("pk"), to_status="draft")
            digest.returned = list(
                Survey.objects.filter(year=year, status=Survey.Status.DRAFT, village__in=villages)
                .filter(Exists(returned))
                .select_related("village")
            )
        else:
            digest.waiting = list(
                Survey.objects.filter(
                    year=year,
                    status=Survey.Status.SUBMITTED,
                    village__in=access.villages_visible_to(user),
                ).select_related("village")
            )
        if digest.count:
            digests.append(digest)
    return digests


def send(year: int, *, dry_run: bool = False) -> list[Digest]:
    digests = collect(year)
    if dry_run:
        return digests
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            EmailMessage(
                subject=_("Village surveys %(year)s: what is waiting for you") % {"year": year},
                body=render_to_string(
                    "criteria/reminder_email.txt", {"digest": digest, "year": year}
                ),
                to=[digest.user.email],
            )
            for digest in digests
        ]
    get_connection().send_messages(messages)
    return digests
