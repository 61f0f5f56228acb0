"""HTML to PDF with WeasyPrint, reading fonts from disk only.

The font is Tinos (metric-compatible with Times New Roman, SIL Open Font Licence), shipped
with the app through the npm package @fontsource/tinos (package-lock.json). The package splits
each style into subsets (Latin, Latin Extended, Vietnamese) that WeasyPrint cannot mix inside
one word, so the three subsets of each style are merged once into one TrueType file that
covers every Vietnamese letter, kept in a cache folder. No other font is declared, and the
fetcher refuses every URL that is not a file in that folder: WeasyPrint never goes to the
network and never falls back to a system font for a Vietnamese letter.

WeasyPrint reports its steps on its logger ``weasyprint.progress`` (parsing, styles, each page
laid out, the PDF written); ``html_to_pdf(html, progress=...)`` turns them into the share of
the work done, so that a file made in the background shows its progress during the rendering
itself, which is most of its time.

WeasyPrint works with Python's cycle collector off (``_render``): it builds millions of objects
that live until the end of the render, which the collector would walk again and again. A long
document (``APART_FROM``: the review of hundreds of villages, made in the background) is
rendered by a child process forked for it (``_apart``), whose memory goes with it.
"""

import functools
import gc
import json
import logging
import multiprocessing
import os
import re
import tempfile
import threading
import traceback
from collections.abc import Callable
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


# Progress ------------------------------------------------------------------------------------

BYTES_PER_PAGE = 5000  # of the review's HTML, about (78 KiB made 16 pages at 57 villages)
_STEP = re.compile(r"Step (\d)(?: - Creating layout - Page (\d+))?")
_watcher = threading.local()  # the progress callback of the render under way in this thread


# Where each of WeasyPrint's steps starts, as a share of the whole render, measured on the
# review of SYN17's 1,746 villages (1.7 MB of HTML, 293 pages): parsing 3 %, applying the
# styles (step 3) 14 %, building the boxes (step 4) 6 %, laying out the pages about 60 %,
# writing the PDF (steps 6 and 7) the rest; at 57 villages the layout is two thirds as well.
STEP_STARTS = {1: 0.0, 2: 0.03, 3: 0.04, 4: 0.17, 5: 0.23}
LAYOUT_END, PDF_STARTS = 0.84, {6: 0.86, 7: 0.97}


def share_done(message: str, expected_pages: int) -> float | None:
    """The share of the render done when WeasyPrint logs ``message`` (each step logs as it
    starts): up to 23 % for its steps 1–4 (parsing, styles, boxes), the pages laid out
    (step 5) from 23 to 84 %, the PDF written (steps 6 and 7) from 86 %. Pages move the bar
    evenly up to the pages expected (three quarters of the way), then ever more slowly: a
    longer document never stalls it. None for a message that says nothing new (a
    repagination)."""
    found = _STEP.match(message)
    if found is None:
        return None
    step, page = int(found[1]), found[2]
    if step in PDF_STARTS:
        return PDF_STARTS[step]
    if step < 5:
        return STEP_STARTS[step]
    if page is None:
        return None
    pages = int(page) / max(expected_pages, 1)
    done = 0.75 * pages if pages <= 1 else 1 - 0.25 / pages
    return STEP_STARTS[5] + (LAYOUT_END - STEP_STARTS[5]) * done


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        callback = getattr(_watcher, "callback", None)
        if callback is not None:
            callback(record.getMessage())


PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")
_HANDLER = _ProgressHandler()


def _listen() -> None:
    """Hand WeasyPrint's steps to the render that asked, never to the log. Done before every
    render: a later logging.config.dictConfig() resets the loggers under "weasyprint"."""
    if _HANDLER not in PROGRESS_LOGGER.handlers:
        PROGRESS_LOGGER.addHandler(_HANDLER)
    PROGRESS_LOGGER.setLevel(logging.INFO)
    PROGRESS_LOGGER.propagate = False


