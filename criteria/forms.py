"""Input parsing of the criteria app: typed survey values, workflow reasons, sets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from criteria import verdicts
from criteria.models import CriteriaSet, Criterion, Indicator, SurveyDeadline
from criteria.services import ValueInput
from dankhoeo import bounds, money
from dankhoeo.text import CleanTextMixin

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]
ASSESSED = [("", _("Not assessed")), ("yes", _("Met")), ("no", _("Not met"))]
BOOL = {"yes": True, "no": False, "": None}


def _bool_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class SurveyValuesForm(CleanTextMixin, forms.Form):
    """One typed field per indicator (``v_<id>``), an assessment where the server has no rule
    (``a_<id>``), a note (``n_<id>``), and the survey version the page was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why these changes (optional)"), required=False, max_length=300
    )

    def __init__(self, *args, values, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.values = values
        for value in values:
            indicator = value.indicator
            key = indicator.pk
            self.fields[f"v_{key}"] = self._value_field(indicator)
            self.initial[f"v_{key}"] = self._initial(value)
            if verdicts.needs_assessment(indicator, village):
                self.fields[f"a_{key}"] = forms.ChoiceField(
                    label=_("Assessment"), choices=ASSESSED, required=False
                )
                self.initial[f"a_{key}"] = _bool_initial(value.assessed)
            self.fields[f"n_{key}"] = forms.CharField(
                label=_("Note"), required=False, max_length=1000
            )
            self.initial[f"n_{key}"] = value.note
        for bound in self.fields.values():
            css = "form-select" if isinstance(bound, forms.ChoiceField) else "form-control"
            bound.widget.attrs.setdefault("class", f"{css} {css}-sm")

    @staticmethod
    def _value_field(indicator: Indicator) -> forms.Field:
        label = indicator.name
        kind = indicator.value_type
        if kind == Indicator.ValueType.BOOLEAN:
            return forms.ChoiceField(label=label, choices=YES_NO, required=False)
        if kind == Indicator.ValueType.CHOICE:
            choices = [("", "—"), *((c, c) for c in indicator.choice_list)]
            return forms.ChoiceField(label=label, choices=choices, required=False)
        if kind == Indicator.ValueType.TEXT:
            return forms.CharField(label=label, required=False, max_length=bounds.SURVEY_TEXT)
        field = forms.DecimalField(
            label=label,
            required=False,
            max_digits=16,
            decimal_places=4,
            localize=True,
            min_value=bounds.INDICATOR_NUMBER.minimum,
            max_value=(
                bounds.PERCENT if kind == Indicator.ValueType.PERCENT else bounds.INDICATOR_NUMBER
            ).maximum,
        )
        field.widget.attrs["inputmode"] = "decimal"
        return field

    @staticmethod
    def _initial(value):
        if value.indicator.value_type == Indicator.ValueType.BOOLEAN:
            return _bool_initial(value.value_bool)
        if value.value_number is not None:  # as entered: "12,5", not "12,5000"
            return money.format_number(value.value_number)
        return value.typed_value

    def value_inputs(self) -> dict[int, ValueInput]:
        """What was entered, per indicator id (only for fields that parsed)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        inputs = {}
        for value in self.values:
            key = value.indicator.pk
            if f"v_{key}" not in data:
                continue
            typed = data[f"v_{key}"]
            if value.indicator.value_type == Indicator.ValueType.BOOLEAN:
                typed = BOOL[typed]
            inputs[key] = ValueInput(
                value=typed if typed != "" else None,
                assessed=BOOL[data.get(f"a_{key}") or ""],
                note=data.get(f"n_{key}", ""),
            )
        return inputs


class ReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea({"rows": 2})
    )


class EvidenceForm(CleanTextMixin, forms.Form):
    # an empty file is refused by uploads.check_upload, which names it
    file = forms.FileField(label=_("Photo or PDF"), allow_empty_file=True)


class DeadlineForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = SurveyDeadline
        fields = ["year", "due_on", "criteria_set"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class RecognitionForm(CleanTextMixin, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decided_on = forms.DateField(label=_("Decision date"), widget=forms.DateInput({"type": "date"}))
    body = forms.CharField(label=_("Issued by"), max_length=200)


class CriteriaSetForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = CriteriaSet
        fields = [
            "code",
            "name",
            "legal_basis",
            "issued_on",
            "issuer",
            "scope",
            "period_start",
            "period_end",
            "recognising_body",
            "note",
        ]
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CriterionForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["group", "number", "name"]


class IndicatorForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "value_type",
            "comparator",
            "threshold",
            "choices",
            "accepted_choices",
            "means_of_verification",
            "evidence_required",
            "is_placeholder",
            "source",
        ]
        localized_fields = ["threshold"]

    def clean(self):
        data = super().clean()
        kind, comparator = data.get("value_type"), data.get("comparator")
        numeric = kind in (Indicator.ValueType.NUMBER, Indicator.ValueType.PERCENT)
        if numeric and comparator in (Indicator.Comparator.ONE_OF, Indicator.Comparator.FILLED):
            self.add_error("comparator", _("Compare a number with ≥, >, ≤, < or =."))
        if kind == Indicator.ValueType.CHOICE and not data.get("choices"):
            self.add_error("choices", _("List the choices, separated by “|”."))
        accepted = {c.strip() for c in (data.get("accepted_choices") or "").split("|") if c}
        offered = {c.strip() for c in (data.get("choices") or "").split("|") if c}
        if accepted - offered:
            self.add_error("accepted_choices", _("Accepted choices must be among the choices."))
        return data
