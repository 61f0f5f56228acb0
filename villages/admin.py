"""The Django admin for the reference data; everyday editing happens in the app's own pages,
which go through the services (the admin is for the superuser's repairs)."""

from django.contrib import admin

from villages.models import AdminUnit, Village, VillageYear


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "code", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("level",)
    search_fields = ("name", "aliases", "code", "search_text")
    list_select_related = ("parent", "successor")
    raw_id_fields = ("parent", "successor")

    def save_model(self, request, obj, form, change):
        obj.refresh_keys()
        super().save_model(request, obj, form, change)


class VillageYearInline(admin.TabularInline):
    model = VillageYear
    extra = 0


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "commune", "extremely_disadvantaged", "is_demo")
    list_filter = ("extremely_disadvantaged", "is_demo")
    search_fields = ("name", "aliases", "code", "search_text")
    list_select_related = ("commune",)
    raw_id_fields = ("commune", "successor")
    inlines = [VillageYearInline]

    def save_model(self, request, obj, form, change):
        obj.refresh_keys()
        super().save_model(request, obj, form, change)


@admin.register(VillageYear)
class VillageYearAdmin(admin.ModelAdmin):
    list_display = ("village", "year", "households", "population", "poor_households")
    list_filter = ("year",)
    search_fields = ("village__name", "village__code")
    raw_id_fields = ("village",)
