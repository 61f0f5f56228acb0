import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from criteria import services
from criteria.models import (
    CriteriaSet,
    Indicator,
    Recognition,
    Survey,
    SurveyDeadline,
    SurveyTransition,
    SurveyValue,
)
from dankhoeo import bounds
from dankhoeo.errors import Refused
from dankhoeo.models import AuditEvent
from tests.conftest import make_user
from tests.criteria.conftest import all_met, indicator
from tests.factories import join, make_agency

Status = Survey.Status


def test_starting_a_survey_uses_the_set_of_the_plan_and_opens_one_value_per_indicator(draft, world):
    assert draft.criteria_set == world.set
    assert draft.status == Status.DRAFT
    assert draft.values.count() == 10
    assert (draft.criteria_met, draft.criteria_count) == (0, 10)


def test_without_a_plan_the_set_chosen_by_staff_applies(world, staff):
    vn = CriteriaSet.objects.get(code="VN-318-2022")
    assert services.criteria_set_for(world.outsider, 2025) is None
    services.deadline_set(
        user=staff, year=2025, due_on=datetime.date(2025, 11, 30), criteria_set=vn
    )
    assert services.criteria_set_for(world.outsider, 2025) == vn
    assert services.criteria_set_for(world.village, 2025) == world.set


def test_a_liaison_cannot_start_a_survey_outside_their_villages(world, liaison):
    with pytest.raises(Refused):
        services.survey_start(user=liaison, village=world.outsider, year=2025)
    assert not Survey.objects.exists()


def test_saving_values_computes_verdicts_and_the_total(filled):
    assert (filled.criteria_met, filled.criteria_count) == (10, 10)
    assert filled.reaches_standard
    assert filled.version == 2


def test_one_value_below_threshold_fails_its_criterion(filled, liaison):
    roads = indicator(filled, "1.1")
    services.survey_save_values(
        user=liaison,
        survey=filled,
        version=filled.version,
        values={roads.pk: services.ValueInput(value=Decimal("69.9"))},
    )
    filled.refresh_from_db()
    assert (filled.criteria_met, filled.reaches_standard) == (9, False)
    assert filled.values.get(indicator=roads).verdict == "not_met"


def test_a_stale_save_is_refused_and_shows_what_changed(filled, liaison):
    stale = filled.version
    roads, poor = indicator(filled, "1.1"), indicator(filled, "6.1")
    services.survey_save_values(
        user=liaison,
        survey=filled,
        version=stale,
        values={roads.pk: services.ValueInput(value=Decimal(80))},
    )
    with pytest.raises(services.SurveyConflict) as error:
        services.survey_save_values(
            user=liaison,
            survey=filled,
            version=stale,
            values={poor.pk: services.ValueInput(value=Decimal(3))},
        )
    assert [change.indicator for change in error.value.changes] == [roads]
    assert error.value.changes[0].value == Decimal(80)
    assert filled.values.get(indicator=poor).value_number == Decimal(7)


def test_out_of_range_values_are_refused_and_nothing_is_saved(filled, liaison):
    roads, poor = indicator(filled, "1.1"), indicator(filled, "6.1")
    with pytest.raises(Refused):
        services.survey_save_values(
            user=liaison,
            survey=filled,
            version=filled.version,
            values={
                poor.pk: services.ValueInput(value=Decimal(2)),
                roads.pk: services.ValueInput(value=Decimal(101)),
            },
        )
    assert filled.values.get(indicator=poor).value_number == Decimal(7)
    assert Survey.objects.get(pk=filled.pk).version == filled.version


def test_history_keeps_who_changed_what_and_why(filled, liaison):
    roads = indicator(filled, "1.1")
    services.survey_save_values(
        user=liaison,
        survey=filled,
        version=filled.version,
        values={roads.pk: services.ValueInput(value=Decimal(75))},
        reason="Đo lại",
    )
    record = filled.values.get(indicator=roads).history.first()
    assert record.value_number == Decimal(75)
    assert record.history_change_reason == "Đo lại"
    assert record.prev_record.value_number == Decimal(100)


def walk(survey, liaison, commune_officer, staff):
    services.survey_submit(user=liaison, survey=survey)
    services.survey_confirm(user=commune_officer, survey=survey)
    return services.survey_approve(user=staff, survey=survey)


