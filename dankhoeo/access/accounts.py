"""Who may reach the app's own parts: the menu's sections, accounts, the security log, the
administration, two-step login, API tokens, and a report file or an import made in the
background.

The menu (``dankhoeo.navigation``) shows a section when the predicate of its page says yes;
the page itself asks the same predicate, so a link is never shown for a page that answers 403.
"""

from dankhoeo.access.scopes import is_commune_officer, is_liaison, is_signed_in, is_staff
from dankhoeo.models import User


def can_administer(user: User) -> bool:
    """Django's administration: superusers only (staff do their daily work without it)."""
    return is_signed_in(user) and user.is_superuser


def can_manage_accounts(user: User) -> bool:
    """Create accounts, set their role, agency or commune, reset passwords: provincial staff."""
    return is_staff(user)


def can_change_account(user: User, account: User) -> bool:
    """Staff manage the accounts of the plan's roles; a superuser's account only a superuser."""
    return can_manage_accounts(user) and (user.is_superuser or not account.is_superuser)


def can_read_security_log(user: User) -> bool:
    return is_staff(user)


def can_manage_units(user: User) -> bool:
    """Administrative units and the villages' import: reference data, provincial staff."""
    return is_staff(user)


def has_own_villages(user: User) -> bool:
    """A liaison's "My villages": the villages of the agencies they belong to."""
    return is_liaison(user)


def takes_part_in_surveys(user: User) -> bool:
    """Those who enter, confirm or approve surveys and raise or answer proposals: staff,
    liaisons and commune officers (a viewer reads the reports only)."""
    return is_staff(user) or is_liaison(user) or is_commune_officer(user)


def can_use_two_step_login(user: User) -> bool:
    """Two-step login (TOTP) is offered to provincial staff, who hold the widest rights."""
    return is_staff(user)


def can_revoke_token(user: User, owner_id: int) -> bool:
    """An API token is revoked by its owner, or by provincial staff (a lost laptop, a person
    who left)."""
    return is_signed_in(user) and (owner_id == user.pk or is_staff(user))


def sees_every_token(user: User) -> bool:
    """Provincial staff see everyone's active tokens on their account page, to revoke them."""
    return is_staff(user)


def can_fetch_report_file(user: User, owner_id: int) -> bool:
    """A report file made in the background belongs to the person who asked for it alone: it
    holds what *their* scope showed when it was made, so nobody else gets it, not even staff
    (they ask for their own). The caller also checks that the owner still sees its scope."""
    return is_signed_in(user) and owner_id == user.pk


def can_follow_import(user: User, owner_id: int) -> bool:
    """A large import made by the queue is followed by the person who confirmed it alone: its
    result names the rows and errors of their file."""
    return is_signed_in(user) and owner_id == user.pk
