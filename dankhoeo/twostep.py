"""Two-step login (TOTP) for provincial staff: enrol a phone app, then give its code after the
password.

The login view does not log a user with a confirmed device in: it keeps them *pending* in the
session (for a few minutes) and the code page finishes the login once the code is right.

Who is offered it is the access policy's decision (``access.can_use_two_step_login``): this
module lives in the project layer, beside ``dankhoeo.accounts``, so that it may ask.
"""

import time
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from dankhoeo import access, audit
from dankhoeo.models import AuditEvent, User

PENDING_KEY = "dankhoeo_twostep_pending"
PENDING_SECONDS = 300
DEVICE_NAME = "authenticator"


class TwoStepError(ValidationError):
    """A two-step login step failed; the message says why, in the user's language."""


@dataclass(frozen=True)
class Pending:
    user: User
    next_url: str


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_start(*, user: User) -> TOTPDevice:
    """Begin enrolment: a new unconfirmed device (replacing an earlier unfinished one)."""
    if not access.can_use_two_step_login(user):
        raise TwoStepError(_("Two-step login is offered to provincial staff."), code="role")
    with transaction.atomic():
        if confirmed_device(user):
            raise TwoStepError(_("Two-step login is already on."), code="already")
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def unconfirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def device_confirm(*, user: User, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Finish enrolment with a first code from the phone app."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise TwoStepError(_("Start the set-up again."), code="no_device")
        error = _check(device, token)
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.record(
                actor=user, kind=AuditEvent.Kind.OTP_ENROLLED, target=user, request=request
            )
    if error:  # raised after the commit, so that the failure counts towards the throttle
        raise error
    return device


def device_disable(*, user: User, token: str, request: HttpRequest | None = None) -> None:
    """Turn two-step login off; a current code proves the phone is still at hand."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise TwoStepError(_("Two-step login is not on."), code="no_device")
        error = _check(device, token)
        if error is None:
            TOTPDevice.objects.filter(user=user).delete()
            audit.record(
                actor=user, kind=AuditEvent.Kind.OTP_DISABLED, target=user, request=request
            )
    if error:
        raise error


def login_pending(request: HttpRequest, *, user: User, next_url: str) -> None:
    """After a right password: remember the user until the code is given."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "since": time.time(),
        "next": next_url,
    }


def pending(request: HttpRequest) -> Pending | None:
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data["since"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    return Pending(user=user, next_url=data["next"]) if user else None


def login_finish(request: HttpRequest, *, token: str) -> Pending:
    """Check the code of the pending user and log them in; a wrong code is logged."""
    waiting = pending(request)
    if waiting is None:
        request.session.pop(PENDING_KEY, None)
        raise TwoStepError(_("The login has expired. Enter your password again."), code="expired")
    user = waiting.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            error = TwoStepError(_("Two-step login is not on."), code="no_device")
        else:
            error = _check(device, token)
        if error:
            audit.record(actor=user, kind=AuditEvent.Kind.OTP_FAILED, target=user, request=request)
    if error:
        raise error
    user.backend = request.session[PENDING_KEY]["backend"]
    del request.session[PENDING_KEY]
    login(request, user)
    return waiting


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's set-up link as an inline SVG QR code (made here, no outside service)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)
    return mark_safe(svg)  # noqa: S308 - segno's own markup from our own data


def secret_text(device: TOTPDevice) -> str:
    """The secret for typing into the phone app by hand, in groups of four letters."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _check(device: TOTPDevice, token: str) -> TwoStepError | None:
    """Check a code (counting a wrong one towards the device's throttle); the error, if any."""
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return TwoStepError(
            _("Too many wrong codes. Wait a minute and try again."), code="throttled"
        )
    if not device.verify_token(token.replace(" ", "")):
        return TwoStepError(_("The code is wrong or has expired."), code="wrong")
    return None
