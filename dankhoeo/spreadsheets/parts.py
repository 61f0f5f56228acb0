"""The parts of an uploaded workbook (or Word file), checked before openpyxl or python-docx
reads any of them: every XML part (whatever its name says) is streamed once through expat,
which builds nothing, and the file is refused when a part declares a document type (Excel and
Word never do; that is how entities are smuggled in), nests deeper than any workbook, or holds
more of a thing than an import needs: a style table of a million styles or a string table of
millions of strings costs openpyxl gigabytes and minutes before a single cell is read."""

import zipfile
import zlib
from xml.parsers import expat

from django.utils.translation import gettext as _

from dankhoeo.money import format_number
from dankhoeo.spreadsheets.spec import SpreadsheetError

MAX_DEPTH = 100  # Excel's deepest parts (charts, drawings) nest about 20 deep
MAX_ELEMENTS = 3_000_000  # of one part: a sheet at the row limit written with inline strings
# Of one kind, by local name: shared strings (openpyxl reads 30 000 a second), cell styles
# (Excel itself stops at 64 000), sheets of the workbook; and what openpyxl builds an object
# for when it opens a workbook (fonts, fills, borders, number formats, named ranges, the
# relationships and content types of the parts), where a file holds a few hundred.
MAX_OF = {
    "si": 400_000,
    "xf": 70_000,
    "sheet": 1_000,
    **dict.fromkeys(
        ("font", "fill", "border", "numFmt", "dxf", "cellStyle", "definedName"), 50_000
    ),
    **dict.fromkeys(("Relationship", "Override", "Default"), 50_000),
}
_CHUNK = 64 * 1024
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SHOWN = 60


class _Refusal(Exception):
    pass


def check_parts(archive: zipfile.ZipFile) -> None:
    """Raise SpreadsheetError for the first XML part that a workbook from Excel cannot hold."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            _check_part(archive, info)
        except _Refusal as refusal:
            raise SpreadsheetError(str(refusal)) from None
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise SpreadsheetError(
                _("The part %(part)s of the file is damaged: open the file and save it again.")
                % {"part": _name(info)}
            ) from error


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with archive.open(info) as stream:
        chunk = stream.read(_CHUNK)
        if not _is_xml(chunk):
            return
        part = _name(info)
        parser = expat.ParserCreate(namespace_separator="}")
        depth, elements, kinds = 0, 0, dict.fromkeys(MAX_OF, 0)

        def start(name, attributes):
            nonlocal depth, elements
            depth += 1
            elements += 1
            if depth > MAX_DEPTH:
                raise _Refusal(
                    _(
                        "The part %(part)s of the file nests its elements more than %(max)s deep, "
                        "which Excel and Word never do: open the file and save it again."
                    )
                    % {"part": part, "max": MAX_DEPTH}
                )
            local = name.rpartition("}")[2]
            if local in kinds:
                kinds[local] += 1
                if kinds[local] > MAX_OF[local]:
                    raise _too_many(part, MAX_OF[local])
            if elements > MAX_ELEMENTS:
                raise _too_many(part, MAX_ELEMENTS)

        def end(name):
            nonlocal depth
            depth -= 1

        def doctype(*args):
            raise _Refusal(
                _(
                    "The part %(part)s of the file declares a document type, which Excel and "
                    "Word never do: open the file and save it again."
                )
                % {"part": part}
            )

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        while chunk:
            parser.Parse(chunk, False)
            chunk = stream.read(_CHUNK)
        parser.Parse(b"", True)


def _is_xml(head: bytes) -> bool:
    """What expat and openpyxl would read as XML: text starting with "<" (after a byte order
    mark or white space)."""
    if head.startswith(_BOMS[1:]):
        return True
    return head.removeprefix(_BOMS[0]).lstrip().startswith(b"<")


def _too_many(part: str, most: int) -> _Refusal:
    return _Refusal(
        _(
            "The part %(part)s of the file holds more than %(max)s elements of one kind, "
            "more than the app takes: copy the content into a new file."
        )
        % {"part": part, "max": format_number(most)}
    )


def _name(info: zipfile.ZipInfo) -> str:
    name = "".join(ch if ch.isprintable() else "?" for ch in info.filename)
    return name if len(name) <= _SHOWN else name[:_SHOWN] + "…"
