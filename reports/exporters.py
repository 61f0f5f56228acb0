"""Exporters: every file the app produces, each with an identifier, a title, the parameters it
takes and ``render()`` returning (filename, content type, bytes). Views and the
``render_report`` command both go through ``EXPORTERS``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from assignments.models import Plan
from dankhoeo import access, bounds
from dankhoeo.models import User
from reports import caching, docx_export, pdf, review, xlsx_export
from reports.gathering import Report, Summary, gather, summarise, village_profile
from reports.scopes import Scope, ScopeError, ScopeMissing, parse_scope
from villages.models import Village

PDF = "application/pdf"
Progress = Callable[[float], None]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ParamError(ValueError):
    """A parameter names nothing that exists, or is malformed; the message says which."""


class ScopeHidden(ParamError):
    """The scope exists but lies outside what the user may see (a 404 on the web)."""


@dataclass(frozen=True)
class Params:
    plan: Plan
    year: int
    scope: Scope
    user: User | None = None  # None: the shell, which sees everything

    @property
    def reports_whole_plan(self) -> bool:
        """The committee's report on the whole plan: no narrower scope, asked for by someone
        who sees every village (staff, viewers, the shell)."""
        if not self.scope.is_whole_plan:
            return False
        return self.user is None or access.sees_every_village(self.user)

    def visible_villages(self):
        return Village.objects.all() if self.user is None else access.villages_visible_to(self.user)

    @cached_property
    def village_ids(self) -> list[int]:
        sees_all = self.user is None or access.is_staff(self.user)
        if sees_all and self.scope.is_whole_plan:
            return sorted(self.plan.village_ids())  # nothing to narrow: one query fewer
        villages = self.scope.plan_villages(self.plan, self.visible_villages())
        return list(villages.order_by().values_list("pk", flat=True))

    def villages(self):
        """The villages of the plan in this scope that the user sees (read once as ids)."""
        return Village.objects.among(self.village_ids)

    def query(self) -> dict:
        query = {"plan": self.plan.number, "year": self.year}
        if self.scope.text:
            query["scope"] = self.scope.text
        return query

    def slug(self) -> str:
        parts = [self.plan.number, str(self.year)]
        if not self.scope.is_whole_plan:
            parts.append(f"{self.scope.kind}-{self.scope.key}")
        return slugify("-".join(parts).replace("/", "-"))


def default_year(plan: Plan) -> int:
    """This year, or the plan's first or last year when today lies outside its period."""
    return plan.latest_open_year()


def resolve(*, plan: str | None, year, scope: str | None, user: User | None) -> Params:
    """Check the parameters as typed (URL or command line); raise ParamError or ScopeHidden.
    A year of None is the plan's ``default_year``."""
    found = Plan.objects.filter(number=(plan or "").strip()).first()
    if found is None:
        raise ParamError(_("No plan numbered “%(plan)s”.") % {"plan": plan or ""})
    if year is None:
        year = default_year(found)
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        raise ParamError(_("The year must be a number such as 2025.")) from None
    if year not in bounds.YEAR:
        raise ParamError(_("The year must be a number such as 2025."))
    try:
        chosen = parse_scope(scope)
    except ScopeMissing as error:
        if user is not None and not access.is_staff(user):
            # to one who cannot see everything, a missing scope looks like a hidden one
            raise ScopeHidden(_("This scope is outside what you may see.")) from None
        raise ParamError(str(error)) from None
    except ScopeError as error:
        raise ParamError(str(error)) from None
    params = Params(found, year, chosen, user)
    if user is not None and not chosen.is_whole_plan:
        if chosen.kind == "village":
            if not params.visible_villages().filter(pk=chosen.village.pk).exists():
                raise ScopeHidden(_("This scope is outside what you may see."))
        elif not params.villages().exists():
            raise ScopeHidden(_("This scope is outside what you may see."))
    return params


def _cache_key(params: Params, kind: str, approved_only: bool) -> list:
    return [
        kind,
        params.plan.pk,
        params.year,
        params.scope.text,
        approved_only,
        timezone.localdate(),
    ]


def summary_for(params: Params, *, approved_only: bool = True) -> Summary:
    """The summary of these parameters, from the shared cache while the figures are unchanged."""
    return caching.cached(
        _cache_key(params, "summary", approved_only),
        params.village_ids,
        lambda: summarise(
            plan=params.plan,
            year=params.year,
            scope=params.scope,
            village_ids=params.village_ids,
            approved_only=approved_only,
        ),
    )


def gather_for(params: Params, *, approved_only: bool = True) -> Report:
    """The report of these parameters, from the shared cache while the figures are unchanged."""
    return caching.cached(
        _cache_key(params, "report", approved_only),
        params.village_ids,
        lambda: gather(
            plan=params.plan,
            year=params.year,
            scope=params.scope,
            villages=params.villages(),
            approved_only=approved_only,
        ),
    )


def gather_page(params: Params, shown: slice) -> Report:
    """The report of these parameters with the rows, teams and models of the villages in
    ``shown`` alone (a page of the review on the web), gathered afresh: the page's context is
    what the cache keeps (reports.paging)."""
    return gather(
        plan=params.plan,
        year=params.year,
        scope=params.scope,
        villages=params.villages(),
        approved_only=True,
        shown=shown,
    )


