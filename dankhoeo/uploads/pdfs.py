"""PDFs: refused when they carry scripts, actions that open other programs or attached files,
wherever these hide (an object reached from no page, an incremental update after the first
%%EOF, an object stream, a name written with #xx escapes), when they carry web page code or
data after their end, or when they are password-protected."""

import io
import re

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from dankhoeo.uploads.kinds import MARKUP, UploadRejected

MAX_OBJECTS = 200_000  # objects and values of a PDF looked through; more is refused
ACTIONS = {
    "/JavaScript",
    "/JS",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/RichMedia",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/XFA",
    "/GoToE",
}
_STREAM_START = re.compile(rb"stream\r?\n")
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_EOF = b"%%EOF"


def check_pdf(data: bytes) -> None:
    outside = _outside_streams(data)
    if MARKUP.search(outside):
        raise UploadRejected(_("the PDF carries web page code."), code="polyglot")
    end = data.rfind(_EOF)
    if end < 0:
        raise _damaged()
    if data[end + len(_EOF) :].strip(b"\x00\t\n\x0c\r "):
        raise UploadRejected(_("the PDF has data after its end."), code="polyglot")
    if any(_unescaped(name) in ACTIONS for name in _NAME.findall(outside)):
        raise _active()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected(
                _("the PDF is password-protected; save it without a password."), code="encrypted"
            )
        _check_objects(reader)
    except UploadRejected:
        raise
    except LimitReachedError as error:  # pypdf's own bounds on arrays, streams, objects
        raise _too_complex() from error
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise _damaged() from error


def _outside_streams(data: bytes) -> bytes:
    """The PDF without its streams' content (compressed bytes, where any word may occur), in
    one pass: a stream left open runs to the end of the file."""
    kept, position = [], 0
    while match := _STREAM_START.search(data, position):
        kept.append(data[position : match.start()])
        end = data.find(b"endstream", match.end())
        if end < 0:
            return b" ".join(kept)
        position = end + len(b"endstream")
    kept.append(data[position:])
    return b" ".join(kept)


def _check_objects(reader: PdfReader) -> None:
    """Every object the file declares (pages or not, in object streams or not), and the
    trailer: none may name a script, an action or an attached file."""
    numbers = {number for table in reader.xref.values() for number in table}
    numbers |= set(reader.xref_objStm)
    pending = [reader.trailer, *(IndirectObject(n, 0, reader) for n in sorted(numbers))]
    seen = 0
    while pending:
        node = pending.pop()
        seen += 1
        if seen > MAX_OBJECTS:
            raise _too_complex()
        if isinstance(node, IndirectObject):
            node = _resolved(reader, node)
            if isinstance(node, IndirectObject):
                continue
        if isinstance(node, DictionaryObject):
            if ACTIONS & set(node.keys()) or node.get("/S") in ACTIONS:
                raise _active()
            pending.extend(v for v in node.values() if not isinstance(v, IndirectObject))
        elif isinstance(node, ArrayObject):
            pending.extend(v for v in node if not isinstance(v, IndirectObject))


def _resolved(reader: PdfReader, reference: IndirectObject):
    generation = next(
        (g for g, table in reader.xref.items() if reference.idnum in table), reference.generation
    )
    return reader.get_object(IndirectObject(reference.idnum, generation, reader))


def _unescaped(name: bytes) -> str:
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name).decode("latin-1")


def _active() -> UploadRejected:
    return UploadRejected(
        _("the PDF carries scripts, actions that open other programs, or attached files."),
        code="active_content",
    )


def _damaged() -> UploadRejected:
    return UploadRejected(_("the PDF is damaged and cannot be read."), code="damaged")


def _too_complex() -> UploadRejected:
    return UploadRejected(_("the PDF is too complex to be checked."), code="too_large")