def test_the_whole_workflow_is_recorded(filled, liaison, commune_officer, staff):
    survey = walk(filled, liaison, commune_officer, staff)
    assert survey.status == Status.APPROVED
    assert survey.submitted_at and survey.confirmed_at and survey.approved_at
    steps = list(
        SurveyTransition.objects.filter(survey=survey).values_list(
            "from_status", "to_status", "actor__username"
        )
    )
    assert steps == [
        ("draft", "submitted", "liaison"),
        ("submitted", "confirmed", "commune"),
        ("confirmed", "approved", "staff"),
    ]


def test_an_incomplete_survey_cannot_be_submitted(draft, liaison):
    with pytest.raises(Refused, match=r"1\.1"):
        services.survey_submit(user=liaison, survey=draft)
    assert Survey.objects.get(pk=draft.pk).status == Status.DRAFT


def test_required_evidence_must_be_attached_before_submitting(filled, liaison):
    roads = indicator(filled, "1.1")
    roads.evidence_required = True
    roads.save()
    with pytest.raises(Refused, match=r"1\.1"):
        services.survey_submit(user=liaison, survey=filled)


@pytest.mark.parametrize(
    ("action", "status", "who"),
    [
        ("submit", "submitted", "liaison"),  # not a draft
        ("confirm", "draft", "commune_officer"),  # not submitted
        ("confirm", "submitted", "liaison"),  # not a commune officer
        ("confirm", "submitted", "staff"),
        ("confirm", "submitted", "other_commune"),  # officer of another commune
        ("approve", "submitted", "staff"),  # not confirmed yet
        ("approve", "confirmed", "commune_officer"),
        ("approve", "confirmed", "liaison"),
        ("return", "draft", "staff"),
        ("return", "submitted", "liaison"),
        ("return", "approved", "staff"),  # approved: only reopen
        ("reopen", "confirmed", "staff"),
        ("reopen", "approved", "commune_officer"),
        ("submit", "draft", "other_liaison"),
    ],
)
def test_transitions_that_are_refused_change_nothing(
    request, filled, action, status, who, liaison, commune_officer, staff
):
    Survey.objects.filter(pk=filled.pk).update(status=status)
    if who == "other_commune":
        actor = make_user("xa-khac", "commune")
        from tests.factories import commune

        join(actor, commune_unit=commune("23341"))
    elif who == "other_liaison":
        actor = make_user("cq-khac", "liaison")
        join(actor, agency=make_agency())
    else:
        actor = request.getfixturevalue(who)
    with pytest.raises(Refused):
        services.TRANSITIONS[action](user=actor, survey=filled, reason="vì")
    assert Survey.objects.get(pk=filled.pk).status == status
    assert not SurveyTransition.objects.exists()


@pytest.mark.parametrize("status", ["submitted", "confirmed"])
@pytest.mark.parametrize("who", ["commune_officer", "staff"])
def test_a_reviewer_returns_a_survey_with_a_reason(request, filled, status, who):
    Survey.objects.filter(pk=filled.pk).update(status=status)
    actor = request.getfixturevalue(who)
    with pytest.raises(Refused):
        services.survey_return(user=actor, survey=filled, reason="  ")
    survey = services.survey_return(user=actor, survey=filled, reason="Thiếu biên bản")
    assert survey.status == Status.DRAFT
    assert survey.transitions.get().reason == "Thiếu biên bản"


def test_approving_and_reopening_go_to_the_security_log(filled, liaison, commune_officer, staff):
    survey = walk(filled, liaison, commune_officer, staff)
    services.survey_reopen(user=staff, survey=survey, reason="Sai số liệu")
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.APPROVAL).order_by("id")
    assert [(e.actor, e.target, e.detail) for e in events] == [
        (staff, str(survey), "Xã đã xác nhận → Đã phê duyệt"),
        (staff, str(survey), "Đã phê duyệt → Bản nháp: Sai số liệu"),
    ]


def test_a_refused_approval_leaves_no_event(filled, liaison, staff):
    services.survey_submit(user=liaison, survey=filled)
    with pytest.raises(Refused):
        services.survey_approve(user=staff, survey=filled)  # not confirmed yet
    assert not AuditEvent.objects.exists()


def test_approved_values_are_locked_until_staff_reopen(filled, liaison, commune_officer, staff):
    survey = walk(filled, liaison, commune_officer, staff)
    roads = indicator(survey, "1.1")
    with pytest.raises(Refused):
        services.survey_save_values(
            user=staff,
            survey=survey,
            version=survey.version,
            values={roads.pk: services.ValueInput(value=Decimal(1))},
        )
    with pytest.raises(Refused):
        services.survey_reopen(user=staff, survey=survey, reason="")
    survey = services.survey_reopen(user=staff, survey=survey, reason="Sai số liệu")
    assert survey.status == Status.DRAFT
    services.survey_save_values(
        user=liaison,
        survey=survey,
        version=survey.version,
        values={roads.pk: services.ValueInput(value=Decimal(1))},
    )


