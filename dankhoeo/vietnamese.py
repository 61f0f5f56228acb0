"""Vietnamese text: storage form, accent-free search keys and alphabetical sort keys.

- ``clean`` gives the stored form: NFC, single spaces.
- ``fold`` gives the search form: no tone or vowel marks, đ = d, lower case, so that "dak xanh",
  "Đắk Xanh" and "Đăk Xanh" all meet.
- ``sort_key`` gives a string of digits that sorts in Vietnamese alphabetical order
  (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư; tones second: none, huyền, hỏi, ngã, sắc, nặng)
  under any database collation, since every collation orders digits the same way. The tone of
  a syllable counts once, wherever it is written ("Thuỷ" and "Thủy" sort together).
"""

import re
import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Letter modifiers that make a new letter of the alphabet.
BREVE, CIRCUMFLEX, HORN = "\u0306", "\u0302", "\u031b"
# Tone marks in their Vietnamese order (none = 0).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_CODES = {letter: f"{index + 20:02d}" for index, letter in enumerate(ALPHABET)}
_END, _SPACE, _OTHER = "00", "01", "02"


def clean(text: str) -> str:
    """The form in which text is stored: NFC with runs of white space made one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    """The search form: no marks at all, đ as d, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _letters_and_tone(word: str) -> tuple[list[str], int]:
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in TONES:
            tone = TONES[ch]
        elif ch in (BREVE, CIRCUMFLEX, HORN) and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        elif not unicodedata.combining(ch):
            letters.append(ch)
    return letters, tone


def _primary(letters: list[str]) -> str:
    word = "".join(letters)
    out = []
    position = 0
    # A run of digits sorts by its value, so that "Thôn 2" comes before "Thôn 10".
    for match in _DIGITS.finditer(word):
        out.extend(_CODES.get(ch, _OTHER) for ch in word[position : match.start()])
        number = match.group().lstrip("0") or "0"
        out.append(f"03{len(number):02d}" + "".join(f"1{d}" for d in number))
        position = match.end()
    out.extend(_CODES.get(ch, _OTHER) for ch in word[position:])
    return "".join(out)


def sort_key(text: str) -> str:
    """A key of digits that orders names the Vietnamese way on SQLite and PostgreSQL alike."""
    words = clean(text).split(" ")
    primary, tones = [], []
    for word in words:
        letters, tone = _letters_and_tone(word)
        primary.append(_primary(letters))
        tones.append(str(tone))
    return _SPACE.join(primary) + _END + "".join(tones)


PLACE_PREFIXES = ("Thị trấn ", "Thành phố ", "Xã ", "Phường ", "Huyện ", "Tỉnh ", "Thôn ", "Làng ")


def bare_place_name(name: str) -> str:
    """ "Xã Đăk Na" → "Đăk Na", for alphabetical order; "Thôn 5" stays whole."""
    for prefix in PLACE_PREFIXES:
        rest = name[len(prefix) :]
        if name.startswith(prefix) and rest and not rest[0].isdigit():
            return rest
    return name


def place_sort_key(name: str) -> str:
    return sort_key(bare_place_name(clean(name)))


def sorted_vietnamese(items, key=lambda item: item):
    """Sort Python objects the Vietnamese way (for lists that do not come from the database)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
