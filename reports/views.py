from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assignments.models import Agency, Assignment, Plan
from dankhoeo import access, audit, downloads
from dankhoeo.errors import Refused, show_refusal
from reports import caching, charts, exporters, jobs, paging, sections
from reports.forms import ReportDocumentForm
from reports.gathering import MapPoint, village_points, village_rows
from reports.models import ReportFile
from reports.review import audience
from reports.services import report_document_save
from villages.models import AdminUnit, Village

MATRIX_PAGE_SIZE = 25  # villages per page of the dashboard's matrix
SCOPE_VILLAGES = 200  # at most this many villages offered in the scope list


def _params(request) -> exporters.Params:
    """The plan, year and scope asked for (defaults: the current plan, its year closest to
    today, the whole plan); 404 for a scope outside what the user may see."""
    plan_number = request.GET.get("plan") or getattr(Plan.objects.current(), "number", "")
    try:
        return exporters.resolve(
            plan=plan_number,
            year=request.GET.get("year") or None,
            scope=request.GET.get("scope"),
            user=request.user,
        )
    except exporters.ScopeHidden:
        raise Http404 from None


def _bad_request(request, error: exporters.ParamError):
    return render(request, "reports/bad_request.html", {"error": error}, status=400)


def _scope_choices(request, params: exporters.Params) -> list[tuple[str, list]]:
    """The scopes this user may pick, grouped, from the villages of the plan they see. The
    villages offered are those of the scope shown (of its commune for a village), when they
    are few enough for a list: in a large plan, pick a commune first, then one of its villages."""
    whole = params
    if not params.scope.is_whole_plan:
        whole = exporters.Params(params.plan, params.year, exporters.parse_scope(""), request.user)
    villages = whole.villages()
    entered = AdminUnit.objects.filter(pk__in=villages.values("commune")).select_related(
        "successor", "parent"
    )
    communes, districts = {}, {}  # the communes the villages were entered with, those they
    for commune in entered:  # merged into, and the old districts they lay in
        communes[commune.pk] = commune
        if commune.successor:
            communes.setdefault(commune.successor.pk, commune.successor)
        if commune.parent and commune.parent.level == AdminUnit.Level.DISTRICT:
            districts[commune.parent.pk] = commune.parent
    communes, districts = (
        sorted(units.values(), key=lambda u: (u.sort_key, u.pk)) for units in (communes, districts)
    )
    agencies = Agency.objects.filter(
        pk__in=Assignment.objects.filter(plan=params.plan, village__in=villages).values("agency")
    )
    if params.scope.village:  # its neighbours: the villages of its commune
        nearby = villages.filter(commune=params.scope.village.commune_id)
    else:  # the villages of the scope, unless there are too many to list (no sorting them,
        ids = params.village_ids  # nor asking: the planner would walk the whole name index)
        nearby = Village.objects.among(ids) if len(ids) <= SCOPE_VILLAGES else None
    offered = [] if nearby is None else list(nearby.in_vietnamese_order()[: SCOPE_VILLAGES + 1])
    if len(offered) > SCOPE_VILLAGES:
        offered = []
    return [
        (_("Old districts"), [(f"district:{d.pk}", d.name) for d in districts]),
        (_("Communes"), [(f"commune:{c.pk}", c.name_with_successor()) for c in communes]),
        (_("Agencies"), [(f"agency:{a.code}", a.name) for a in agencies]),
        (_("Villages"), [(f"village:{v.code}", v.name) for v in offered]),
    ]


def _chooser_context(request, params: exporters.Params) -> dict:
    return {
        "params": params,
        "query": urlencode(params.query()),
        "plans": Plan.objects.all(),
        "years": list(params.plan.years),
        "scope_choices": _scope_choices(request, params),
        "exporters": [
            (e, e.too_large(params)) for e in exporters.EXPORTERS.values() if e.offered_for(params)
        ],
    }


def index(request):
    try:
        params = _params(request)
    except exporters.ParamError as error:
        return _bad_request(request, error)
    return render(request, "reports/index.html", _chooser_context(request, params))


def _page_number(count: int, per_page: int, asked) -> int:
    """The number of the page shown for ``asked`` (any text: a bad one is page 1 or the last)."""
    return Paginator(range(count), per_page).get_page(asked).number


