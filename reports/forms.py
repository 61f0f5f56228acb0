from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import ReportDocument


class ReportDocumentForm(forms.ModelForm):
    """The header, signature and narrative of a yearly review, as staff write them."""

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
            "section_results",
            "section_tasks",
            "section_proposals",
            "signing_for",
            "signatory_position",
            "signatory_name",
            "recipients",
        ]
        widgets = {
            "dated_on": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
            "section_results": forms.Textarea(attrs={"rows": 12}),
            "section_tasks": forms.Textarea(attrs={"rows": 6}),
            "section_proposals": forms.Textarea(attrs={"rows": 6}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "section_results": _(
                "Paragraphs are separated by line breaks. Pre-filled with "
                "sentences carrying the numbers: rewrite them freely."
            ),
        }