APART_FROM = 1_000_000  # characters of HTML (about 170 pages): rendered in a child process


def html_to_pdf(html: str, progress: Callable[[float], None] | None = None) -> bytes:
    """Render a finished HTML document (its CSS inline) to PDF bytes; ``progress`` is called
    with the share done (0 to 1) as WeasyPrint goes (see ``share_done``). A long document (a
    review of some hundreds of villages, made in the background) is rendered in a child
    process (``_apart``)."""
    _listen()
    if len(html) >= APART_FROM and "fork" in multiprocessing.get_all_start_methods():
        return _apart(html, progress)
    return _watched(html, progress, _render)


def _watched(html: str, progress: Callable[[float], None] | None, render) -> bytes:
    if progress is None:
        return render(html)
    expected = max(len(html) // BYTES_PER_PAGE, 1)
    done = [0.0]

    def step(message: str) -> None:
        share = share_done(message, expected)
        if share is not None and share > done[0]:
            done[0] = share
            progress(share)

    _watcher.callback = step
    try:
        content = render(html)
    finally:
        _watcher.callback = None
    progress(1.0)
    return content


def _apart(html: str, progress: Callable[[float], None] | None) -> bytes:
    """The PDF made by a child process forked for it, which sends back the shares done and the
    PDF (or the error) through a pipe. Its memory goes with it: WeasyPrint's millions of objects
    (900 MB at SYN17's 1,746 villages) are neither collected (2.5 s) nor kept by this process's
    allocator, and the child's cycle collector stays off from start to end. The child reads no
    database and writes nothing but to the pipe; this process records the progress."""
    fork = multiprocessing.get_context("fork")
    receiving, sending = fork.Pipe(duplex=False)
    child = fork.Process(
        target=_child, args=(html, progress is not None, sending), name="pdf", daemon=True
    )
    child.start()
    sending.close()
    done = False
    try:
        while True:
            try:
                kind, value = receiving.recv()
            except EOFError:
                child.join()
                code = child.exitcode
                raise RuntimeError(f"the PDF's process ended early (exit code {code})") from None
            if kind == "share" and progress is not None:
                progress(value)
            elif kind == "pdf":
                done = True
                return value
            elif kind == "error":
                done = True
                raise RuntimeError(f"the PDF could not be made:\n{value}")
    finally:
        receiving.close()
        if not done:
            child.kill()
        child.join()


def _child(html: str, report: bool, sending) -> None:
    gc.disable()  # for the whole life of the process: its memory is freed when it ends
    try:
        share = (lambda value: sending.send(("share", value))) if report else None
        sending.send(("pdf", _watched(html, share, _weasyprint)))
    except BaseException as error:
        sending.send(("error", "".join(traceback.format_exception(error))))
    finally:
        sending.close()


# Python's cycle collector, off while WeasyPrint works ------------------------------------------

_collector_lock = threading.Lock()
_renders_under_way = 0  # renders in this process holding the cycle collector off
_collector_was_on = False


def _collector_off() -> None:
    global _renders_under_way, _collector_was_on
    with _collector_lock:
        if _renders_under_way == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _renders_under_way += 1


def _collector_back() -> None:
    global _renders_under_way
    with _collector_lock:
        _renders_under_way -= 1
        last = _renders_under_way == 0 and _collector_was_on
        if last:
            gc.enable()
    if last:
        gc.collect()  # the render's cycles at once (2.5 s at SYN17), not at the next allocation


def _render(html: str) -> bytes:
    """The PDF of ``html``, made with Python's cycle collector off. WeasyPrint builds millions of
    objects (boxes, styles, text layouts) that live until the end of the render, and the
    collector would walk them again and again as they pile up: on SYN17's review of 293 pages
    (3.4 million objects) that was a third of the CPU time, for nothing, since nearly all of them
    are still in use. The cycles left behind are freed once, afterwards, in one collection."""
    _collector_off()
    try:
        return _weasyprint(html)
    finally:
        _collector_back()


def _weasyprint(html: str) -> bytes:
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
