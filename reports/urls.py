from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("map/", views.village_map, name="map"),
    path("review/", views.review, name="review"),
    path("review/edit/", views.review_edit, name="review-edit"),
    path("export/<slug:name>/", views.export, name="export"),
    path("files/<uuid:pk>/", views.report_file, name="file"),
    path("files/<uuid:pk>/download/", views.report_file_download, name="file-download"),
]
