"""The yearly review on a web page shows the villages one page at a time: the village-by-village
annexes (criteria matrix, teams, models, proposals) hold the villages of the page, while the
totals, the narrative and the downloads (PDF, Word, Excel) cover them all."""

import dataclasses

from django.core.paginator import Page, Paginator
from django.utils import timezone

from reports import caching, duties, exporters, review
from reports.gathering import Report

REVIEW_PAGE_SIZE = 50  # villages per page of the review on the web


def review_page(report: Report, number) -> tuple[Report, Page]:
    """The report limited to the villages of page ``number`` (any text: a bad one is page 1 or
    the last), and the page."""
    page = Paginator(range(len(report.rows)), REVIEW_PAGE_SIZE).get_page(number)
    shown = slice(page.start_index() - 1, page.end_index()) if report.rows else slice(0, 0)
    rows = report.rows[shown]
    ids = {row.village.pk for row in rows}
    return (
        dataclasses.replace(
            report,
            rows=rows,
            teams=report.teams[shown],
            models=[m for m in report.models if m.village_id in ids],
            proposals=[p for p in report.proposals if p.village_id in ids],
        ),
        page,
    )


def review_page_context(params: exporters.Params, number) -> dict:
    """What the review page shows (``exporters.review_context``) for page ``number``, kept in
    the shared cache page by page: a page never reads or sends the rows of the whole plan."""
    number = Paginator(range(len(params.village_ids)), REVIEW_PAGE_SIZE).get_page(number).number
    key = ["review-page", params.plan.pk, params.year, params.scope.text, timezone.localdate()]
    key.append(review.audience(params))  # a scoped user's report has its own document

    def compute() -> dict:
        context = exporters.review_context(params)
        context.pop("params")  # holds the user: set again by the caller
        context["report"], context["page"] = review_page(context["report"], number)
        # the page's villages, grouped by place; the whole plan's rows are not kept (the
        # totals, the narrative's parts and the groups by place are worked out already)
        context["facts"] = dataclasses.replace(
            context["facts"],
            report=context["report"],
            groups=duties.matrix_groups(context["report"]),
        )
        return context

    return {**caching.cached([*key, number], params.village_ids, compute), "params": params}
