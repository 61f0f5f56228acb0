"""Excel round trips of the criteria app, on the shared layer ``dankhoeo.spreadsheets``: the
survey workbook (``surveys``) and the criteria set workbook (``standard``)."""

from criteria.excel.standard import (
    SET_SHEET,
    SetImport,
    apply_set_import,
    read_set_workbook,
    set_columns,
    set_import_flow,
    set_workbook,
)
from criteria.excel.surveys import (
    SURVEY_SHEET,
    SurveyImport,
    SurveyUpdate,
    apply_survey_import,
    read_survey_workbook,
    survey_columns,
    survey_import_flow,
    survey_workbook,
)

__all__ = [
    "SET_SHEET",
    "SURVEY_SHEET",
    "SetImport",
    "SurveyImport",
    "SurveyUpdate",
    "apply_set_import",
    "apply_survey_import",
    "read_set_workbook",
    "read_survey_workbook",
    "set_columns",
    "set_import_flow",
    "set_workbook",
    "survey_columns",
    "survey_import_flow",
    "survey_workbook",
]