def _rendered(request, params: exporters.Params, parts: list, render_parts) -> dict:
    """What ``render_parts()`` returns (HTML of a page's parts), from the shared cache while the
    figures are unchanged: keyed like the figures they show (plan, year, scope, the villages
    counted, the day, the figures' generation and the code's version), by the language they
    are written in, and by the villages of the whole plan the user sees, from which the scope
    list is drawn. The parts hold nothing of the user beyond which villages they see."""
    ids = params.village_ids
    if not params.scope.is_whole_plan:  # the scope list offers what the whole plan shows
        whole = exporters.Params(params.plan, params.year, exporters.parse_scope(""), request.user)
        ids = [*ids, 0, *whole.village_ids]  # 0: no village's id, parts them
    key = [*parts, params.plan.pk, params.year, params.scope.text, timezone.localdate()]
    key.append(audience(params))  # the narrative is staff's, the subtitle the reader's
    return caching.cached([*key, get_language()], ids, render_parts)


def dashboard(request):
    try:
        params = _params(request)
    except exporters.ParamError as error:
        return _bad_request(request, error)
    number = _page_number(len(params.village_ids), MATRIX_PAGE_SIZE, request.GET.get("page"))

    def render_parts() -> dict:
        report = exporters.summary_for(params, approved_only=False)
        villages = params.villages().with_places().in_vietnamese_order()
        paginator = Paginator(villages, MATRIX_PAGE_SIZE)
        paginator.count = report.totals.villages  # counted already
        page = paginator.get_page(number)
        context = _chooser_context(request, params)
        context.update(
            report=report,
            page=page,
            rows=village_rows(report, list(page.object_list), start=page.start_index()),
            **_progress_charts(report),
            trend=charts.trend_chart(
                "trend",
                _("Villages meeting the standard, by year"),
                report.trend,
                report.totals.villages,
            ),
        )
        return {"body": render_to_string("reports/_dashboard_body.html", context)}

    parts = _rendered(request, params, ["dashboard-html", number], render_parts)
    return render(request, "reports/dashboard.html", parts)


CHART_MAX_BARS = 120  # a chart of more bars is not read (a plan of the whole country: 3,300)


def _progress_charts(report) -> dict:
    """The dashboard's progress charts, each with one bar per group; a grouping of more than
    ``CHART_MAX_BARS`` is named instead of charted (the dashboard's workbook lists them all), so
    that the page does not grow with the communes of a country-wide plan."""
    groupings = [
        ("by-district", _("By old district"), report.by_district),
        ("by-commune", _("By commune today"), report.by_commune),
        ("by-agency", _("By agency in charge"), report.by_agency),
    ]
    return {
        "charts": [
            charts.progress_chart(chart_id, title, groups)
            for chart_id, title, groups in groupings
            if len(groups) <= CHART_MAX_BARS
        ],
        "charts_left_out": [
            (title, len(groups)) for _id, title, groups in groupings if len(groups) > CHART_MAX_BARS
        ],
        "chart_max_bars": CHART_MAX_BARS,
    }


def _point_json(point: MapPoint) -> dict:
    """What the map's script needs of a village (written into the page with json_script)."""
    village, result = point.village, point.result
    commune = village.commune
    if result is None:
        symbol, label = "–", _("No approved result yet")
    else:
        numbers = {"met": result.met, "count": result.count, "year": point.result_year}
        symbol = "✓" if result.reaches_standard else str(result.met)
        label = (
            _("Reaches the standard: %(met)s of %(count)s criteria met (approved, %(year)s)")
            if result.reaches_standard
            else _("%(met)s of %(count)s criteria met (approved, %(year)s)")
        ) % numbers
    return {
        "name": village.name,
        "code": village.code,
        "lat": float(village.latitude),
        "lon": float(village.longitude),
        "kind": point.kind,
        "symbol": symbol,
        "result": label,
        "place": commune.name_with_successor(),
        "district": commune.parent.name if commune.parent else "",
        "demo": village.is_demo,
        "url": reverse("villages:detail", args=[village.pk]),
    }


def _commune_labels(placed: list[MapPoint]) -> list[dict]:
    """One label per commune of today, under its southernmost village (the script sets it a
    little below the point, centred), so that it does not cover the points."""
    by_commune: dict[int, list] = {}
    for point in placed:
        commune = point.village.commune
        now = commune.successor or commune
        by_commune.setdefault(now.pk, [now.name, []])[1].append(point.village)
    return [
        {
            "name": name,
            "lat": min(float(v.latitude) for v in villages),
            "lon": sum(float(v.longitude) for v in villages) / len(villages),
        }
        for name, villages in by_commune.values()
    ]


