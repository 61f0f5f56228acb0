"""Personal API tokens: made, found and revoked here only.

A token reads ``dk_<prefix>_<secret>``; the database keeps the prefix (to tell tokens apart on
screen) and the SHA-256 hash of the whole token, never the token itself. A token acts as its
user: it sees and changes exactly what the user may on the web pages.
"""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dankhoeo import access, audit
from dankhoeo.models import ApiToken, AuditEvent, User
from dankhoeo.text import clean_input

PREFIX = "dk_"
# last_used_at is written at most this often per token, so that reads do not write each time
LAST_USED_RESOLUTION_SECONDS = 60


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it with its secret, which is never shown again."""
    name = clean_input(name or "")
    if not name:
        raise ValidationError(_("Give the token a name."), code="name")
    prefix = secrets.token_hex(4)
    raw = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=f"{PREFIX}{prefix}", token_hash=token_hash(raw)
    )
    audit.record(
        actor=user,
        kind=AuditEvent.Kind.API_TOKEN,
        target=token,
        detail="created",
        request=request,
    )
    return token, raw


def can_revoke(user: User, token: ApiToken) -> bool:
    return access.can_revoke_token(user, token.user_id)


@transaction.atomic
def api_token_revoke(
    *, actor: User, token: ApiToken, request: HttpRequest | None = None
) -> ApiToken:
    """Revoke a token: its owner or provincial staff may. Revoking twice changes nothing."""
    if not can_revoke(actor, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            actor=actor,
            kind=AuditEvent.Kind.API_TOKEN,
            target=token,
            detail=f"revoked (owner {token.user.get_username()})",
            request=request,
        )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token of an active user with this secret, its use noted; None otherwise."""
    if not raw or not raw.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_visible_to(user: User):
    """The tokens listed on the user's account page: their own; staff see everyone's active."""
    own = ApiToken.objects.filter(user=user)
    if access.sees_every_token(user):
        return own, ApiToken.objects.filter(revoked_at__isnull=True).exclude(user=user)
    return own, ApiToken.objects.none()
