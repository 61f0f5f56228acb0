from django.urls import path

from criteria import views

app_name = "criteria"

urlpatterns = [
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/deadline/", views.deadline_edit, name="deadline"),
    path("surveys/workbook/", views.survey_workbook, name="survey-workbook"),
    path("surveys/import/", views.survey_import, name="survey-import"),
    path("surveys/<int:pk>/", views.survey_page, name="survey"),
    path("surveys/<int:pk>/save/", views.survey_save, name="survey-save"),
    path("surveys/<int:pk>/verdicts/", views.survey_verdicts, name="survey-verdicts"),
    path("surveys/<int:pk>/recognition/", views.recognition_create, name="recognition-create"),
    path("surveys/<int:pk>/<slug:action>/", views.survey_transition, name="survey-transition"),
    path(
        "surveys/<int:pk>/indicators/<int:indicator_pk>/evidence/",
        views.evidence_upload,
        name="evidence-upload",
    ),
    path("villages/<int:village_pk>/<int:year>/", views.survey_open, name="survey-open"),
    path("villages/<int:village_pk>/<int:year>/start/", views.survey_start, name="survey-start"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("sets/", views.set_list, name="sets"),
    path("sets/new/", views.set_edit, name="set-create"),
    path("sets/<int:pk>/", views.set_detail, name="set"),
    path("sets/<int:pk>/edit/", views.set_edit, name="set-edit"),
    path("sets/<int:pk>/workbook/", views.set_workbook, name="set-workbook"),
    path("sets/<int:pk>/import/", views.set_import, name="set-import"),
    path("sets/<int:pk>/do/<slug:action>/", views.set_action, name="set-action"),
    path("sets/<int:set_pk>/criteria/new/", views.criterion_edit, name="criterion-create"),
    path("sets/<int:set_pk>/criteria/<int:pk>/", views.criterion_edit, name="criterion-edit"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion-delete"),
    path(
        "criteria/<int:criterion_pk>/indicators/new/",
        views.indicator_edit,
        name="indicator-create",
    ),
    path(
        "criteria/<int:criterion_pk>/indicators/<int:pk>/",
        views.indicator_edit,
        name="indicator-edit",
    ),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator-delete"),
]
