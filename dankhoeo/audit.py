"""The security log: ``record`` writes one event; the receivers below feed it from Django's and
django-axes's login signals (the only way to hear about logins made by their views).

Call ``record`` inside the transaction of the change it describes, so that an event exists
exactly when the change does::

    from dankhoeo import audit
    from dankhoeo.models import AuditEvent

    audit.record(actor=user, kind=AuditEvent.Kind.APPROVAL, target=survey,
                 detail=audit.change(old_label, new_label), request=request)
"""

import ipaddress

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest
from django.utils import translation

from dankhoeo.models import AuditEvent, User
from dankhoeo.text import clean_input

Kind = AuditEvent.Kind
_TARGET_MAX = AuditEvent._meta.get_field("target").max_length
_USERNAME_MAX = AuditEvent._meta.get_field("actor_username").max_length


def record(
    *,
    actor: User | None,
    kind: AuditEvent.Kind,
    target: object = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one security event.

    ``actor`` is the user who acted (``None`` or an anonymous user for a failed login);
    ``target`` is the object acted on, or its description (``str()`` is stored, cleaned like
    any text typed, cut to 255 characters: a failed login stores the user name as typed);
    ``request`` gives the client's address.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown audit event kind: {kind!r}")
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username()[:_USERNAME_MAX] if actor else "",
        kind=kind,
        target=clean_input(str(target))[:_TARGET_MAX],
        detail=clean_input(str(detail), multiline=True),
        ip_address=client_ip(request),
    )


def change(old: object, new: object, note: str = "") -> str:
    """A change of state for ``detail``: "Xã đã xác nhận → Đã phê duyệt: note".

    ``old`` and ``new`` are (lazily translated) labels; they are written in the site's language
    (LANGUAGE_CODE), whatever language the person acting reads: the log is one record."""
    with translation.override(settings.LANGUAGE_CODE):
        text = f"{old} → {new}"
    return f"{text}: {note}" if note else text


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as django-axes sees it (behind PROXY_COUNT proxies), if valid."""
    if request is None:
        return None
    raw = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(raw)) if raw else None
    except ValueError:
        return None


def _on_login(sender, request, user, **kwargs):
    record(actor=user, kind=Kind.LOGIN, target=user.get_username(), request=request)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, kind=Kind.LOGOUT, target=user.get_username(), request=request)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    record(actor=None, kind=Kind.LOGIN_FAILED, target=username, request=request)


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    record(actor=None, kind=Kind.LOCKOUT, target=username or "", request=request)


def connect_receivers() -> None:
    """Called once from ``DankhoeoConfig.ready``."""
    user_logged_in.connect(_on_login, dispatch_uid="dankhoeo.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="dankhoeo.audit.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="dankhoeo.audit.login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="dankhoeo.audit.locked_out")
