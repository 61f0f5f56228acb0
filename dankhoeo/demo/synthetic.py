"""A synthetic country for benchmarks and scale tests: provinces, communes, villages, five years
of surveys against a criteria set, agencies, assignments, support teams, some resources and
proposals. Everything is written with bulk inserts and marked as synthetic: villages, plans,
agencies, surveys and work records carry ``is_demo``; units carry ``SYNTHETIC_NOTE``; codes start
with ``SYN``. Nothing here is official data and nothing here describes a real place.

``generate(shape)`` is what the ``generate_country`` command and the scale tests call.
"""

import datetime
import itertools
import time
from dataclasses import dataclass

from django.db import connection, transaction

from assignments.models import (
    Agency,
    Assignment,
    Plan,
    Proposal,
    Resource,
    ResourceSource,
    SupportTeam,
    TeamMember,
)
from criteria.models import CriteriaSet, Indicator, Survey, SurveyValue
from villages.models import AdminUnit, Village

CODE_PREFIX = "SYN"
SYNTHETIC_NOTE = "Dữ liệu tổng hợp để đo hiệu năng, không phải số liệu thật (synthetic)."
CRITERIA_SET = "KT-147-2022"
BATCH = 5000
PREFIXES = ["Thôn", "Làng", "Bản", "Buôn", "Plei", "Tổ dân phố"]
SYLLABLES = [
    "Đăk",
    "Kon",
    "Ia",
    "Măng",
    "Ngọc",
    "Tu",
    "Xốp",
    "Hà",
    "Long",
    "Ba",
    "Rơ",
    "Ê",
    "Ơn",
    "Ư",
    "Ân",
    "Chư",
    "Yên",
    "Thủy",
]


class SyntheticDataError(Exception):
    """The database is not fit for synthetic data (real data, or a country already there)."""


@dataclass(frozen=True)
class Shape:
    provinces: int
    communes: int  # in all
    villages: int  # in all
    years: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025)
    agencies_per_province: int = 40


SCALES = {
    "tiny": Shape(provinces=2, communes=4, villages=12, agencies_per_province=3),
    "small": Shape(provinces=3, communes=12, villages=60, agencies_per_province=5),
    "national": Shape(provinces=34, communes=3300, villages=60000),
}


@dataclass
class Result:
    villages: int = 0
    surveys: int = 0
    values: int = 0
    seconds: float = 0.0


def real_data_present() -> list[str]:
    """What in the database is neither demo nor synthetic (empty: safe to generate)."""
    found = []
    for model in (Village, Plan, Agency, Survey):
        if model.objects.filter(is_demo=False).exists():
            found.append(model._meta.verbose_name_plural)
    return [str(name) for name in found]


def synthetic_villages():
    return Village.objects.filter(code__startswith=f"{CODE_PREFIX}-")


