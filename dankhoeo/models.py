from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. The role decides what they may do; their memberships of an
    agency or a commune (see ``assignments``) decide which villages they may do it for."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Provincial staff")
        LIAISON = "liaison", _("Agency liaison")
        COMMUNE = "commune", _("Commune officer")
        VIEWER = "viewer", _("Viewer")

    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.VIEWER, db_index=True
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_duties(self) -> str:
        return ROLE_DUTIES[self.Role(self.role)]

    @property
    def is_provincial_staff(self) -> bool:
        return self.is_superuser or self.role == self.Role.STAFF


ROLE_DUTIES = {
    User.Role.STAFF: _(
        "You set up plans, agencies, assignments and criteria sets, approve the yearly "
        "results and export the yearly review report."
    ),
    User.Role.LIAISON: _(
        "You keep your agency's support teams and enter the yearly village survey, "
        "activities, resources, proposals and models for your agency's villages."
    ),
    User.Role.COMMUNE: _(
        "You see your commune's villages, confirm the agencies' yearly surveys and answer "
        "proposals."
    ),
    User.Role.VIEWER: _("You read the dashboards and reports."),
}
