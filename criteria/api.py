"""API endpoints of the criteria app: criteria sets (read), surveys with their values and
verdicts (read), and the two writes the survey page offers: saving values (with the page's
version check) and the workflow transitions. Both call the services the page calls, so the
rules, the verdicts and the history are the same."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from criteria import queries, services
from criteria.models import CriteriaSet, Indicator, Survey
from dankhoeo import access, bounds
from dankhoeo.api import ApiError, LongText, Pagination, Year, record_write
from dankhoeo.errors import Refused

router = Router(tags=["criteria"])


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    value_type: str
    comparator: str
    threshold: Decimal | None
    choices: list[str] = Field(..., alias="choice_list")
    accepted_choices: list[str] = Field(..., alias="accepted_choice_list")
    evidence_required: bool
    is_placeholder: bool


class CriterionOut(Schema):
    id: int
    group: str
    number: int
    name: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(criterion) -> list:
        return list(criterion.indicators.all())


class CriteriaSetOut(Schema):
    id: int
    code: str
    version: int
    name: str
    legal_basis: str
    issued_on: datetime.date | None
    issuer: str
    scope: str
    period_start: int
    period_end: int
    recognising_body: str
    status: str


class CriteriaSetDetail(CriteriaSetOut):
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(criteria_set) -> list:
        return list(criteria_set.criteria.all())


class VillageRef(Schema):
    id: int
    code: str
    name: str


class SurveyOut(Schema):
    id: int
    village: VillageRef
    year: int
    criteria_set_id: int
    status: str
    version: int = Field(..., description="Send it back with a write: a stale one is a 409.")
    criteria_met: int
    criteria_count: int
    reaches_standard: bool
    submitted_at: datetime.datetime | None
    confirmed_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    updated_at: datetime.datetime
    is_demo: bool


class ValueOut(Schema):
    indicator_id: int
    indicator_code: str
    value: bool | Decimal | str | None
    assessed: bool | None
    note: str
    verdict: str
    changed_in_version: int


class CriterionVerdictOut(Schema):
    criterion_id: int
    number: int
    verdict: str


class SurveyDetail(SurveyOut):
    criteria: list[CriterionVerdictOut]
    values: list[ValueOut]


class ValueIn(Schema):
    indicator: int = Field(..., description="The indicator's id.")
    value: bool | Decimal | str | None = None
    assessed: bool | None = Field(None, description="Only where the indicator has no rule.")
    note: LongText | None = Field(None, max_length=1000)


class ValuesIn(Schema):
    version: int = Field(..., description="The survey version the values were read at.")
    values: list[ValueIn] = Field(..., min_length=1)
    reason: LongText = Field("", max_length=300)


class SurveyStartIn(Schema):
    village: int
    year: Year


class TransitionIn(Schema):
    action: str = Field(..., description="submit, confirm, approve, return or reopen")
    reason: LongText = Field("", max_length=bounds.LONG_TEXT)


@router.get("/criteria-sets", response=list[CriteriaSetOut], summary="Criteria sets")
@paginate(Pagination)
def set_list(request, code: str = ""):
    sets = CriteriaSet.objects.all()
    return sets.filter(code=code) if code else sets


@router.get("/criteria-sets/{int:pk}", response=CriteriaSetDetail, summary="One criteria set")
def set_detail(request, pk: int):
    """The set with its criteria and their indicators."""
    sets = CriteriaSet.objects.prefetch_related("criteria__indicators")
    return get_object_or_404(sets, pk=pk)


def _visible(request, pk: int) -> Survey:
    return access.survey_for(request.user, pk)


def _detail(survey: Survey) -> dict:
    values = queries.survey_values(survey)
    blocks = queries.criterion_blocks(survey, values)
    return {
        **SurveyOut.from_orm(survey).model_dump(),
        "criteria": [
            {"criterion_id": b.criterion.pk, "number": b.criterion.number, "verdict": b.verdict}
            for b in blocks
        ],
        "values": [
            {
                "indicator_id": v.indicator_id,
                "indicator_code": v.indicator.code,
                "value": v.typed_value,
                "assessed": v.assessed,
                "note": v.note,
                "verdict": v.verdict,
                "changed_in_version": v.changed_in_version,
            }
            for v in values
        ],
    }


@router.get("/surveys", response=list[SurveyOut], summary="Surveys the user may see")
@paginate(Pagination)
def survey_list(
    request,
    year: Year | None = None,
    status: Survey.Status | None = None,
    village: int | None = None,
):
    surveys = access.scoped(request.user, Survey.objects.select_related("village"))
    surveys = surveys.order_by("-year", "pk")
    if year is not None:
        surveys = surveys.filter(year=year)
    if status:
        surveys = surveys.filter(status=status)
    if village is not None:
        surveys = surveys.filter(village_id=village)
    return surveys


@router.get("/surveys/{int:pk}", response=SurveyDetail, summary="One survey with its values")
def survey_detail(request, pk: int):
    """The values, their verdicts, each criterion's verdict and the totals."""
    return _detail(_visible(request, pk))


