"""Text on its way in and on its way out.

In: ``clean_input`` is what every form and import does to a text before checking it: NFC,
control characters dropped (a multi-line text keeps its newlines and tabs; a one-line text
turns them into spaces), line ends made "\\n", and white space and zero-width characters
trimmed at the edges. ``CleanTextMixin`` applies it to every text field of a form before
the form's own checks run, so "\\u200b" alone is an empty, hence missing, name; every form
of the app that takes text has it (``tests/test_form_fuzz_findings.py``).

Out: ``for_export`` is the one sanitiser every writer (openpyxl, python-docx, WeasyPrint)
puts stored text through, at its lowest cell- or paragraph-writing helper: whatever old rows
hold, nothing reaches the file that XML cannot carry. ``shorten`` cuts a text that is too
long to print with a visible marker.
"""

import re
import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext

from dankhoeo.money import format_number

# Zero-width and invisible format characters that may be trimmed at the edges of a text.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
# C0 and C1 controls, DEL, lone surrogates and the two non-characters XML refuses; and, inside
# a text too, the characters that turn text around (bidi embeddings, overrides, isolates and
# marks: "\u202egpj.exe" shows as "exe.jpg") or hide in it (zero-width space, word joiner, byte
# order mark), so that "Thôn\u200b 1" is not a second "Thôn 1".
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_LINE_ENDS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What XML 1.0 cannot carry (openpyxl, python-docx and WeasyPrint all write XML).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_input(value: str, *, multiline: bool = False) -> str:
    """A text as it is stored: see the module's docstring."""
    text = unicodedata.normalize("NFC", value)
    text = _LINE_ENDS.sub("\n", text)
    if multiline:
        text = _CONTROLS.sub(lambda m: m.group() if m.group() in "\n\t" else "", text)
    else:
        text = _CONTROLS.sub(lambda m: " " if m.group() in "\n\t" else "", text)
    return _trimmed(text)


def _trimmed(text: str) -> str:
    """Without white space and invisible characters at its edges, in one pass (a pattern
    anchored at the end would try each space of "a" + 30.000 spaces + "b" to the end: 33 s)."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in INVISIBLE):
        end -= 1
    return text[start:end]


def for_export(value: Any) -> Any:
    """Stored text made safe for any file: vertical tab and form feed (Word's line and page
    breaks) become newlines, other characters that XML cannot carry are dropped. Anything
    that is not a string is returned as it is."""
    if not isinstance(value, str):
        return value
    return _NOT_XML.sub("", value.replace("\x0b", "\n").replace("\x0c", "\n"))


def shorten(value: str, length: int) -> str:
    """At most ``length`` characters, the cut marked so that a reader knows text is missing."""
    if len(value) <= length:
        return value
    marker = gettext("… [cut: %(count)s more characters]") % {
        "count": format_number(len(value) - length)
    }
    return value[:length] + marker


def is_text_field(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.PasswordInput | forms.HiddenInput
    )


class CleanTextMixin:
    """Put first in a form's bases: its text fields receive ``clean_input``'s text. The data is
    cleaned when the form is checked, so that fields a form adds in its ``__init__`` (a
    survey's notes, one per indicator) are cleaned too."""

    def full_clean(self):
        if self.is_bound:
            self.data = self._cleaned_text()
        super().full_clean()

    def _cleaned_text(self):
        data = self.data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if not is_text_field(field) or key not in data:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            cleaned = [
                clean_input(v, multiline=multiline) if isinstance(v, str) else v
                for v in (data.getlist(key) if hasattr(data, "getlist") else [data[key]])
            ]
            if hasattr(data, "setlist"):
                data.setlist(key, cleaned)
            else:
                data[key] = cleaned[0]
        return data
