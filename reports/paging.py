"""The yearly review on a web page shows the villages one page at a time: the village-by-village
annexes (criteria matrix, teams, models, proposals) hold the villages of the page, while the
totals, the narrative and the downloads (PDF, Word, Excel) cover them all. A page reads only
its own villages' rows (``gathering.gather(shown=...)``): right after a change, a page of a
province of 1,746 villages is gathered without reading every village's row."""

import dataclasses

from django.core.paginator import Paginator
from django.utils import timezone

from reports import caching, exporters, review

REVIEW_PAGE_SIZE = 50  # villages per page of the review on the web


def review_page_context(params: exporters.Params, number) -> dict:
    """What the review page shows (``exporters.review_context``) for page ``number`` (any
    text: a bad one is page 1 or the last), kept in the shared cache page by page."""
    page = Paginator(range(len(params.village_ids)), REVIEW_PAGE_SIZE).get_page(number)
    key = ["review-page", params.plan.pk, params.year, params.scope.text, timezone.localdate()]
    key.append(review.audience(params))  # a scoped user's report has its own document

    def compute() -> dict:
        shown = slice(page.start_index() - 1, page.end_index()) if page.end_index() else None
        report = exporters.gather_page(params, shown or slice(0, 0))
        context = review.review_context(params, report)
        context.pop("params")  # holds the user: set again by the caller
        # the narrative sums up every proposal; the annex lists those of the page's villages
        ids = {row.village.pk for row in report.rows}
        report = dataclasses.replace(
            report, proposals=[p for p in report.proposals if p.village_id in ids]
        )
        context["report"] = report
        context["facts"] = dataclasses.replace(context["facts"], report=report)
        context["page"] = page
        return context

    return {**caching.cached([*key, page.number], params.village_ids, compute), "params": params}