def review_context(params: Params) -> dict:
    """What every rendering of the yearly review shows (page, PDF, DOCX, workbook)."""
    return review.review_context(params, gather_for(params, approved_only=True))


def review_html(params: Params, context: dict | None = None) -> str:
    """The finished HTML document that WeasyPrint turns into the PDF."""
    context = context or review_context(params)
    return render_to_string("reports/review_pdf.html", {**context, "font_css": pdf.font_css()})


# A document to read and sign (PDF, Word) covers at most this many villages: about 500 pages of
# annexes, made in well under a minute (SYN17's 1,746 villages: 293 pages, 22 s, 900 MB while
# WeasyPrint works). A plan of the whole country (60,000 villages) is read as a workbook, or as
# documents of its provinces, districts or agencies.
DOCUMENT_MAX_VILLAGES = 3_000


class Exporter:
    identifier = ""
    title = ""
    extension = ""
    content_type = ""
    scope_kinds: tuple[str, ...] = ()  # empty: any scope
    max_villages: int | None = None  # None: any number

    def offered_for(self, params: Params) -> bool:
        """Whether this kind of file is made for such a scope at all (a village profile needs a
        village)."""
        return not self.scope_kinds or params.scope.kind in self.scope_kinds

    def too_large(self, params: Params) -> str:
        """Why the file would hold too many villages to be made, or "" when it would not."""
        count = len(params.village_ids)
        if self.max_villages is None or count <= self.max_villages:
            return ""
        return _(
            "A document to read and sign covers at most %(max)s villages, and this one would "
            "hold %(count)s: choose a narrower scope (a district, a commune or an agency), or "
            "take the annex tables as an Excel workbook."
        ) % {"max": number_format(self.max_villages), "count": number_format(count)}

    def check(self, params: Params) -> None:
        """Raise ParamError when this file cannot be made with these parameters: every way of
        asking for it (the page, the queue, the ``render_report`` command) comes here."""
        if not self.offered_for(params):
            raise ParamError(
                _("%(exporter)s needs a scope of kind: %(kinds)s.")
                % {"exporter": self.identifier, "kinds": ", ".join(self.scope_kinds)}
            )
        if refusal := self.too_large(params):
            raise ParamError(refusal)

    def filename(self, params: Params) -> str:
        return f"{self.identifier.rsplit('-', 1)[0]}-{params.slug()}.{self.extension}"

    def render(self, params: Params, progress: Progress | None = None) -> tuple[str, str, bytes]:
        """The file; ``progress``, when given, is called with the share of the rendering done
        (0 to 1) by the exporters that can tell it (the PDF, during WeasyPrint's work)."""
        self.check(params)
        return self.filename(params), self.content_type, self.content(params, progress)

    def content(self, params: Params, progress: Progress | None = None) -> bytes:
        raise NotImplementedError


class ReviewPdf(Exporter):
    identifier = "review-pdf"
    title = _("Yearly review report (PDF, ready to sign)")
    extension = "pdf"
    content_type = PDF
    max_villages = DOCUMENT_MAX_VILLAGES

    def content(self, params: Params, progress: Progress | None = None) -> bytes:
        return pdf.html_to_pdf(review_html(params), progress)


class ReviewDocx(Exporter):
    identifier = "review-docx"
    title = _("Yearly review report (Word, editable)")
    extension = "docx"
    content_type = DOCX
    max_villages = DOCUMENT_MAX_VILLAGES

    def content(self, params: Params, progress: Progress | None = None) -> bytes:
        return docx_export.review_docx(review_context(params))


class ReviewXlsx(Exporter):
    identifier = "review-xlsx"
    title = _("Annex tables of the yearly review (Excel)")
    extension = "xlsx"
    content_type = xlsx_export.XLSX_CONTENT_TYPE

    def content(self, params: Params, progress: Progress | None = None) -> bytes:
        return xlsx_export.review_workbook(review_context(params))


class DashboardXlsx(Exporter):
    identifier = "dashboard-xlsx"
    title = _("Dashboard: progress by district, commune, agency and year (Excel)")
    extension = "xlsx"
    content_type = xlsx_export.XLSX_CONTENT_TYPE

    def content(self, params: Params, progress: Progress | None = None) -> bytes:
        return xlsx_export.dashboard_workbook(summary_for(params, approved_only=False))


class VillageProfilePdf(Exporter):
    identifier = "village-profile-pdf"
    title = _("One-page village profile (PDF)")
    extension = "pdf"
    content_type = PDF
    scope_kinds = ("village",)

    def content(self, params: Params, progress: Progress | None = None) -> bytes:
        profile = village_profile(plan=params.plan, village=params.scope.village)
        html = render_to_string(
            "reports/village_profile_pdf.html",
            {"profile": profile, "params": params, "font_css": pdf.font_css()},
        )
        return pdf.html_to_pdf(html)


EXPORTERS: dict[str, Exporter] = {
    exporter.identifier: exporter
    for exporter in [ReviewPdf(), ReviewDocx(), ReviewXlsx(), DashboardXlsx(), VillageProfilePdf()]
}
