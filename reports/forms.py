from django import forms
from django.utils.translation import gettext_lazy as _

from dankhoeo.text import CleanTextMixin
from reports.models import ReportDocument

# The facts a report may override; empty takes the plan's (shown as the placeholder).
OVERRIDES = {
    "issuing_parent": "parent",
    "issuing_body": "body",
    "title": "title",
    "subtitle": "subtitle",
    "signing_for": "signing_for",
    "signatory_position": "position",
    "signatory_name": "name",
}
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
            "issuing_parent",
            "issuing_body",
            "number",
            "place",
            "dated_on",
            "title",
            "subtitle",
            *SECTIONS,
            "signing_for",
            "signatory_position",
            "signatory_name",
            "recipients",
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
            "section_lessons": _("Printed in the final review only; left out until written."),
        }

    def __init__(self, *args, header=None, **kwargs):
        super().__init__(*args, **kwargs)
        if header is None:
            return
        for name, attribute in OVERRIDES.items():
            self.fields[name].widget.attrs["placeholder"] = getattr(header, attribute)
        self.fields["recipients"].widget.attrs["placeholder"] = "\n".join(header.recipients)
