"""HTML to PDF with WeasyPrint, reading fonts from disk only.

The font is Tinos (metric-compatible with Times New Roman, SIL Open Font Licence), shipped
with the app through the npm package @fontsource/tinos (package-lock.json). The package splits
each style into subsets (Latin, Latin Extended, Vietnamese) that WeasyPrint cannot mix inside
one word, so the three subsets of each style are merged once into one TrueType file that
covers every Vietnamese letter, kept in a cache folder. No other font is declared, and the
fetcher refuses every URL that is not a file in that folder: WeasyPrint never goes to the
network and never falls back to a system font for a Vietnamese letter.
"""

import functools
import json
import os
import tempfile
from pathlib import Path
from urllib.request import url2pathname

import weasyprint
from django.conf import settings
from fontTools.merge import Merger
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from dankhoeo.text import for_export

PACKAGE_DIR = Path(settings.BASE_DIR) / "node_modules" / "@fontsource" / "tinos"
SUBSETS = ("latin", "latin-ext", "vietnamese")
STYLES = [("400", "normal"), ("700", "normal"), ("400", "italic"), ("700", "italic")]
FONT_FAMILY = "Tinos"


@functools.cache
def font_dir() -> Path:
    """The folder of the merged font files, made on first use."""
    version = json.loads((PACKAGE_DIR / "package.json").read_text())["version"]
    folder = Path(tempfile.gettempdir()) / f"dankhoeo-fonts-tinos-{version}"
    folder.mkdir(exist_ok=True)
    for weight, style in STYLES:
        target = folder / f"tinos-{weight}-{style}.ttf"
        if target.exists():
            continue
        sources = [PACKAGE_DIR / "files" / f"tinos-{s}-{weight}-{style}.woff" for s in SUBSETS]
        font = Merger().merge([str(path) for path in sources])
        font.flavor = None
        partial = folder / f".{target.name}.{os.getpid()}"
        font.save(str(partial))
        partial.replace(target)
    return folder


@functools.cache
def font_css() -> str:
    """The @font-face rules of the shipped font."""
    return "\n".join(
        f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; "
        f"font-style: {style}; src: url('{(font_dir() / f'tinos-{weight}-{style}.ttf').as_uri()}') "
        f"format('truetype'); }}"
        for weight, style in STYLES
    )


class FetchRefused(ValueError):
    pass


class LocalFetcher(URLFetcher):
    """Serve only files under the font folder; refuse everything else (http, other files)."""

    def fetch(self, url, headers=None):
        if not url.startswith("file://"):
            raise FetchRefused(f"refused to fetch {url!r}: only the shipped fonts are read")
        path = Path(url_to_path(url)).resolve()
        if not path.is_relative_to(font_dir().resolve()) or not path.is_file():
            raise FetchRefused(f"refused to read {path}: not a shipped font file")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _TYPES[path.suffix]})


def url_to_path(url: str) -> str:
    return url2pathname(url.removeprefix("file://").split("?")[0])


_TYPES = {".ttf": "font/ttf"}


def html_to_pdf(html: str) -> bytes:
    """Render a finished HTML document (its CSS inline) to PDF bytes."""
    font_config = FontConfiguration()
    stylesheet = weasyprint.CSS(
        string=font_css(),
        url_fetcher=LocalFetcher(),
        font_config=font_config,
    )
    document = weasyprint.HTML(
        string=for_export(html), base_url=font_dir().as_uri() + "/", url_fetcher=LocalFetcher()
    )
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)
