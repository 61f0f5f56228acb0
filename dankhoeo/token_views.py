"""The user's own account page ("Tài khoản của tôi"): personal API tokens made, listed and
revoked; provincial staff also see and may revoke everyone's active tokens."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dankhoeo import tokens
from dankhoeo.models import ApiToken
from dankhoeo.text import CleanTextMixin


class TokenForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new token"),
        max_length=100,
        help_text=gettext_lazy("Say what uses it, e.g. “Excel sheet of the agency”."),
    )


def account(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = tokens.api_token_create(
                user=request.user, name=form.cleaned_data["name"], request=request
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            form = TokenForm()
    own, others = tokens.tokens_visible_to(request.user)
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": own.select_related("revoked_by"),
        "other_tokens": others.select_related("user"),
    }
    return render(request, "dankhoeo/account.html", context)


@require_POST
def revoke(request, pk: int):
    own, others = tokens.tokens_visible_to(request.user)
    token = get_object_or_404(ApiToken.objects.filter(pk__in=own.union(others).values("pk")), pk=pk)
    tokens.api_token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token})
    return redirect("my-account")
