"""Input forms of the villages app. They parse and check input; the rules live in services."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dankhoeo import bounds
from dankhoeo.text import CleanTextMixin
from villages.models import AdminUnit, Village, VillageYear


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _unit_label(unit: AdminUnit) -> str:
    """ "Xã Đăk Na (nay là xã Đăk Sao) (đến 30/06/2025)": old and new units that share a name
    stay apart in a drop-down list."""
    if unit.valid_to is None:
        return unit.name
    return gettext("%(name)s (until %(day)s)") % {
        "name": unit.name_with_successor(),
        "day": formats.date_format(unit.valid_to, "SHORT_DATE_FORMAT"),
    }


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _unit_label(obj)


class VillageFilterForm(CleanTextMixin, forms.Form):
    """The filters of the village list (GET). Provinces come first: the district and commune
    lists hold the units of the province chosen, or all units when they are few enough for a
    list (one province). The form reads the units once, so filtering costs no query per
    field."""

    DEMO_CHOICES = [("", _("All")), ("only", _("Demo data only")), ("hide", _("Hide demo data"))]
    UNIT_CHOICES = 400  # more units than this: choose a province first

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    province = forms.TypedChoiceField(
        label=_("Province"), coerce=int, required=False, empty_value=None
    )
    district = forms.TypedChoiceField(
        label=_("District (before 1/7/2025)"), coerce=int, required=False, empty_value=None
    )
    old_commune = forms.TypedChoiceField(
        label=_("Commune before 1/7/2025"), coerce=int, required=False, empty_value=None
    )
    new_commune = forms.TypedChoiceField(
        label=_("Commune today"), coerce=int, required=False, empty_value=None
    )
    disadvantaged = forms.BooleanField(
        label=_("Extremely disadvantaged villages only"), required=False
    )
    demo = forms.ChoiceField(label=_("Demo data"), choices=DEMO_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = {p.pk: p for p in AdminUnit.objects.provinces().still_valid()}
        self.fields["province"].choices = [("", _("All"))] + [
            (pk, province.name) for pk, province in provinces.items()
        ]
        if len(provinces) < 2:
            del self.fields["province"]
        chosen = provinces.get(self._raw_int("province"))
        units = AdminUnit.objects.filter(level__in=["district", "commune"])
        if chosen is not None:
            units = units.in_province(chosen)
        units = list(units.in_vietnamese_order()[: self.UNIT_CHOICES + 1])
        self.choose_province_first = len(units) > self.UNIT_CHOICES
        self.units = {} if self.choose_province_first else {unit.pk: unit for unit in units}
        self.province = chosen
        groups = {
            "district": lambda u: u.level == AdminUnit.Level.DISTRICT,
            "old_commune": lambda u: u.level == AdminUnit.Level.COMMUNE and u.valid_to,
            "new_commune": lambda u: u.level == AdminUnit.Level.COMMUNE and not u.valid_to,
        }
        for name, belongs in groups.items():
            self.fields[name].choices = [("", _("All"))] + [
                (unit.pk, unit.name) for unit in self.units.values() if belongs(unit)
            ]

    def _raw_int(self, name: str) -> int | None:
        return bounds.whole_number(self.data.get(name), bounds.ID) if self.is_bound else None

    def villages(self, villages):
        """Apply the filters to a queryset of villages."""
        data = self.cleaned_data
        if data.get("q"):
            villages = villages.search(data["q"])
        if self.province is not None:
            villages = villages.in_province(self.province)
        if data.get("district"):
            villages = villages.in_district(self.units[data["district"]])
        if data.get("old_commune"):
            villages = villages.filter(commune=self.units[data["old_commune"]])
        if data.get("new_commune"):
            villages = villages.in_commune(self.units[data["new_commune"]])
        demo = {"only": True, "hide": False}.get(data.get("demo") or "")
        return villages.flagged(
            extremely_disadvantaged=True if data.get("disadvantaged") else None, demo=demo
        )


class VillageForm(CleanTextMixin, forms.ModelForm):
    commune = UnitChoiceField(
        label=_("commune"), queryset=AdminUnit.objects.communes().select_related("successor")
    )

    class Meta:
        model = Village
        fields = [
            "code",
            "name",
            "aliases",
            "commune",
            "ethnic_groups",
            "extremely_disadvantaged",
            "latitude",
            "longitude",
        ]
        localized_fields = ["latitude", "longitude"]  # typed the Vietnamese way: 14,6543

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        for axis in bounds.AXES:
            self.fields[axis].help_text = gettext(
                "Decimal degrees inside Vietnam (%(minimum)s to %(maximum)s); give both "
                "coordinates or neither."
            ) % {
                "minimum": formats.number_format(bounds.AXES[axis].minimum),
                "maximum": formats.number_format(bounds.AXES[axis].maximum),
            }

    def clean(self):
        data = super().clean()
        if "latitude" in data and "longitude" in data:  # neither refused as malformed already
            try:
                bounds.check_point(data["latitude"], data["longitude"])
            except forms.ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
        return data

    def validate_unique(self):
        """Uniqueness is the service's rule (it says which village already has the code)."""


class VillageYearForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = VillageYear
        fields = [
            "year",
            "households",
            "population",
            "poor_households",
            "near_poor_households",
            "ethnic_minority_share",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def validate_unique(self):
        """Saving a year that exists replaces its figures (the service updates it)."""


class AdminUnitForm(CleanTextMixin, forms.ModelForm):
    parent = UnitChoiceField(
        label=_("belongs to"),
        queryset=AdminUnit.objects.filter(
            level__in=[AdminUnit.Level.PROVINCE, AdminUnit.Level.DISTRICT]
        ).select_related("successor"),
        required=False,
    )

    class Meta:
        model = AdminUnit
        fields = ["level", "code", "name", "aliases", "parent", "valid_from", "note"]
        widgets = {"valid_from": DateInput()}

    def __init__(self, *args, history_only: bool = False, **kwargs):
        """``history_only``: the unit is history; only its spellings and note may change."""
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        if self.instance.pk:
            del self.fields["level"]
        if history_only:
            for name in ["code", "name", "parent", "valid_from"]:
                del self.fields[name]

    def validate_unique(self):
        """Code reuse is the service's rule (a code may return once the other unit ended)."""

    def validate_constraints(self, exclude=None):
        """The service checks dates and codes and says what is wrong in words."""


class CloseUnitForm(CleanTextMixin, forms.Form):
    valid_to = forms.DateField(label=_("Last day of existence"), widget=DateInput())
    successor = UnitChoiceField(
        label=_("Merged into"),
        queryset=AdminUnit.objects.none(),
        required=False,
        help_text=_("Leave empty if the unit was abolished without a successor."),
    )

    def __init__(self, *args, unit: AdminUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["successor"].queryset = AdminUnit.objects.filter(level=unit.level).exclude(
            pk=unit.pk
        )
