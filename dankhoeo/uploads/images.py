"""Photos: a PNG or JPEG is walked chunk by chunk (segment by segment) to its end, nothing may
follow it and no chunk but the pixels may hide another file; then Pillow decodes it, within a
number of pixels, and it must be a still image."""

import io
import warnings

from django.utils.translation import gettext_lazy as _
from PIL import Image

from dankhoeo.uploads.kinds import ARCHIVE, KINDS, MARKUP, UploadRejected

MAX_PIXELS = 50_000_000  # a 50-megapixel photo; larger images are refused before decoding
_PNG_PIXELS = (b"IDAT", b"fdAT")  # compressed pixels: any byte may occur in them
_JPEG_PADDING = b"\x00\r\n "


def check_image(data: bytes) -> None:
    if MARKUP.search(data):
        raise UploadRejected(_("the image carries web page code."), code="polyglot")
    if data.startswith(KINDS["png"].magic[0]):
        end = _png_end(data)
    else:
        end = _jpeg_end(data, 0)
        while data[end:].lstrip(_JPEG_PADDING).startswith(b"\xff\xd8"):  # more pictures (MPF)
            end = _jpeg_end(data, len(data) - len(data[end:].lstrip(_JPEG_PADDING)))
        end += len(data[end:]) - len(data[end:].rstrip(_JPEG_PADDING))
    if end != len(data):
        raise UploadRejected(_("the image has data after its end."), code="polyglot")
    _decode(data)


def _decode(data: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _too_many_pixels()
                if getattr(image, "is_animated", False):
                    raise UploadRejected(_("the image is animated; send a photo."), code="animated")
                image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (OSError, ValueError, SyntaxError, EOFError, Warning) as error:
        raise _damaged() from error


def _too_many_pixels() -> UploadRejected:
    return UploadRejected(_("the image has too many pixels."), code="too_large")


def _damaged() -> UploadRejected:
    return UploadRejected(_("the image is damaged or incomplete."), code="damaged")


def _hides_a_file(body: bytes) -> None:
    if ARCHIVE.search(body):
        raise UploadRejected(_("the image hides another file."), code="polyglot")


def _png_end(data: bytes) -> int:
    """Where the PNG ends (after IEND), its chunks checked on the way."""
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if len(body) < length:
            break
        if kind not in _PNG_PIXELS:
            _hides_a_file(body)
        position += 12 + length
        if kind == b"IEND":
            return position
    raise _damaged()


def _jpeg_end(data: bytes, start: int) -> int:
    """Where the JPEG that starts at ``start`` ends (after EOI), its segments checked on the
    way: the metadata (APPn, COM) may hide no file."""
    position = start + 2
    while position + 1 < len(data):
        if data[position] != 0xFF:
            raise _damaged()
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:  # end of image
            return position + 2
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2 or position + 2 + length > len(data):
            raise _damaged()
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            _hides_a_file(data[position + 4 : position + 2 + length])
        position += 2 + length
        if marker == 0xDA:  # start of scan: compressed data up to the next real marker
            position = _after_scan(data, position)
    raise _damaged()


def _after_scan(data: bytes, position: int) -> int:
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            raise _damaged()
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position += 1  # a stuffed byte, a restart marker, or fill
            continue
        return position
