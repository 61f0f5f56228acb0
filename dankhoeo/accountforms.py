"""Input of the account screens of provincial staff (the rules are in ``dankhoeo.accounts``)."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from assignments.models import Agency
from dankhoeo.models import User
from dankhoeo.text import CleanTextMixin
from villages.models import AdminUnit


class AccountSearchForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *User.Role.choices]
    )
    active = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), ("1", _("active")), ("0", _("deactivated"))],
    )


class AccountDetailsForm(CleanTextMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)


def _agency_field():
    return forms.ModelChoiceField(
        label=_("Agency (for a liaison)"), queryset=Agency.objects.order_by("name"), required=False
    )


def _commune_field():
    return forms.ModelChoiceField(
        label=_("Commune (for a commune officer)"),
        queryset=AdminUnit.objects.communes().order_by("sort_key"),
        required=False,
    )


class AccountMembershipForm(CleanTextMixin, forms.Form):
    """An agency or a commune to add to an account (the service says which fits the role)."""

    agency = _agency_field()
    commune = _commune_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")


class AccountCreateForm(AccountDetailsForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    agency = _agency_field()
    commune = _commune_field()
    field_order = ["username", "last_name", "first_name", "email", "phone", "role"]
