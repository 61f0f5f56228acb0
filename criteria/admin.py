from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from criteria.models import (
    CriteriaSet,
    Criterion,
    Evidence,
    Indicator,
    IndicatorThreshold,
    Recognition,
    Survey,
    SurveyDeadline,
    SurveyTransition,
    SurveyValue,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "name", "legal_basis", "period_start", "status")
    list_filter = ("status", "scope")
    inlines = [CriterionInline]


class ThresholdInline(admin.TabularInline):
    model = IndicatorThreshold
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "criterion", "value_type", "comparator", "threshold")
    list_filter = ("criterion__criteria_set", "value_type", "is_placeholder")
    list_select_related = ("criterion",)
    inlines = [ThresholdInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "group", "criteria_set")
    list_filter = ("criteria_set",)


class TransitionInline(admin.TabularInline):
    model = SurveyTransition
    extra = 0
    readonly_fields = ("from_status", "to_status", "actor", "at", "reason")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("village", "year", "criteria_set", "status", "criteria_met", "criteria_count")
    list_filter = ("year", "status", "criteria_set")
    list_select_related = ("village", "criteria_set")
    raw_id_fields = ("village",)
    readonly_fields = ("version", "criteria_met", "criteria_count", "reaches_standard")
    inlines = [TransitionInline]


@admin.register(SurveyValue)
class SurveyValueAdmin(SimpleHistoryAdmin):
    list_display = ("survey", "indicator", "verdict")
    list_select_related = ("survey__village", "indicator")
    raw_id_fields = ("survey", "indicator")


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("original_name", "value", "size", "uploaded_by", "uploaded_at")
    raw_id_fields = ("value",)


admin.site.register(SurveyDeadline)
admin.site.register(Recognition)
