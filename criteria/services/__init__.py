"""Writes of the criteria app: the standard (``standard``), the village surveys with their
values and evidence (``surveys``), and their review workflow up to the recognition
(``review``).

Every function is keyword-only, runs in one transaction and raises ``dankhoeo.errors.Refused`` (a
ValidationError with a translatable message) when the change is refused; views show it.
"""

from criteria.services.review import (
    TRANSITIONS,
    recognition_record,
    survey_approve,
    survey_confirm,
    survey_reopen,
    survey_return,
    survey_submit,
)
from criteria.services.standard import (
    criteria_set_confirm,
    criteria_set_new_version,
    criteria_set_require_unused,
    criteria_set_save,
    criterion_delete,
    criterion_save,
    indicator_delete,
    indicator_save,
)
from criteria.services.surveys import (
    Change,
    SurveyConflict,
    ValueInput,
    changes_since,
    check_survey_year,
    check_value,
    criteria_set_for,
    deadline_set,
    evidence_add,
    evidence_remove,
    survey_recompute,
    survey_save_values,
    survey_start,
)

__all__ = [
    "TRANSITIONS",
    "Change",
    "SurveyConflict",
    "ValueInput",
    "changes_since",
    "check_survey_year",
    "check_value",
    "criteria_set_confirm",
    "criteria_set_for",
    "criteria_set_new_version",
    "criteria_set_require_unused",
    "criteria_set_save",
    "criterion_delete",
    "criterion_save",
    "deadline_set",
    "evidence_add",
    "evidence_remove",
    "indicator_delete",
    "indicator_save",
    "recognition_record",
    "survey_approve",
    "survey_confirm",
    "survey_recompute",
    "survey_reopen",
    "survey_return",
    "survey_save_values",
    "survey_start",
    "survey_submit",
]
