from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import Plan
from dankhoeo.text import CleanTextMixin
from reports.models import ReportDocument

# The header attribute (``documents.Header``) that shows each overridable field's effective
# value as its placeholder: the plan's facts (``Plan.DOCUMENT_FACTS``) and the report's own.
SHOWN_AS = {
    "heading_parent": "parent",
    "heading": "body",
    "signing_for": "signing_for",
    "signatory_position": "position",
    "signatory_name": "name",
}
OVERRIDES = {
    **{
        report_field: SHOWN_AS[plan_field]
        for plan_field, report_field in Plan.DOCUMENT_FACTS
        if plan_field in SHOWN_AS
    },
    "title": "title",
    "subtitle": "subtitle",
}
FACT_FIELDS = [report_field for _plan_field, report_field in Plan.DOCUMENT_FACTS]
SECTIONS = (
    "section_leadership",
    "section_results",
    "section_strengths",
    "section_limitations",
    "section_causes",
    "section_lessons",
    "section_tasks",
    "section_proposals",
)


class ReportDocumentForm(CleanTextMixin, forms.ModelForm):
    """The header, signature and narrative of a yearly review, as staff write them: every
    header fact empty takes the plan's, shown greyed in the box."""

    class Meta:
        model = ReportDocument
        fields = [
            *FACT_FIELDS[:3],  # the heading: superior body, issuing body, place
            "number",
            "dated_on",
            "title",
            "subtitle",
            *SECTIONS,
            *FACT_FIELDS[3:],  # the signature block and the recipients
        ]
        widgets = {
            "dated_on": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
            **{name: forms.Textarea(attrs={"rows": 6}) for name in SECTIONS},
            "section_results": forms.Textarea(attrs={"rows": 12}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "section_results": _(
                "Paragraphs are separated by line breaks. Pre-filled with "
                "sentences carrying the numbers: rewrite them freely."
            ),
            "section_causes": _("Objective and subjective causes; left out until written."),
            "section_lessons": _(
                "Printed in the final review only; pre-filled with the lessons the period's "
                "data supports: rewrite them freely."
            ),
        }

    def __init__(self, *args, header=None, **kwargs):
        super().__init__(*args, **kwargs)
        if header is None:
            return
        for name, attribute in OVERRIDES.items():
            self.fields[name].widget.attrs["placeholder"] = getattr(header, attribute)
        self.fields["recipients"].widget.attrs["placeholder"] = "\n".join(header.recipients)