@router.post("/surveys", response={201: SurveyDetail}, summary="Start a village's survey")
def survey_start(request, payload: SurveyStartIn):
    """Open the draft survey of a village for a year (or give the one already open), under
    the criteria set that applies to it."""
    village = access.village_for(request.user, payload.village, write=True)
    try:
        survey = services.survey_start(user=request.user, village=village, year=payload.year)
    except Refused as error:
        raise _refused(error) from error
    record_write(request, survey, "survey started")
    return Status(201, _detail(_visible(request, survey.pk)))


def _typed(indicator: Indicator, value):
    """The JSON value in the type of the indicator; a wrong type is a 400 on that value."""
    kind = indicator.value_type
    if value is None or value == "":
        return None
    if kind == Indicator.ValueType.BOOLEAN and isinstance(value, bool):
        return value
    if indicator.is_numeric and not isinstance(value, bool):
        try:
            return Decimal(str(value))  # a number, or its text as the API writes it ("87.5")
        except ArithmeticError:
            pass
    if kind in (Indicator.ValueType.CHOICE, Indicator.ValueType.TEXT) and isinstance(value, str):
        return value
    raise ApiError(
        400,
        _("The value of indicator %(code)s is not of its type (%(type)s).")
        % {"code": indicator.code, "type": indicator.get_value_type_display()},
        errors=[{"field": f"values.{indicator.code}", "message": indicator.value_type}],
    )


def _inputs(survey: Survey, payload: ValuesIn) -> dict[int, services.ValueInput]:
    current = {v.indicator_id: v for v in queries.survey_values(survey)}
    inputs = {}
    for entry in payload.values:
        value = current.get(entry.indicator)
        if value is None:
            raise ApiError(
                400,
                _("Indicator %(id)s is not in this survey's criteria set.")
                % {"id": entry.indicator},
                errors=[{"field": "values.indicator", "message": str(entry.indicator)}],
            )
        given = entry.model_fields_set
        inputs[entry.indicator] = services.ValueInput(
            value=_typed(value.indicator, entry.value) if "value" in given else value.typed_value,
            assessed=entry.assessed if "assessed" in given else value.assessed,
            note=entry.note if entry.note is not None else value.note,
        )
    return inputs


def _refused(error: Refused) -> ApiError:
    status = {"scope": 403, "locked": 409, "transition": 409}.get(error.code, 400)
    if error.code == "year":  # the service's year rule names the field the client sent
        return ApiError(
            status,
            error.messages[0],
            errors=[{"field": "year", "message": str(error.params["year"])}],
        )
    return ApiError(status, error.messages[0])


@router.post("/surveys/{int:pk}/values", response=SurveyDetail, summary="Save survey values")
def survey_save(request, pk: int, payload: ValuesIn):
    """Save some values of a draft survey. ``version`` is the one read: if the survey was
    saved since, nothing is saved and the 409 lists what changed."""
    survey = access.survey_for(request.user, pk, write=True)
    try:
        survey = services.survey_save_values(
            user=request.user,
            survey=survey,
            version=payload.version,
            values=_inputs(survey, payload),
            reason=payload.reason,
        )
    except services.SurveyConflict as conflict:
        changes = [
            {
                "indicator_id": change.indicator.pk,
                "indicator_code": change.indicator.code,
                "value": change.value,
                "by": change.by.get_username() if change.by else None,
                "at": change.at,
            }
            for change in conflict.changes
        ]
        raise ApiError(409, conflict.messages[0], changes=changes) from conflict
    except Refused as error:
        raise _refused(error) from error
    record_write(request, survey, f"survey values v{survey.version}")
    return _detail(_visible(request, pk))


@router.post("/surveys/{int:pk}/transitions", response=SurveyDetail, summary="Move a survey")
def survey_transition(request, pk: int, payload: TransitionIn):
    """submit (the agency), confirm (the commune), approve and reopen (provincial staff),
    return (a reviewer, with a reason)."""
    survey = _visible(request, pk)
    transition = services.TRANSITIONS.get(payload.action)
    if transition is None:
        raise ApiError(400, _("Unknown action."), errors=[{"field": "action", "message": ""}])
    access.require(access.can_transition(request.user, survey, payload.action))
    before = survey.status
    try:
        survey = transition(user=request.user, survey=survey, reason=payload.reason)
    except Refused as error:
        raise _refused(error) from error
    record_write(request, survey, f"survey {before} → {survey.status}")
    return _detail(_visible(request, pk))
