"""Accounts, managed by provincial staff without Django's admin: create an account with its role
and its agency or commune, change the role, give a temporary password, deactivate and
reactivate. Every change is written to the security log.

A temporary password is shown once to the staff member who made it; its owner must choose a
new password at the next login (``User.must_change_password``, enforced by
``dankhoeo.middleware.PasswordChangeRequiredMiddleware``). Staff manage the accounts of the
plan's roles; only a superuser changes a superuser's account, and nobody here makes one.
Memberships (the agency or commune that sets a user's scope) are added and removed on the
account's page, through the services of ``assignments`` (``membership_add``,
``membership_remove``), the one place that knows which role belongs where.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assignments import services as assignment_services
from assignments.models import Agency
from dankhoeo import access, audit
from dankhoeo.models import User
from villages.models import AdminUnit

# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_LENGTH = 12


class AccountError(ValidationError):
    """A refused account change; the message says why, in the user's language."""


def temporary_password() -> str:
    """Twelve random letters and digits in groups of four: "k7pm-2xqa-9fhd"."""
    letters = "".join(secrets.choice(_ALPHABET) for _ in range(TEMPORARY_LENGTH))
    return "-".join(letters[i : i + 4] for i in range(0, TEMPORARY_LENGTH, 4))


def _require_manager(actor: User, account: User | None = None) -> None:
    if account is None:
        access.require(access.can_manage_accounts(actor))
    else:
        access.require(access.can_change_account(actor, account))


@transaction.atomic
def account_create(
    *,
    actor: User,
    username: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    agency: Agency | None = None,
    commune: AdminUnit | None = None,
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """A new account with a temporary password (returned, to be shown once) and, for a liaison
    or a commune officer, its agency or commune."""
    _require_manager(actor)
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("This user name is taken."), code="taken")
    if role in (User.Role.LIAISON, User.Role.COMMUNE) and agency is None and commune is None:
        raise AccountError(
            _("Choose the agency of a liaison or the commune of a commune officer."),
            code="place",
        )
    account = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        must_change_password=True,
    )
    password = temporary_password()
    account.set_password(password)
    account.save()
    audit.record(
        actor=actor,
        kind=audit.Kind.ROLE_CHANGE,
        target=account.get_username(),
        detail=audit.change(_("no account"), account.get_role_display()),
        request=request,
    )
    if agency is not None or commune is not None:
        try:
            assignment_services.membership_add(
                user=account, agency=agency, commune=commune, actor=actor, request=request
            )
        except ValidationError as error:
            raise AccountError(error.messages[0], code="place") from error
    return account, password


@transaction.atomic
def account_update(
    *,
    actor: User,
    account: User,
    role: str,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    request: HttpRequest | None = None,
) -> User:
    """Change the name, contact and role; a new role must fit the account's memberships."""
    _require_manager(actor, account)
    old_role = account.get_role_display()
    if role != account.role and account.memberships.exists():
        raise AccountError(
            _("Remove the account's agency or commune before changing its role."), code="place"
        )
    account.role, account.first_name, account.last_name = role, first_name, last_name
    account.email, account.phone = email, phone
    account.save(update_fields=["role", "first_name", "last_name", "email", "phone"])
    if account.get_role_display() != old_role:
        audit.record(
            actor=actor,
            kind=audit.Kind.ROLE_CHANGE,
            target=account.get_username(),
            detail=audit.change(old_role, account.get_role_display()),
            request=request,
        )
    return account


@transaction.atomic
def account_membership_add(
    *,
    actor: User,
    account: User,
    agency: Agency | None = None,
    commune: AdminUnit | None = None,
    request: HttpRequest | None = None,
):
    """Put the account in an agency (a liaison) or a commune (a commune officer): the user's
    scope. ``membership_add`` checks the role and records it in the security log."""
    _require_manager(actor, account)
    try:
        return assignment_services.membership_add(
            user=account, agency=agency, commune=commune, actor=actor, request=request
        )
    except ValidationError as error:
        raise AccountError(error.messages[0], code="place") from error


@transaction.atomic
def account_membership_remove(
    *, actor: User, account: User, membership_id: int, request: HttpRequest | None = None
) -> None:
    """Take the account out of one of its agencies or communes (recorded in the security
    log); a membership of another account is not found."""
    _require_manager(actor, account)
    membership = account.memberships.filter(pk=membership_id).first()
    if membership is None:
        raise AccountError(_("The account does not belong there."), code="missing")
    assignment_services.membership_remove(membership=membership, actor=actor, request=request)


@transaction.atomic
def account_reset_password(
    *, actor: User, account: User, request: HttpRequest | None = None
) -> str:
    """A new temporary password (returned, to be shown once); the owner must change it at the
    next login."""
    _require_manager(actor, account)
    password = temporary_password()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    audit.record(
        actor=actor,
        kind=audit.Kind.ROLE_CHANGE,
        target=account.get_username(),
        detail=str(_("Temporary password given")),
        request=request,
    )
    return password


@transaction.atomic
def account_set_active(
    *, actor: User, account: User, active: bool, request: HttpRequest | None = None
) -> User:
    """Deactivate an account (it can no longer log in; its records stay) or reactivate it."""
    _require_manager(actor, account)
    if account.pk == actor.pk:
        raise AccountError(_("You cannot deactivate your own account."), code="self")
    if account.is_active == active:
        return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        kind=audit.Kind.ROLE_CHANGE,
        target=account.get_username(),
        detail=audit.change(_active_label(not active), _active_label(active)),
        request=request,
    )
    return account


def _active_label(active: bool):
    return _("active") if active else _("deactivated")


def password_changed(*, user: User) -> None:
    """The owner chose a new password: the temporary one is gone."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


def accounts_matching(*, q: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    """The account list: a search in user names, names and e-mails, a role, a state."""
    accounts = User.objects.order_by("username").prefetch_related(
        "memberships__agency", "memberships__commune"
    )
    if q:
        accounts = accounts.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    if role:
        accounts = accounts.filter(role=role)
    if active:
        accounts = accounts.filter(is_active=active == "1")
    return accounts
