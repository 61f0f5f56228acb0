"""The review PDF's annexes that grow with the villages are laid out with fixed column widths
(WeasyPrint takes them from the header row instead of measuring every cell of a table that
runs over hundreds of pages), and the columns keep the widths the header gives them."""

import weasyprint

from reports import exporters, pdf
from tests.factories import make_village

from .conftest import MET, make_criteria_set, make_survey


def tables(params) -> dict[str, object]:
    """The first data table of each annex, by the annex's id, as WeasyPrint laid it out, and the
    table around the matrix as "layout"."""
    html = exporters.review_html(params)
    document = weasyprint.HTML(string=html, base_url=pdf.font_dir().as_uri() + "/").render(
        stylesheets=[weasyprint.CSS(string=pdf.font_css(), url_fetcher=pdf.LocalFetcher())]
    )
    found = {}

    def walk(box, annex):
        annex = (getattr(box, "element", None) is not None and box.element.get("id")) or annex
        classes = box.element.get("class", "").split() if type(box).__name__ == "TableBox" else []
        if "data" in classes and annex and annex not in found:
            found[annex] = box
        if "layout" in classes and "layout" not in found:
            found["layout"] = box  # the table that puts the matrix beside its legend
        for child in getattr(box, "children", []):
            walk(child, annex)

    for page in document.pages:
        walk(page._page_box, None)
    return found


def test_the_growing_annexes_have_fixed_columns(known):
    params = exporters.resolve(plan=known.plan.number, year=2025, scope="", user=None)
    found = tables(params)
    for annex in ("annex-matrix", "annex-teams", "annex-models", "annex-difficulties"):
        assert found[annex].style["table_layout"] == "fixed", annex
    assert found["annex-duties"].style["table_layout"] == "auto"  # one row per agency
    teams = found["annex-teams"]
    members = teams.column_widths[3] / sum(teams.column_widths)
    assert 0.39 < members < 0.41  # the members' column as wide as its header says
    layout = found["layout"]  # fixed too, else it would measure every cell of the matrix
    assert layout.style["table_layout"] == "fixed"
    legend = layout.column_widths[1] / sum(layout.column_widths)
    assert abs(legend - 0.22) < 0.001  # padding included, as when it was measured


def test_a_matrix_of_many_criteria_keeps_measured_columns(known):
    """Narrow fixed columns would not hold "x+" for 19 criteria: measured as before."""
    many, _criteria = make_criteria_set(code="MANY", criteria=19)
    known.plan.criteria_set = many
    known.plan.save()
    village = make_village("Thôn Mười Chín", code="MC01")
    known.plan.villages.add(village)
    make_survey(village, 2025, many, [MET] * 19)
    params = exporters.resolve(plan=known.plan.number, year=2025, scope="", user=None)
    found = tables(params)
    assert found["annex-matrix"].style["table_layout"] == "auto"
    assert found["layout"].style["table_layout"] == "auto"  # the matrix may need more room
