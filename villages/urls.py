from django.urls import path

from villages import views

app_name = "villages"

urlpatterns = [
    path("", views.village_list, name="list"),
    path("new/", views.village_create, name="create"),
    path("<int:pk>/", views.village_detail, name="detail"),
    path("<int:pk>/edit/", views.village_edit, name="edit"),
    path("<int:pk>/statistics/", views.village_year_save, name="year-save"),
    path("communes/<int:pk>/", views.commune_detail, name="commune"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/<int:pk>/", views.unit_edit, name="unit-edit"),
    path("units/<int:pk>/close/", views.unit_close, name="unit-close"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("import/template.xlsx", views.import_template, name="import-template"),
]