def test_recognition_needs_an_approved_survey_meeting_every_criterion(
    filled, liaison, commune_officer, staff
):
    decision = {
        "decision_number": "123/QĐ-UBND",
        "decided_on": datetime.date(2025, 12, 1),
        "body": "UBND huyện Tu Mơ Rông",
    }
    with pytest.raises(Refused):
        services.recognition_record(user=staff, survey=filled, **decision)
    survey = walk(filled, liaison, commune_officer, staff)
    with pytest.raises(PermissionDenied):
        services.recognition_record(user=liaison, survey=survey, **decision)
    recognition = services.recognition_record(user=staff, survey=survey, **decision)
    assert recognition.village == survey.village
    with pytest.raises(Refused):
        services.survey_reopen(user=staff, survey=survey, reason="x")


def test_recognition_is_refused_below_the_standard(draft, liaison, commune_officer, staff):
    values = all_met(draft)
    values[indicator(draft, "1.1").pk] = services.ValueInput(value=Decimal(10))
    survey = services.survey_save_values(
        user=liaison, survey=draft, version=draft.version, values=values
    )
    survey = walk(survey, liaison, commune_officer, staff)
    with pytest.raises(Refused, match="9"):
        services.recognition_record(
            user=staff,
            survey=survey,
            decision_number="1",
            body="x",
            decided_on=datetime.date(2025, 12, 1),
        )
    assert not Recognition.objects.exists()


def test_a_set_in_use_is_refused_changes_and_copied_as_a_new_version(draft, staff):
    criterion = draft.criteria_set.criteria.first()
    with pytest.raises(Refused):
        services.criterion_delete(user=staff, criterion=criterion)
    copy = services.criteria_set_new_version(user=staff, criteria_set=draft.criteria_set)
    assert (copy.code, copy.version, copy.previous) == ("KT-147-2022", 2, draft.criteria_set)
    assert copy.criteria.count() == 10
    assert not copy.is_in_use()
    services.criterion_delete(user=staff, criterion=copy.criteria.first())
    assert copy.criteria.count() == 9
    assert draft.criteria_set.criteria.count() == 10


def test_the_standard_is_edited_with_plain_values_and_refused_while_in_use(draft, staff):
    in_use = draft.criteria_set
    with pytest.raises(Refused) as refused:
        services.criteria_set_save(user=staff, criteria_set=in_use, name="Đổi tên")
    assert refused.value.code == "in_use"
    with pytest.raises(Refused):
        services.criterion_save(user=staff, criteria_set=in_use, number=11, name="Mới")
    in_use.refresh_from_db()
    assert in_use.name != "Đổi tên" and in_use.criteria.count() == 10
    copy = services.criteria_set_new_version(user=staff, criteria_set=in_use)
    renamed = services.criteria_set_save(user=staff, criteria_set=copy, name="Đổi tên")
    criterion = services.criterion_save(
        user=staff, criteria_set=renamed, number=11, name="Tiêu chí mới", group=""
    )
    indicator = services.indicator_save(
        user=staff, criterion=criterion, code="11.1", name="Có", value_type="boolean"
    )
    assert CriteriaSet.objects.get(pk=copy.pk).name == "Đổi tên"
    assert (criterion.criteria_set, indicator.criterion) == (copy, criterion)
    assert copy.criteria.count() == 11


def test_only_staff_set_deadlines(world, liaison):
    with pytest.raises(PermissionDenied):
        services.deadline_set(user=liaison, year=2025, due_on=datetime.date(2025, 12, 1))
    assert not SurveyDeadline.objects.exists()


def test_a_text_value_is_held_to_the_one_bound_of_its_column():
    text = Indicator(value_type=Indicator.ValueType.TEXT)
    assert services.check_value(text, "x" * bounds.SURVEY_TEXT) == "x" * bounds.SURVEY_TEXT
    with pytest.raises(Refused) as refused, translation.override("vi"):
        services.check_value(text, "x" * (bounds.SURVEY_TEXT + 1))
    assert refused.value.messages == ["Nội dung dài quá 500 ký tự."]
    assert SurveyValue._meta.get_field("value_text").max_length == bounds.SURVEY_TEXT
