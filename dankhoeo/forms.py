from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from dankhoeo.models import AuditEvent
from dankhoeo.text import CleanTextMixin

# Django's own form messages that its Vietnamese catalogue leaves untranslated; named here so
# that they stay in ours (dankhoeo/locale), which outranks Django's (settings.LOCALE_PATHS).
DJANGO_UNTRANSLATED = (
    gettext_noop("Null characters are not allowed."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: "
        "%(allowed_extensions)s."
    ),
)


class LoginForm(CleanTextMixin, AuthenticationForm):
    """Django's login form with its user name bounded: Django sets the field's max_length
    after making the field, so no validator checks it, and a longer name reached django-axes,
    whose record of the failed login cannot hold it (a 500 on the login page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class CodeForm(CleanTextMixin, forms.Form):
    """A six-digit code from the phone app."""

    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the six digits shown in the app."))
        return code


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditEventFilter(django_filters.FilterSet):
    """Filters of the security log: event, user name, and a range of days (local time)."""

    kind = django_filters.ChoiceFilter(label=_("Event"), choices=AuditEvent.Kind.choices)
    actor = django_filters.CharFilter(
        label=_("User name"), field_name="actor_username", lookup_expr="icontains"
    )
    since = django_filters.DateFilter(
        label=_("From"),
        method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AuditEvent
        fields = ["kind", "actor", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def filter_since(self, queryset, name, value):
        return queryset.filter(time__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(time__lt=_start_of(value + timedelta(days=1)))