def _split(total: int, parts: int) -> list[int]:
    """``total`` spread over ``parts`` as evenly as whole numbers allow."""
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def _name(prefix_list, n: int) -> str:
    first = SYLLABLES[n % len(SYLLABLES)]
    second = SYLLABLES[(n // len(SYLLABLES) + 7) % len(SYLLABLES)]
    return f"{prefix_list[n % len(prefix_list)]} {first} {second} {n}"


def _keyed(obj):
    obj.refresh_keys()
    return obj


def generate(shape: Shape, *, progress=None, only: int | None = None) -> Result:
    """Write a synthetic country of this shape in one transaction (all or nothing); ``only``:
    just the province of this number, numbered as in the whole country (a quicker way to the
    1,746 villages of SYN17)."""
    say = progress or (lambda message: None)
    criteria_set = CriteriaSet.objects.filter(code=CRITERIA_SET).order_by("version").first()
    if criteria_set is None:
        raise SyntheticDataError(f"The reference criteria set {CRITERIA_SET} is missing.")
    if synthetic_villages().exists():
        raise SyntheticDataError("A synthetic country is already there: use a fresh database.")
    indicators = list(
        Indicator.objects.filter(criterion__criteria_set=criteria_set).select_related("criterion")
    )
    criteria_count = len({i.criterion_id for i in indicators})
    source = ResourceSource.objects.order_by("position").first()
    started = time.perf_counter()
    result = Result()
    with transaction.atomic():
        communes_of = _split(shape.communes, shape.provinces)
        villages_of = _split(shape.villages, shape.communes)
        commune_counter = itertools.count()
        numbered = 0  # villages numbered so far, written or skipped
        for p in range(shape.provinces):
            number = p + 1
            if only is not None and number != only:
                skipped = [next(commune_counter) for _ in range(communes_of[p])]
                numbered += sum(villages_of[c] for c in skipped)
                continue
            province = _keyed(
                AdminUnit(
                    level=AdminUnit.Level.PROVINCE,
                    code=f"{CODE_PREFIX}P{number:02d}",
                    name=f"Tỉnh Tổng Hợp {number:02d}",
                    note=SYNTHETIC_NOTE,
                )
            )
            province.save()
            communes = AdminUnit.objects.bulk_create(
                _keyed(
                    AdminUnit(
                        level=AdminUnit.Level.COMMUNE,
                        code=f"{CODE_PREFIX}{c:05d}",
                        name=_name(["Xã", "Phường"], c),
                        parent=province,
                        note=SYNTHETIC_NOTE,
                    )
                )
                for c in (next(commune_counter) for _ in range(communes_of[p]))
            )
            villages = []
            for commune in communes:
                index = int(commune.code[len(CODE_PREFIX) :])
                for _ in range(villages_of[index]):
                    n = numbered + len(villages)
                    villages.append(
                        _keyed(
                            Village(
                                code=f"{CODE_PREFIX}-{n:06d}",
                                name=_name(PREFIXES, n),
                                commune=commune,
                                extremely_disadvantaged=n % 4 == 0,
                                is_demo=True,
                            )
                        )
                    )
            villages = Village.objects.bulk_create(villages, batch_size=BATCH)
            counts = _province_work(number, shape, villages, criteria_set, indicators, source)
            counts_surveys = _surveys(shape, villages, criteria_set, indicators, criteria_count)
            result.villages += len(villages)
            numbered += len(villages)
            result.surveys += counts_surveys[0]
            result.values += counts_surveys[1]
            say(
                f"province {number}/{shape.provinces}: {len(communes)} communes, "
                f"{len(villages)} villages, {counts} agencies, {counts_surveys[0]} surveys, "
                f"{counts_surveys[1]} values ({time.perf_counter() - started:.0f} s)"
            )
    result.seconds = time.perf_counter() - started
    return result


def _province_work(number, shape, villages, criteria_set, indicators, source) -> int:
    """The province's plan, agencies, assignments, teams, resources and proposals."""
    plan = Plan.objects.create(
        number=f"{CODE_PREFIX}{number:02d}-KH/TU",
        title=f"Kế hoạch tổng hợp của Tỉnh Tổng Hợp {number:02d} (dữ liệu tổng hợp)",
        issuer=f"Tỉnh ủy Tỉnh Tổng Hợp {number:02d}",
        period_start=shape.years[0],
        period_end=shape.years[-1],
        criteria_set=criteria_set,
        related_documents=SYNTHETIC_NOTE,
        is_demo=True,
    )
    plan.villages.add(*villages)
    agencies = Agency.objects.bulk_create(
        Agency(
            code=f"{CODE_PREFIX}{number:02d}-A{a:03d}",
            name=f"Cơ quan tổng hợp {number:02d}-{a:03d}",
            is_demo=True,
        )
        for a in range(shape.agencies_per_province)
    )
    lead_of = {v.pk: agencies[n % len(agencies)] for n, v in enumerate(villages)}
    assignments = [
        Assignment(plan=plan, agency=lead_of[v.pk], village=v, role=Assignment.Role.LEAD)
        for v in villages
    ]
    assignments += [
        Assignment(
            plan=plan,
            agency=agencies[(n + 1) % len(agencies)],
            village=v,
            role=Assignment.Role.SUPPORTING,
        )
        for n, v in enumerate(villages)
        if n % 4 == 0 and len(agencies) > 1
    ]
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    teams = SupportTeam.objects.bulk_create(
        (SupportTeam(plan=plan, village=v, note=SYNTHETIC_NOTE, is_demo=True) for v in villages),
        batch_size=BATCH,
    )
    TeamMember.objects.bulk_create(
        (
            TeamMember(
                team=team,
                full_name=f"Thành viên tổng hợp {k + 1}",
                agency=lead_of[team.village_id],
                role=TeamMember.Role.LEADER if k == 0 else TeamMember.Role.MEMBER,
            )
            for team in teams
            for k in range(3)
        ),
        batch_size=BATCH,
    )
    last = shape.years[-1]
    Resource.objects.bulk_create(
        (
            Resource(
                plan=plan,
                agency=lead_of[v.pk],
                village=v,
                source=source,
                kind=Resource.Kind.CASH,
                amount=5_000_000 + 250_000 * (n % 20),
                received_on=datetime.date(year, 6, 1),
                description=SYNTHETIC_NOTE,
                is_demo=True,
            )
            for n, v in enumerate(villages)
            if n % 3 == 0
            for year in (last - 1, last)
        ),
        batch_size=BATCH,
    )
    Proposal.objects.bulk_create(
        (
            Proposal(
                plan=plan,
                agency=lead_of[v.pk],
                village=v,
                title="Kiến nghị tổng hợp",
                content=SYNTHETIC_NOTE,
                raised_on=datetime.date(last, 5, 1),
                addressed_to=Proposal.Addressee.COMMUNE,
                is_demo=True,
            )
            for n, v in enumerate(villages)
            if n % 5 == 0
        ),
        batch_size=BATCH,
    )
    return len(agencies)


def _status(n: int, year: int, last: int) -> str | None:
    """Mostly approved; the last year has every state of the workflow and some not started."""
    if year < last:
        return Survey.Status.CONFIRMED if n % 20 == 0 else Survey.Status.APPROVED
    return [
        Survey.Status.APPROVED,
        Survey.Status.APPROVED,
        Survey.Status.APPROVED,
        Survey.Status.APPROVED,
        Survey.Status.APPROVED,
        Survey.Status.APPROVED,
        Survey.Status.CONFIRMED,
        Survey.Status.SUBMITTED,
        Survey.Status.DRAFT,
        None,
    ][n % 10]


def _surveys(shape, villages, criteria_set, indicators, criteria_count) -> tuple[int, int]:
    last = shape.years[-1]
    numbers = sorted({i.criterion.number for i in indicators})
    criteria = {i.criterion.number: str(i.criterion_id) for i in indicators}
    planned = []
    for n, village in enumerate(villages):
        for k, year in enumerate(shape.years):
            status = _status(n + k, year, last)
            if status is None:
                continue
            met = min(criteria_count, 4 + (n % 5) + k)
            planned.append((village, year, status, met))
    surveys = Survey.objects.bulk_create(
        (
            Survey(
                village_id=village.pk,
                year=year,
                criteria_set_id=criteria_set.pk,
                status=status,
                criteria_met=met,
                criteria_count=criteria_count,
                reaches_standard=met == criteria_count,
                criterion_verdicts={
                    criteria[number]: SurveyValue.Verdict.MET
                    if k < met
                    else SurveyValue.Verdict.NOT_MET
                    for k, number in enumerate(numbers)
                },
                note=SYNTHETIC_NOTE,
                is_demo=True,
                approved_at=(
                    datetime.datetime(year, 11, 1, tzinfo=datetime.UTC)
                    if status == Survey.Status.APPROVED
                    else None
                ),
            )
            for village, year, status, met in planned
        ),
        batch_size=BATCH,
    )

    def survey_values():
        for survey, (*_, met) in zip(surveys, planned, strict=True):
            met_numbers = set(numbers[:met])
            for indicator in indicators:
                yield _value(survey, indicator, indicator.criterion.number in met_numbers)

    return len(surveys), _insert(SurveyValue, survey_values())


def _insert(model, objects) -> int:
    """Write many rows that nothing reads back: PostgreSQL's COPY (several times faster than
    INSERT for the millions of survey values of a country), bulk inserts elsewhere."""
    if connection.vendor != "postgresql":
        return len(model.objects.bulk_create(list(objects), batch_size=BATCH))
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                )
                written += 1
    return written


def _value(survey: Survey, indicator: Indicator, met: bool) -> SurveyValue:
    """A value on the right side of the indicator's threshold, with its verdict."""
    value = SurveyValue(
        survey_id=survey.pk,
        indicator_id=indicator.pk,
        verdict=SurveyValue.Verdict.MET if met else SurveyValue.Verdict.NOT_MET,
    )
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        value.value_bool = met
    elif indicator.is_numeric and indicator.threshold is not None:
        up = indicator.comparator in (Indicator.Comparator.GTE, Indicator.Comparator.GT)
        value.value_number = max(indicator.threshold + (5 if up == met else -5), 0)
    elif indicator.is_numeric:
        value.value_number, value.assessed = (85 if met else 40), met
    else:
        value.value_text, value.assessed = ("Đạt" if met else "Chưa đạt"), met
    return value
