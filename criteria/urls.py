from django.urls import path

from criteria.views import standard, surveys, workbooks

app_name = "criteria"

urlpatterns = [
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/deadline/", surveys.deadline_edit, name="deadline"),
    path("surveys/workbook/", workbooks.survey_workbook, name="survey-workbook"),
    path("surveys/import/", workbooks.survey_import, name="survey-import"),
    path("surveys/<int:pk>/", surveys.survey_page, name="survey"),
    path("surveys/<int:pk>/save/", surveys.survey_save, name="survey-save"),
    path("surveys/<int:pk>/verdicts/", surveys.survey_verdicts, name="survey-verdicts"),
    path("surveys/<int:pk>/recognition/", surveys.recognition_create, name="recognition-create"),
    path("surveys/<int:pk>/<slug:action>/", surveys.survey_transition, name="survey-transition"),
    path(
        "surveys/<int:pk>/indicators/<int:indicator_pk>/evidence/",
        surveys.evidence_upload,
        name="evidence-upload",
    ),
    path("villages/<int:village_pk>/<int:year>/", surveys.survey_open, name="survey-open"),
    path("villages/<int:village_pk>/<int:year>/start/", surveys.survey_start, name="survey-start"),
    path("evidence/<int:pk>/", surveys.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", surveys.evidence_delete, name="evidence-delete"),
    path("sets/", standard.set_list, name="sets"),
    path("sets/new/", standard.set_edit, name="set-create"),
    path("sets/<int:pk>/", standard.set_detail, name="set"),
    path("sets/<int:pk>/edit/", standard.set_edit, name="set-edit"),
    path("sets/<int:pk>/workbook/", workbooks.set_workbook, name="set-workbook"),
    path("sets/<int:pk>/import/", workbooks.set_import, name="set-import"),
    path("sets/<int:pk>/do/<slug:action>/", standard.set_action, name="set-action"),
    path("sets/<int:set_pk>/criteria/new/", standard.criterion_edit, name="criterion-create"),
    path("sets/<int:set_pk>/criteria/<int:pk>/", standard.criterion_edit, name="criterion-edit"),
    path("criteria/<int:pk>/delete/", standard.criterion_delete, name="criterion-delete"),
    path(
        "criteria/<int:criterion_pk>/indicators/new/",
        standard.indicator_edit,
        name="indicator-create",
    ),
    path(
        "criteria/<int:criterion_pk>/indicators/<int:pk>/",
        standard.indicator_edit,
        name="indicator-edit",
    ),
    path("indicators/<int:pk>/delete/", standard.indicator_delete, name="indicator-delete"),
]
