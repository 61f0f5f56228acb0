import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    must_change_password = models.BooleanField(
        _("must change the password"),
        default=False,
        help_text=_("Set when staff give a temporary password; cleared when the user sets one."),
    )

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


class AuditEvent(models.Model):
    """One security event: who did what to which object, from where, and when.

    Written only through ``dankhoeo.audit.record``; never changed afterwards.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", pgettext_lazy("security event", "Login")
        LOGOUT = "logout", pgettext_lazy("security event", "Logout")
        LOGIN_FAILED = "login_failed", pgettext_lazy("security event", "Failed login")
        LOCKOUT = "lockout", pgettext_lazy("security event", "Lockout after failed logins")
        OTP_ENROLLED = "otp_enrolled", pgettext_lazy("security event", "Two-step login turned on")
        OTP_DISABLED = "otp_disabled", pgettext_lazy("security event", "Two-step login turned off")
        OTP_FAILED = "otp_failed", pgettext_lazy("security event", "Wrong two-step login code")
        ROLE_CHANGE = "role_change", pgettext_lazy("security event", "Role or account change")
        MEMBERSHIP_CHANGE = (
            "membership_change",
            pgettext_lazy("security event", "Membership change"),
        )
        EXPORT = "export", pgettext_lazy("security event", "Export")
        APPROVAL = "approval", pgettext_lazy("security event", "Approval")
        IMPORT = "import", pgettext_lazy("security event", "Import")
        API_TOKEN = "api_token", pgettext_lazy("security event", "API token created or revoked")
        API_WRITE = "api_write", pgettext_lazy("security event", "Change through the API")

    time = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    target = models.CharField(_("object"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["-time", "-id"], name="dankhoeo_auditevent_time"),
            models.Index(fields=["kind", "-time"], name="dankhoeo_auditevent_kind_time"),
            models.Index(fields=["actor_username", "-time"], name="dankhoeo_auditevent_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.actor_username}"


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 hash of the secret is kept; the token itself is
    shown once, when it is made. Written only through ``dankhoeo.tokens``."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(
        _("prefix"), max_length=16, help_text=_("Shown to tell tokens apart.")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ImportJob(models.Model):
    """An Excel import too large for the request, made by the queue (``dankhoeo.importjobs``):
    first its preview (the file is checked, the page then shows what it would change, waiting
    for Confirm), then, once confirmed, its save; the person who uploaded it follows the
    progress, then reads the preview, the result or the file's errors. Shown only to that
    person."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        READING = "reading", _("Checking the file")
        CHECKED = "checked", _("Checked: waiting for your confirmation")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Saved")
        REFUSED = "refused", _("Refused: nothing was saved")
        FAILED = "failed", _("Stopped: nothing was saved")
        CANCELLED = "cancelled", _("Cancelled: nothing was saved")

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED, Status.CANCELLED)
    RUNNING = (Status.QUEUED, Status.READING, Status.SAVING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, verbose_name=_("asked by"), on_delete=models.CASCADE)
    flow = models.CharField(_("import"), max_length=200)  # the dotted path of its Flow factory
    params = models.JSONField(_("parameters"), default=dict)
    token = models.CharField(max_length=64)  # the staged upload
    title = models.CharField(_("title"), max_length=200)
    back = models.CharField(max_length=500)  # the import's page
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("result"), blank=True)
    errors = models.JSONField(_("errors"), default=list)  # [[sheet, row, column, message], ...]
    # The preview as the import's page shows it, rendered by the worker from the import's own
    # preview template (autoescaped: the file's text is never markup)
    preview = models.TextField(_("preview"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_running(self) -> bool:
        """The worker has something to do: the page asks again every second."""
        return self.status in self.RUNNING

    @property
    def preview_html(self) -> SafeString:
        return mark_safe(self.preview)  # noqa: S308 - rendered by our templates, autoescaped
