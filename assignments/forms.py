"""Input parsing for the assignments pages. Business rules live in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Activity,
    Agency,
    Assignment,
    CommonPlan,
    Dissemination,
    DvkModel,
    OutdatedCustom,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
    TeamMember,
)
from criteria.models import Criterion
from dankhoeo import bounds, money
from dankhoeo.models import User
from dankhoeo.text import CleanTextMixin
from villages.models import AdminUnit, Village

AMOUNT_ERRORS = {
    "empty": _("Enter the amount."),
    "currency": _("Amounts are recorded in đồng only; convert other currencies to đồng."),
    "decimal": _("Enter a whole number (no decimals): đồng and work-days are counted whole."),
    "negative": _("The amount cannot be negative."),
    "invalid": _("Enter a number such as 1.250.000."),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class WholeAmountField(forms.CharField):
    """A whole amount typed the Vietnamese way ("1.250.000"), read by dankhoeo.money."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return money.parse_whole_amount(value)
        except money.AmountError as error:
            raise forms.ValidationError(AMOUNT_ERRORS[error.code], code=error.code) from error


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        kwargs.setdefault("allow_empty_file", True)  # refused by uploads.check_upload, by name
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class PlanForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "number",
            "title",
            "issuer",
            "issued_on",
            "period_start",
            "period_end",
            "criteria_set",
            "related_documents",
            "is_active",
            "issuer_code",
            *(plan_field for plan_field, _report_field in Plan.DOCUMENT_FACTS),
        ]
        widgets = {
            "issued_on": DateInput(),
            "related_documents": forms.Textarea({"rows": 3}),
            "recipients": forms.Textarea({"rows": 5}),
        }


class AgencyForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind"]


class MembershipForm(CleanTextMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"),
        queryset=User.objects.filter(
            is_active=True, role__in=[User.Role.LIAISON, User.Role.COMMUNE]
        ).order_by("username"),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.all(), required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=AdminUnit.objects.communes().order_by("sort_key"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("agency")) == bool(data.get("commune")):
            raise forms.ValidationError(_("Choose either an agency or a commune."))
        return data


class AssignmentForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["village", "agency", "role", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The village is typed by its code (shown on the board): a list of every village of
        # a country would weigh megabytes on every page of the board.
        village = self.fields["village"]
        village.queryset = Village.objects.all()
        village.to_field_name = "code"
        village.widget = forms.TextInput()
        village.label = _("Village code")
        village.help_text = _("The code shown beside the village's name on the board.")
        village.error_messages["invalid_choice"] = _("No village has the code %(value)s.")


class TeamForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = SupportTeam
        fields = ["established_on", "decision", "note"]
        widgets = {"established_on": DateInput(), "note": forms.Textarea({"rows": 2})}


class TeamMemberForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["full_name", "position", "role", "agency", "workplace", "phone"]


class DisseminationForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Dissemination
        fields = ["held_on", "attendance", "note"]
        widgets = {"held_on": DateInput(), "note": forms.Textarea({"rows": 2})}


class VillageWorkForm(CleanTextMixin, forms.ModelForm):
    """A form for one agency's work in one village: the agency is one of those assigned."""

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = None


class ActivityForm(VillageWorkForm):
    photos = MultipleFileField(label=_("Photos"), required=False)

    class Meta:
        model = Activity
        fields = [
            "agency",
            "held_on",
            "kind",
            "people_reached",
            "households_reached",
            "description",
            "customs",
        ]
        widgets = {
            "held_on": DateInput(),
            "description": forms.Textarea({"rows": 3}),
            "customs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _("JPEG or PNG, up to %(size)s MB each.") % {
            "size": bounds.megabytes(bounds.PHOTO_BYTES)
        }
        self.fields["customs"].queryset = OutdatedCustom.objects.all()


class CorrectionForm(CleanTextMixin, forms.Form):
    """Mixed into a record's form for a correction: the version read travels with it, so that
    a save made meanwhile by someone else is not overwritten (the service refuses)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def full_clean(self):
        """The version is a hidden field, whose error the page would not show: a missing or
        malformed one is said above the fields."""
        super().full_clean()
        if self.is_bound and self._errors.pop("version", None):
            self.add_error(
                None, _("The form is incomplete: reload the page and make your change again.")
            )


class ActivityEditForm(CorrectionForm, ActivityForm):
    """Photos given here are added to those already there."""


class ResourceForm(VillageWorkForm):
    amount = WholeAmountField(
        label=_("Amount"),
        help_text=_("In đồng for cash and goods (e.g. 1.250.000); whole work-days."),
    )

    class Meta:
        model = Resource
        fields = [
            "agency",
            "source",
            "kind",
            "amount",
            "received_on",
            "contributor",
            "households_benefiting",
            "criterion",
            "description",
        ]
        widgets = {"received_on": DateInput(), "description": forms.Textarea({"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = Criterion.objects.filter(criteria_set_id=plan.criteria_set_id)
        self.fields["criterion"].queryset = criteria


class ResourceEditForm(CorrectionForm, ResourceForm):
    pass


class CommonPlanForm(VillageWorkForm):
    file = forms.FileField(
        label=_("Signed document"),
        required=False,
        allow_empty_file=True,  # refused by uploads.check_upload, by name
    )

    class Meta:
        model = CommonPlan
        fields = ["agency", "agreed_on", "content"]
        widgets = {"agreed_on": DateInput(), "content": forms.Textarea({"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = bounds.megabytes(bounds.COMMON_PLAN_BYTES)
        self.fields["file"].help_text = _(
            "Optional: PDF, Word, JPEG or PNG, up to %(size)s MB."
        ) % {"size": size}


class CommonPlanEditForm(CorrectionForm, CommonPlanForm):
    """A file given here replaces the one kept."""


class ProposalForm(VillageWorkForm):
    class Meta:
        model = Proposal
        fields = ["agency", "title", "content", "addressed_to", "addressed_agency", "due_on"]
        widgets = {"due_on": DateInput(), "content": forms.Textarea({"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_agency"].queryset = Agency.objects.all()


class ProposalAnswerForm(CleanTextMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        max_length=bounds.LONG_TEXT,
    )
    due_on = forms.DateField(label=_("Answer due by"), widget=DateInput(), required=False)


class DvkModelForm(VillageWorkForm):
    class Meta:
        model = DvkModel
        fields = ["agency", "field", "kind", "name", *DvkModel.FACT_FIELDS]
        widgets = {name: forms.Textarea({"rows": 2}) for name in DvkModel.FACT_FIELDS}


class DvkModelEditForm(CorrectionForm, DvkModelForm):
    pass


class DvkEvaluationForm(CleanTextMixin, forms.Form):
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DateInput())
    evaluation = forms.CharField(
        label=_("Evaluation"), widget=forms.Textarea({"rows": 3}), required=False
    )

    def __init__(self, *args, model: DvkModel, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (standard, met) in enumerate(model.standards, start=1):
            self.fields[f"standard_{number}"] = forms.BooleanField(
                label=standard, required=False, initial=bool(met)
            )

    @property
    def standards(self) -> list[bool]:
        return [self.cleaned_data[f"standard_{n}"] for n in range(1, 6)]


class AttachmentForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPEG, PNG, Word or Excel."), allow_empty_file=True
    )