def village_map(request):
    """The villages of the plan in the chosen scope that the user sees, each coloured, shaped
    and marked by its latest approved result; those without coordinates listed beside."""
    try:
        params = _params(request)
    except exporters.ParamError as error:
        return _bad_request(request, error)
    points = village_points(plan=params.plan, year=params.year, village_ids=params.village_ids)
    placed = [point for point in points if point.placed]
    context = _chooser_context(request, params)
    context.update(
        points=[_point_json(point) for point in placed],
        communes=_commune_labels(placed),
        unplaced=[point for point in points if not point.placed],
        placed_count=len(placed),
        has_demo=any(point.village.is_demo for point in placed),
        tile_url=settings.MAP_TILE_URL,
        tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )
    return render(request, "reports/map.html", context)


def review(request):
    try:
        params = _params(request)
    except exporters.ParamError as error:
        return _bad_request(request, error)
    number = _page_number(len(params.village_ids), paging.REVIEW_PAGE_SIZE, request.GET.get("page"))

    def render_parts() -> dict:
        context = _chooser_context(request, params)
        context.update(paging.review_page_context(params, number))
        return {
            name: render_to_string(template, context)
            for name, template in [
                ("chooser", "reports/_chooser.html"),
                ("downloads", "reports/_downloads.html"),
                ("body", "reports/_review_page.html"),
            ]
        }

    parts = _rendered(request, params, ["review-html", number], render_parts)
    parts.update(can_edit=access.is_staff(request.user), query=urlencode(params.query()))
    return render(request, "reports/review.html", parts)


def review_edit(request):
    access.require_staff(request.user)
    try:
        params = _params(request)
    except exporters.ParamError as error:
        return _bad_request(request, error)
    context = exporters.review_context(params)
    document = context["document"]
    review_url = f"{reverse('reports:review')}?{urlencode(params.query())}"
    if request.method == "POST":
        form = ReportDocumentForm(request.POST, instance=document)
        if form.is_valid():
            try:
                report_document_save(document=form.instance, user=request.user)
            except Refused as error:
                show_refusal(request, error)
            else:
                messages.success(request, _("The report has been saved."))
                return redirect(review_url)
    else:
        drafts = sections.drafts(context["facts"])
        form = ReportDocumentForm(
            instance=document,
            initial={name: getattr(document, name) or text for name, text in drafts.items()},
            header=context["header"],
        )
    context.update(form=form, review_url=review_url)
    return render(request, "reports/review_edit.html", context)


def export(request, name: str):
    exporter = exporters.EXPORTERS.get(name)
    if exporter is None:
        raise Http404
    try:
        params = _params(request)
        if jobs.in_background(exporter, params):
            exporter.check(params)
            return _in_background(request, exporter, params)
        filename, content_type, content = exporter.render(params)
    except exporters.ParamError as error:
        return _bad_request(request, error)
    audit.record(
        actor=request.user,
        kind=audit.Kind.EXPORT,
        target=f"{exporter.identifier} {urlencode(params.query())}",
        request=request,
    )
    return downloads.attachment(content, filename=filename, content_type=content_type)


# Files made in the background (reports/jobs.py) --------------------------------------------


def _in_background(request, exporter, params):
    job = jobs.report_file_request(user=request.user, exporter=exporter, params=params)
    audit.record(
        actor=request.user,
        kind=audit.Kind.EXPORT,
        target=f"{exporter.identifier} {urlencode(params.query())}",
        request=request,
    )
    return redirect("reports:file", pk=job.pk)


def _own_file(request, pk) -> ReportFile:
    """The person's own file (``access.can_fetch_report_file``), whose scope they may still
    see; 404 otherwise, so that another person's file looks like a missing one."""
    job = get_object_or_404(ReportFile, pk=pk)  # a UUID, checked by the URL
    if not access.can_fetch_report_file(request.user, job.user_id):
        raise Http404
    try:
        exporters.resolve(
            plan=job.query.get("plan"),
            year=job.query.get("year"),
            scope=job.query.get("scope"),
            user=request.user,
        )
    except exporters.ParamError:
        raise Http404 from None
    return job


def report_file(request, pk):
    """The progress of a file being made, polled by htmx every second until it is ready."""
    job = _own_file(request, pk)
    exporter = exporters.EXPORTERS.get(job.exporter)
    context = {"job": job, "title": exporter.title if exporter else job.exporter}
    if request.headers.get("HX-Request"):
        return render(request, "reports/_file_status.html", context)
    return render(request, "reports/file.html", context)


def report_file_download(request, pk):
    job = _own_file(request, pk)
    if job.status != ReportFile.Status.READY or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=job.filename, content_type=job.content_type
    )
