"""The criteria app's models: the standard (``standard``) and the village surveys against it
(``surveys``)."""

from criteria.models.standard import (
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorThreshold,
    VillageGroup,
)
from criteria.models.surveys import (
    STATUS_BADGES,
    Evidence,
    Recognition,
    Survey,
    SurveyDeadline,
    SurveyTransition,
    SurveyValue,
    evidence_path,
)

__all__ = [
    "STATUS_BADGES",
    "CriteriaSet",
    "Criterion",
    "Evidence",
    "Indicator",
    "IndicatorThreshold",
    "Recognition",
    "Survey",
    "SurveyDeadline",
    "SurveyTransition",
    "SurveyValue",
    "VillageGroup",
    "evidence_path",
]
